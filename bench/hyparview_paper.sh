#!/usr/bin/env bash
# bench/hyparview_paper.sh [SEED] [FRACTIONS...] — the HyParView paper's
# massive-failure experiment (scenarios/hyparview-paper.yaml) for each failure
# fraction (default 10 20 30 40 50 60 70 80 90 95 %), one run each at SEED
# (default 1). Prints a Markdown table: mean reliability of the broadcasts
# sent within 1 s of the failure, in the next 9 s and from 10 s on, the time
# until the survivors' overlay is one component again, and the verdict of the
# file's expectations. The table in scenarios/README.md comes from here.
# DETECTION=DURATION replaces the network's detection delay (default 2s, a
# QUIC handshake/idle timeout); the paper's simulator detected a dead peer at
# once (a TCP connection refused), which DETECTION=100ms approximates.
# Builds build/ first if needed (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${1:-1}
shift || true
fractions=("$@")
[[ ${#fractions[@]} -gt 0 ]] || fractions=(10 20 30 40 50 60 70 80 90 95)
scripts/build.sh >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The mean reliability of report window $1 in run output $2 ("-" if absent).
window_mean() {
  awk -v w="  $1 [" 'index($0, w) == 1 { sub(/.*mean /, ""); print $1; found = 1 }
                      END { if (!found) print "-" }' "$2"
}
echo "| failed | first second | next 9 s | from 10 s | healed after | expectations | wall |"
echo "|---|---|---|---|---|---|---|"
for f in "${fractions[@]}"; do
  file="$tmp/hyparview-paper-$f.yaml"
  sed -E -e "s/crash: \{fraction: [0-9.]+%\}\}  # FAILURE-FRACTION/crash: {fraction: $f%}}  # FAILURE-FRACTION/" \
    -e "s/^  detection_delay: .*/  detection_delay: ${DETECTION:-2s}/" \
    scenarios/hyparview-paper.yaml >"$file"
  grep -q "fraction: $f%}}  # FAILURE-FRACTION" "$file" || { echo "no FAILURE-FRACTION line" >&2; exit 2; }
  out="$tmp/out-$f.txt"
  build/tools/barrel-sim "$file" --seed "$seed" >"$out" || true
  healed=$(awk '/^  crash at 40s:/ { sub(/.*\(/, ""); sub(/\).*/, ""); print; found = 1 }
                END { if (!found) print "-" }' "$out")
  grep -q "^  crash at 40s:.*not healed" "$out" && healed="not healed"
  verdict=$(awk '/^result:/ { $1 = ""; sub(/^ /, ""); print }' "$out")
  wall=$(sed -nE 's/^events: [0-9]+ \(([0-9.]+) s wall.*/\1 s/p' "$out")
  echo "| $f % | $(window_mean first-second "$out") | $(window_mean repairing "$out") |" \
       "$(window_mean healed "$out") | $healed | $verdict | $wall |"
done
echo
echo "seed $seed, detection delay ${DETECTION:-2s}; $(git rev-parse --short HEAD 2>/dev/null || echo unknown commit)"
