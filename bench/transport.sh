#!/usr/bin/env bash
# The QUIC transport's figures for BENCHMARKS.md, in one run on this machine:
#  - bulk throughput over one connection, 100 MB and 1 GB (transport_bench,
#    median of 3) beside Debian's ngtcp2 example pair gtlsserver/gtlsclient
#    (HTTP/3 GET of the same sizes, whole-process wall time, median of 3);
#  - 64-byte round trip p50/p99 over a QUIC stream and over plain TCP;
#  - connect + authenticate p50/p99 (handshake + Ed25519 exchange).
# Usage: bench/transport.sh [BUILD_DIR]   (default: build; Release is faster)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cmake --build "$build" --target transport_bench barrel-gen-cert >/dev/null
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

echo "== barrel transport (transport_bench)"
"$build"/bench/transport_bench --benchmark_counters_tabular=true \
  --benchmark_format=console 2>/dev/null | grep -E 'median|RoundTrip|Connect|Benchmark|----'

echo
echo "== Debian ngtcp2 example pair (gtlsserver/gtlsclient), HTTP/3 GET, wall time"
"$build"/tools/barrel-gen-cert --out-dir "$tmp" --cn localhost --days 1 >/dev/null
port=$((20000 + RANDOM % 20000))
gtlsserver -q --max-dyn-length=2G 127.0.0.1 "$port" "$tmp/node.key" "$tmp/node.crt" \
  >/dev/null 2>&1 &
for _ in $(seq 50); do ss -uln | grep -q ":$port " && break; sleep 0.1; done
for size in 100000000 1000000000; do
  runs=()
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    timeout 120 gtlsclient -q --no-quic-dump --no-http-dump --exit-on-all-streams-close \
      --max-data=24M --max-stream-data-bidi-local=16M \
      127.0.0.1 "$port" "https://127.0.0.1:$port/$size" >/dev/null 2>&1
    end=$(date +%s.%N)
    runs+=("$(echo "$size / ($end - $start) / 1000000" | bc -l)")
  done
  sorted=$(printf '%s\n' "${runs[@]}" | sort -n)
  printf 'gtls %5d MB: median %.0f MB/s (runs: %s)\n' $((size / 1000000)) \
    "$(echo "$sorted" | sed -n 2p)" "$(printf '%.0f ' "${runs[@]}")"
done
