#!/usr/bin/env bash
# Task dispatch latency (fire time -> process started) and throughput of trivial runs against a loop of
# plain `runc run` of the same bundle; listing the newest 50 of 1 000 000 runs.
#   bench/task-dispatch.sh [runs] [runs-in-database]      (defaults 40 and 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
. scripts/build-if-stale.sh
exec python3 bench/task_dispatch.py "${1:-40}" "${2:-1000000}"
