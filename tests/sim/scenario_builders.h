// scenario_builders.h — pieces of Scenarios built in code, shared by the
// engine tests and bench/sim_bench.cpp so that they measure the same workload.
#pragma once

#include <string>
#include <vector>

#include "barrel/sim/scenario.h"

namespace barrel::sim::test {

// Nodes first..last by 1-based index, inclusive.
inline NodeSelector range(uint32_t first, uint32_t last) {
  NodeSelector s;
  s.kind = NodeSelector::Kind::kRange;
  s.first = first;
  s.last = last;
  return s;
}

// The 3 seeds join each other at t = 0, the others join via them from t = 1 s
// over `spread`. (Seeds joining at random instants too are covered by
// tests/regress/islands_cold_start.yaml.)
inline void join_via_seeds(Scenario* s, Duration spread) {
  const std::vector<std::string> seeds = {"node1@sim", "node2@sim", "node3@sim"};
  NodeSelector first, rest;
  first.kind = rest.kind = NodeSelector::Kind::kRange;
  first.first = 1;
  first.last = 3;
  rest.first = 4;
  rest.last = s->node_count;
  Step a, b;
  a.action = JoinAction{first, seeds, Duration::zero()};
  b.at = Duration::seconds(1);
  b.action = JoinAction{rest, seeds, spread};
  s->timeline.push_back(a);
  s->timeline.push_back(b);
}

// The HyParView workload of the engine tests and sim_bench: `nodes` nodes over
// links of 5..50 ms, shuffles every 2 s, joins through 3 seeds over 10 s,
// then `crash_ppm` of the nodes crash at `crash_at`; the run ends at
// `duration`. Callers add their expectations.
struct CrashRun {
  const char* name = "crash-run";
  uint64_t seed = 1;
  uint32_t nodes = 1000;
  Duration duration = Duration::seconds(60);
  Duration crash_at = Duration::seconds(30);
  Ppm crash_ppm = 500'000;
  bool wire_mode = false;
};

inline Scenario hyparview_crash_scenario(const CrashRun& run) {
  Scenario s;
  s.name = run.name;
  s.seed = run.seed;
  s.node_count = run.nodes;
  s.network.latency.kind = LatencyModel::Kind::kUniform;
  s.network.latency.min = Duration::millis(5);
  s.network.latency.max = Duration::millis(50);
  s.network.wire_mode = run.wire_mode;
  s.node_config.hyparview.shuffle_period = Duration::seconds(2);
  s.duration = run.duration;
  join_via_seeds(&s, Duration::seconds(10));
  NodeSelector crashed;
  crashed.kind = NodeSelector::Kind::kFraction;
  crashed.fraction_ppm = run.crash_ppm;
  Step crash;
  crash.at = run.crash_at;
  crash.action = CrashAction{crashed};
  s.timeline.push_back(crash);
  return s;
}

}  // namespace barrel::sim::test
