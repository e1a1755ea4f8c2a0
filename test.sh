#!/usr/bin/env bash
# Runs every test of Berth: unit tests and the integration tests with real runc, docker-registry, H2 and
# PostgreSQL. Needs root (containers, overlay mounts, bridges). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/find-jdk.sh
exec ./mvnw -B -ntp verify "$@"
