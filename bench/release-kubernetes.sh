#!/usr/bin/env bash
# Releases on Kubernetes against fabric8's mock API server (CRUD mode, 127.0.0.1): N apps of 4
# instances, each with a release in progress (partition mid-way; every fourth a gray release whose
# chosen instance Berth moves itself with OnDelete), their pods on the revisions the workloads say.
# Prints the writes and requests of a settled pass over the paused releases (goal 0) beside a pass
# that promotes every release by one batch, and the controller's heap per app.
#   bench/release-kubernetes.sh [apps]      (default 1000)
# Runs on a fresh clone (bench/kubernetes-bench.sh recompiles from the current sources).
set -euo pipefail
exec "$(dirname "$0")/kubernetes-bench.sh" ReleaseBench "${1:-1000}"
