#!/usr/bin/env bash
# Issue 6's figures for BENCHMARKS.md: 20 real barrel-node processes on
# loopback — registration-to-visibility p50/p99, whereis + first send over a
# cold connection, idle CPU and RSS per daemon.
# Usage: bench/node_cluster.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cmake --build "$build" --target node_cluster_bench >/dev/null
"$build"/bench/node_cluster_bench --benchmark_counters_tabular=true 2>/dev/null |
  grep -E 'BM_|Benchmark|----'
