// sim_bench.cpp — simulator throughput: simulated events per wall-clock second
// on one core, over the real HyParView core.
//
// The scenario is built in code: N nodes (1,000; the benchmark argument)
// join via 3 seed contacts (the seeds at t = 0, the rest over 10 s from 1 s), shuffle every 2 s,
// lose half their number at t = 30 s, and run to t = 60 s; uniform latency 5..50 ms. Counters:
// events (per run) and events_per_s (a rate: events over the benchmark's wall time). Expectations
// are not checked here (the tests do).
//
// Run:   build/bench/sim_bench --benchmark_repetitions=5 --benchmark_filter='/1000$'
//        build/bench/sim_bench --benchmark_filter='/10000'   (10,000 nodes, a few s)
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "barrel/sim/simulator.h"
#include "sim/scenario_builders.h"

namespace {

using barrel::Duration;
using namespace barrel::sim;

Scenario bench_scenario(uint32_t nodes, bool wire_mode) {
  test::CrashRun run;
  run.name = "sim_bench";
  run.nodes = nodes;
  run.wire_mode = wire_mode;
  return test::hyparview_crash_scenario(run);
}

void run(benchmark::State& state, bool wire_mode) {
  const Scenario s = bench_scenario(static_cast<uint32_t>(state.range(0)), wire_mode);
  uint64_t events = 0;
  for (auto _ : state) {
    const RunReport r = run_scenario(s, RunOptions{});
    if (!r.failure.empty()) {
      state.SkipWithError(r.failure.c_str());
      return;
    }
    events += r.events;
    benchmark::DoNotOptimize(r.trace_hash);
  }
  state.counters["events"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kAvgIterations);
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_SimHyParView(benchmark::State& state) {
  run(state, false);
}
void BM_SimHyParViewWire(benchmark::State& state) {
  run(state, true);
}

// Rates are per CPU second of the one benchmark thread (no UseRealTime): the
// simulator is single-threaded, and CPU time is what a shared machine keeps
// stable.
BENCHMARK(BM_SimHyParView)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimHyParViewWire)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
