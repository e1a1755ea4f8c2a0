#!/usr/bin/env bash
# Releases on Kubernetes against fabric8's mock API server (CRUD mode, 127.0.0.1): N apps of 4
# instances, each with a release in progress (partition mid-way; every fourth a gray release whose
# chosen instance Berth moves itself with OnDelete), their pods on the revisions the workloads say.
# Prints the writes and requests of a settled pass over the paused releases (goal 0) beside a pass
# that promotes every release by one batch, and the controller's heap per app.
#   bench/release-kubernetes.sh [apps]      (default 1000)
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
  dev.berth.runtime.kubernetes.ReleaseBench "${1:-1000}"
