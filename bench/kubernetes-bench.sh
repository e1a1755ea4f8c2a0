#!/usr/bin/env bash
# Runs one Kubernetes bench main (a class in the runtime's test sources) against fabric8's mock API
# server, after recompiling berth-core and the runtime with its tests from the current sources, so the
# classes timed are never stale. Runs on a fresh clone: Maven fetches what a fresh local repository
# lacks (set MAVEN_ARGS, e.g. -Dmaven.repo.local=..., to use another one).
#   bench/kubernetes-bench.sh <class> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
./mvnw -q -B -ntp -pl berth-runtime-kubernetes -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd berth-runtime-kubernetes
main="$1"
shift
exec "$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  "dev.berth.runtime.kubernetes.$main" "$@"
