// scenario_builders.h — pieces of Scenarios built in code, shared by the
// engine tests and bench/sim_bench.cpp so that they measure the same workload.
#pragma once

#include <string>
#include <vector>

#include "barrel/sim/scenario.h"

namespace barrel::sim::test {

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

}  // namespace barrel::sim::test
