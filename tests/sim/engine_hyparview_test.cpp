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
#include "sim/scenario_builders.h"

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

Scenario two_hundred(uint64_t seed) {
  test::CrashRun run;
  run.name = "two-hundred";
  run.seed = seed;
  run.nodes = 200;
  Scenario s = test::hyparview_crash_scenario(run);
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
