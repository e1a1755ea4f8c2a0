#!/usr/bin/env bash
# Portal list pages with 10 000 apps and 1 000 000 task runs in the database: p50/p99 render time of the
# app list and the run list (first page, a deep page, a filter), signed in, against the 300 ms target.
#   bench/portal-lists.sh [apps] [runs] [requests]      (defaults 10000 1000000 50)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
. scripts/build-if-stale.sh
exec python3 bench/portal_lists.py "${1:-10000}" "${2:-1000000}" "${3:-50}"
