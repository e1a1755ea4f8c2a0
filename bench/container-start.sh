#!/usr/bin/env bash
# Container start through Berth (API call -> instance running) against plain `runc run` of the same
# bundle; then 100 busybox httpd instances to ready, and Berth's resident memory with them running.
# Starts its own docker-registry and Berth (through ./start.sh) on loopback, cleans up after itself.
#   bench/container-start.sh [iterations]      (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
. scripts/build-if-stale.sh
exec python3 bench/container_start.py "${1:-15}"
