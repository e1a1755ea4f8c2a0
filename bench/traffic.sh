#!/usr/bin/env bash
# Traffic through the gateway during a release: a bounded load loop on loopback (default 200 requests/s
# for 60 s) while an app of 6 instances is released and one instance goes offline and back online.
# Prints failed requests, p99 against the same loop with no changes, nginx reloads during the release,
# and the time from `offline` to the last request that instance received. Peer in the same run: the
# same release behind a plain nginx whose upstream block is rewritten and `nginx -s reload`ed per
# endpoint change.
#   bench/traffic.sh [requests-per-second] [seconds]      (defaults 200 and 60)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
. scripts/build-if-stale.sh
exec python3 bench/traffic.py "${1:-200}" "${2:-60}"
