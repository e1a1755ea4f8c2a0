#!/usr/bin/env bash
# Metrics: collector CPU per 100 instances at a 15 s interval (the real /proc reads and the cgroup
# files of 100 cgroups made for the run and removed after it), embedded store bytes per series per
# day, p50/p99 of a 24 h chart query over 100 instances, and the scrape of Berth's Prometheus text
# with 1 000 instances beside node-exporter's own scrape (Debian's prometheus-node-exporter, started
# on a free loopback port and stopped by its PID) in the same run. Figures only, no thresholds.
# Needs root (it makes cgroups).
#   bench/metrics.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
. scripts/build-if-stale.sh
./mvnw -q -B -ntp -pl berth-server test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test -Dspotless.check.skip=true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ne_log=$(mktemp)
/usr/bin/prometheus-node-exporter --web.listen-address="127.0.0.1:$port" >"$ne_log" 2>&1 &
ne_pid=$!
trap 'kill "$ne_pid" 2>/dev/null || true; wait "$ne_pid" 2>/dev/null || true; rm -f "$ne_log"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/metrics" >/dev/null 2>&1 && break
  sleep 0.1
done
cd berth-server
"$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.berth.server.metric.MetricsBench "http://127.0.0.1:$port"
