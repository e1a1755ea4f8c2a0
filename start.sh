#!/usr/bin/env bash
# Starts Berth with its embedded defaults: cluster `local` (runc on this host), an H2 database and all
# state under ${BERTH_DATA_DIR:-./data}, API and portal on http://127.0.0.1:${SERVER_PORT:-8080}.
# Builds the server first when its jar is missing or older than the sources. Needs root.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/find-jdk.sh
# The embedded local cluster runs containers with runc, wires them with iproute2 and starts them
# under a static tini; install what is missing (Debian packages; needs root, as Berth itself does).
missing=()
command -v runc >/dev/null || missing+=(runc)
command -v ip >/dev/null || missing+=(iproute2)
[ -x /usr/bin/tini-static ] || missing+=(tini)
perl -MTime::HiRes -e 1 2>/dev/null || missing+=(perl)   # stamps each log line with its time
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing what the local cluster needs: ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
. scripts/build-if-stale.sh
jar=berth-server/target/berth-server.jar
export BERTH_DATA_DIR="${BERTH_DATA_DIR:-$PWD/data}"
exec "$JAVA_HOME/bin/java" ${BERTH_JAVA_OPTS:-} -jar "$jar" "$@"
