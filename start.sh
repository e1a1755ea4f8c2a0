#!/usr/bin/env bash
# Starts Berth with its embedded defaults: cluster `local` (runc on this host), an H2 database and all
# state under ${BERTH_DATA_DIR:-./data}, API and portal on http://127.0.0.1:${SERVER_PORT:-8080}.
# Builds the server first when its jar is missing or older than the sources. Needs root.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/find-jdk.sh
jar=berth-server/target/berth-server.jar
if [ ! -f "$jar" ] || [ -n "$(find . -path ./data -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
  echo "Building Berth (first start or sources changed)..." >&2
  ./mvnw -B -q -ntp -DskipTests install
fi
export BERTH_DATA_DIR="${BERTH_DATA_DIR:-$PWD/data}"
exec "$JAVA_HOME/bin/java" ${BERTH_JAVA_OPTS:-} -jar "$jar" "$@"
