#!/usr/bin/env bash
# bench/hyparview_1k.sh [RUNS] [SCENARIO] — wall time, simulated events per
# second and peak RSS of one barrel-sim scenario (default hyparview-1k),
# as medians over RUNS runs (default 5) of the same seed. Figures for
# BENCHMARKS.md. Builds build/ first if needed (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
scenario=${2:-scenarios/hyparview-1k.yaml}
scripts/build.sh >/dev/null
walls=() rates=() rss=()
for _ in $(seq "$runs"); do
  out=$(build/tools/barrel-sim "$scenario" --seed 1)
  line=$(grep '^events:' <<<"$out")          # events: N (W s wall, R events/s)
  events=$(awk '{print $2}' <<<"$line")
  walls+=("$(sed -E 's/.*\(([0-9.]+) s wall.*/\1/' <<<"$line")")
  rates+=("$(sed -E 's/.*wall, ([0-9]+) events\/s.*/\1/' <<<"$line")")
  rss+=("$(grep '^peak RSS:' <<<"$out" | awk '{print $3}')")
  hash=$(grep '^trace hash:' <<<"$out" | awk '{print $3}')
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "scenario:      $scenario (seed 1, $runs runs, trace hash $hash)"
echo "events:        $events"
echo "wall (median): $(median "${walls[@]}") s"
echo "events/s:      $(median "${rates[@]}")"
echo "peak RSS:      $(median "${rss[@]}") MiB"
