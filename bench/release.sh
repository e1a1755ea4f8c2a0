#!/usr/bin/env bash
# A release of 20 local instances in 4 batches: time per batch against a plain restart of the same
# instances measured in the same run (ratio), and the controller's overhead per batch.
# Starts its own docker-registry and Berth (through ./start.sh) on loopback, cleans up after itself.
#   bench/release.sh [instances]      (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
. scripts/build-if-stale.sh
exec python3 bench/release.py "${1:-20}"
