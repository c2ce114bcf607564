// engine_hyparview_test.cpp — goal: the engine runs the real HyParView core
// end to end: two nodes that join end up in each other's active view; 200
// nodes joining via 3 contacts with spread, shuffling, then losing half of
// their number, keep (or regain) a connected, symmetric overlay within the
// view bounds, and the healing is recorded. Method: scenarios built in code,
// run through run_scenario() over barrel::Node; assertions on the report.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "barrel/sim/simulator.h"

namespace barrel::sim {
namespace {

Step step_at(Duration at, Action a) {
  Step s;
  s.at = at;
  s.action = std::move(a);
  return s;
}

Expectation expect_at(Duration at, Expectation::Kind kind) {
  Expectation x;
  x.at = at;
  x.kind = kind;
  x.within = Duration::seconds(20);
  x.count = 1;
  return x;
}

TEST(EngineHyParView, TwoNodesJoinAndSeeEachOther) {
  Scenario s;
  s.name = "two";
  s.node_count = 2;
  s.duration = Duration::seconds(5);
  s.timeline.push_back(step_at(Duration::zero(), JoinAction{NodeSelector{}, {"node1@sim"}}));
  s.expectations.push_back(expect_at(Duration::seconds(1), Expectation::Kind::kConnected));
  s.expectations.push_back(expect_at(Duration::seconds(1), Expectation::Kind::kSymmetric));
  const RunReport r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.passed()) << r.failure;
  ASSERT_EQ(r.nodes.size(), 2u);
  EXPECT_EQ(r.nodes[0].active, std::vector<std::string>{"node2@sim"});
  EXPECT_EQ(r.nodes[1].active, std::vector<std::string>{"node1@sim"});
  EXPECT_EQ(r.peer_ups, 2u);
  EXPECT_EQ(r.live_nodes, 2u);
}

// The 3 seeds join each other at t = 0, the others join via them from t = 1 s
// over `spread`. (Seeds first: a seed whose own JOIN fails while others join
// it keeps an active view and never retries, so its cluster stays an island.)
void join_via_seeds(Scenario* s, Duration spread) {
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

Scenario two_hundred(uint64_t seed) {
  Scenario s;
  s.name = "two-hundred";
  s.seed = seed;
  s.node_count = 200;
  s.network.latency.kind = LatencyModel::Kind::kUniform;
  s.network.latency.min = Duration::millis(5);
  s.network.latency.max = Duration::millis(50);
  s.node_config.hyparview.shuffle_period = Duration::seconds(2);
  s.duration = Duration::seconds(60);
  join_via_seeds(&s, Duration::seconds(10));
  NodeSelector half;
  half.kind = NodeSelector::Kind::kFraction;
  half.fraction_ppm = 500000;
  s.timeline.push_back(step_at(Duration::seconds(30), CrashAction{half}));
  for (auto k : {Expectation::Kind::kConnected, Expectation::Kind::kSymmetric,
                 Expectation::Kind::kViewBounds, Expectation::Kind::kActiveMin}) {
    s.expectations.push_back(expect_at(Duration::seconds(29), k));
    s.expectations.push_back(expect_at(Duration::seconds(59), k));
  }
  s.expectations.push_back(expect_at(Duration::seconds(59), Expectation::Kind::kHealedWithin));
  return s;
}

TEST(EngineHyParView, TwoHundredNodesSurviveHalfCrashing) {
  const RunReport r = run_scenario(two_hundred(1), RunOptions{});
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  for (const ExpectationResult& x : r.expectations)
    EXPECT_TRUE(x.passed) << static_cast<int>(x.expectation.kind) << ": " << x.detail;
  ASSERT_EQ(r.healings.size(), 1u);
  EXPECT_EQ(r.healings[0].crashed, 100u);
  EXPECT_EQ(r.healings[0].live, 100u);
  EXPECT_FALSE(r.healings[0].healed_at.is_never());
  EXPECT_GT(r.link_downs, 0u);
  EXPECT_GT(r.invariant_checks, r.events / 2);
  EXPECT_EQ(r.live_nodes, 100u);
}

}  // namespace
}  // namespace barrel::sim
