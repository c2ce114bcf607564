// shrink.h — barrel-sim SCENARIO --shrink OUT.yaml: a failing run's fault
// schedule made minimal, for a person to read and replay.
//
// Method (greedy, deterministic): run the scenario with its seed and note
// what failed — the first failed expectation, or the run's failure. Then,
// with the same seed, try the fault steps of the timeline (crash, leave,
// restart, partition, churn) one at a time, last first: drop the step (a
// partition goes with the heal steps naming it) and rerun; keep the drop when
// the same expectation still fails (the same kind of run failure). Then try
// halving what each remaining fault step selects ({count: N} to N/2,
// {fraction: F} to F/2, {range: [A, B]} and name lists to their first half),
// again keeping a change only when the same failure remains; repeat both
// passes until one changes nothing. Every candidate is the scenario's own
// YAML with entries removed or values changed, re-read by the loader, so the
// file written is exactly what was run.
//
// Bounds: at most --shrink-runs runs (default kShrinkRunsDefault) and
// --shrink-time seconds of wall time (default kShrinkSecondsDefault); when
// either is reached the smallest failing schedule found so far is written,
// and the output says the search stopped early. The wall clock bounds the
// search only: the runs themselves are the deterministic runs of the seed.
//
// Output: each change kept, the shrunk scenario as YAML (also written to
// OUT.yaml), and `reproduce: barrel-sim OUT.yaml --seed N`.
// Exit status: 1 the shrunk run fails (as it should), 0 the run passed
// (nothing to shrink), 2 bad usage, an unreadable scenario, or OUT cannot be
// written.
#pragma once

#include <cstdint>

#include "barrel/sim/scenario.h"
#include "sim_args.h"

namespace barrel::tools {

inline constexpr uint32_t kShrinkRunsDefault = 100;
inline constexpr uint32_t kShrinkSecondsDefault = 600;

// `scenario` is the loaded scenario with --seed applied.
int run_shrink(const barrel::sim::Scenario& scenario, const Args& args);

}  // namespace barrel::tools
