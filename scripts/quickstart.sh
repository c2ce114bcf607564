#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the
# default scenario (two nodes; node2 joins node1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/tools/barrel-sim scenarios/quickstart.yaml "$@"
