#!/usr/bin/env bash
# Kubernetes reconcile cost against fabric8's mock API server (CRUD mode, 127.0.0.1): N apps applied,
# then a full reconcile pass once the informers hold them (must send zero requests). Each figure is
# printed beside its peer from the same run: first apply vs a plain create of the same objects, the
# settled pass vs a GET-and-compare pass, the controller's heap per app vs two bare informers.
#   bench/kubernetes-reconcile.sh [apps]      (default 1000)
# Runs on a fresh clone (bench/kubernetes-bench.sh recompiles from the current sources).
set -euo pipefail
exec "$(dirname "$0")/kubernetes-bench.sh" ReconcileBench "${1:-1000}"
