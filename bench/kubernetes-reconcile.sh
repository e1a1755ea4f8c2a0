#!/usr/bin/env bash
# Kubernetes reconcile cost against fabric8's mock API server (CRUD mode, 127.0.0.1): N apps applied,
# then a full reconcile pass once the informers hold them (must send zero requests), compared with a
# plain GET-and-compare pass; controller heap per app and reconcile time per app printed last.
#   bench/kubernetes-reconcile.sh [apps]      (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
./mvnw -q -B -ntp -o -pl berth-core install -DskipTests
./mvnw -q -B -ntp -o -pl berth-runtime-kubernetes test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd berth-runtime-kubernetes
exec "$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.berth.runtime.kubernetes.ReconcileBench "${1:-1000}"
