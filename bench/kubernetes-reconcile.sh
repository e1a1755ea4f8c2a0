#!/usr/bin/env bash
# Kubernetes reconcile cost against fabric8's mock API server (CRUD mode, 127.0.0.1): N apps applied,
# then a full reconcile pass once the informers hold them (must send zero requests). Each figure is
# printed beside its peer from the same run: first apply vs a plain create of the same objects, the
# settled pass vs a GET-and-compare pass, the controller's heap per app vs two bare informers.
#   bench/kubernetes-reconcile.sh [apps]      (default 1000)
# Runs on a fresh clone: Maven fetches what a fresh local repository lacks (set MAVEN_ARGS, e.g.
# -Dmaven.repo.local=..., to use another one) and recompiles berth-core and the runtime with its tests
# from the current sources, so the classes timed are never stale.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
./mvnw -q -B -ntp -pl berth-runtime-kubernetes -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd berth-runtime-kubernetes
exec "$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.berth.runtime.kubernetes.ReconcileBench "${1:-1000}"
