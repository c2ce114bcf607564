#!/usr/bin/env bash
# The README's second command: install what is missing, build, and run the
# whole test suite with CTest (labels: unit, sim, slow). Extra arguments go to
# ctest, e.g. `scripts/test.sh -L unit` or `scripts/test.sh -LE slow`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build -j"$(nproc)" --output-on-failure "$@"
