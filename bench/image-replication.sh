#!/usr/bin/env bash
# Image replication between two local docker-registry instances: (a) one image with a 100 MB layer,
# Berth against `skopeo copy`; (b) a repository of 20 tags sharing most layers, Berth against
# `skopeo sync`; (c) push-to-replicated latency of 10 MB images through registry notifications;
# (d) 200 images through a TCP proxy that cuts the answers to 10 % of the requests (on new and reused
# connections alike).
#   bench/image-replication.sh [latency-samples] [fault-images]      (defaults 40 and 200)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh
for tool in docker-registry skopeo; do
  command -v "$tool" >/dev/null || { echo "$0: '$tool' is missing: apt-get install docker-registry skopeo" >&2; exit 1; }
done
. scripts/build-if-stale.sh
exec python3 bench/image_replication.py "${1:-40}" "${2:-200}"
