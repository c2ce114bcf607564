// seed_runner.h — barrel-sim --seeds A..B [-j N]: one scenario under many
// seeds, in parallel.
//
// Each seed is an independent, single-threaded run_scenario() on a copy of
// the scenario with that seed, on one of N worker threads. Runs share
// nothing: each builds its own Engine (names table, nodes, heap, RNGs), and
// the simulator and the core keep no mutable global state, so a seed's
// trace hash is the same as in a single run (tests/sim/cli_seeds_test.cpp).
// The main thread prints one line per seed, in seed order, as soon as every
// lower seed is done (a table: seed, PASS/FAIL, trace hash, events, wall
// time, and the replay command on failure, with the failed checks under it
// unless --quiet), keeps the progress line fresh, and ends with the totals.
//
// With --trace, each seed writes its own file (the path's "{seed}" expanded),
// byte-identical to the file of a single run of that seed.
//
// Exit status: 0 every seed passed, 1 one failed, 2 a trace file could not
// be opened or written.
#pragma once

#include "barrel/sim/scenario.h"
#include "sim_args.h"

namespace barrel::tools {

int run_seeds(const barrel::sim::Scenario& scenario, const Args& args);

}  // namespace barrel::tools
