#!/usr/bin/env bash
# Autoscaling: a CPU-burning app under a load switched on and off — time from load start to the extra
# instances ready, overshoot, time to scale back down against the configured windows — and the cost of
# one evaluation pass over 1 000 apps with a policy.
# Starts its own docker-registry and Berth (through ./start.sh) on loopback, cleans up after itself.
#   bench/autoscale.sh [apps]      (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
. scripts/build-if-stale.sh
exec python3 bench/autoscale.py "${1:-1000}"
