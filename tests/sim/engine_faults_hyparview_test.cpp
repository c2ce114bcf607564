// engine_faults_hyparview_test.cpp — goal: the fault actions work end to end
// over the real HyParView core: a cut into two halves leaves no active link
// across it once detected; after the heal (with everyday churn: a few
// restarts) the overlay is one connected, symmetric component again; a small
// group cut off (smaller than an active view) reconnects by itself after the
// heal; restarted nodes rejoin; loss is deterministic (same seed, same trace
// hash) and changes the run when its rate changes, while loss 0 changes
// nothing. Method: 200-node scenarios built in code, run through
// run_scenario() over barrel::Node; assertions on the report (expectations,
// healing records, the views of all 200 nodes, trace hashes).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "barrel/sim/simulator.h"
#include "sim/scenario_builders.h"

namespace barrel::sim {
namespace {

using test::range;

constexpr uint32_t kNodes = 200;

Step step_at(Duration at, Action a) {
  Step s;
  s.at = at;
  s.action = std::move(a);
  return s;
}

void expect(Scenario* s, Duration at, Expectation::Kind kind) {
  Expectation x;
  x.at = at;
  x.kind = kind;
  x.within = Duration::seconds(40);
  x.count = 1;
  s->expectations.push_back(x);
}

// 200 nodes join through 3 seeds over 10 s, shuffling every 2 s.
Scenario overlay(uint64_t seed, Duration duration) {
  Scenario s;
  s.name = "faults-200";
  s.seed = seed;
  s.node_count = kNodes;
  s.network.latency.kind = LatencyModel::Kind::kUniform;
  s.network.latency.min = Duration::millis(5);
  s.network.latency.max = Duration::millis(50);
  s.node_config.hyparview.shuffle_period = Duration::seconds(2);
  s.duration = duration;
  test::join_via_seeds(&s, Duration::seconds(10));
  return s;
}

Step restart_step(Duration at, NodeSelector nodes, Duration after) {
  RestartAction r;
  r.nodes = std::move(nodes);
  r.after = after;
  r.contacts = {"node1@sim", "node200@sim"};
  return step_at(at, r);
}

bool in_first_half(const std::string& name) {
  const uint32_t index = static_cast<uint32_t>(std::stoul(name.substr(4)));  // "node<i>@sim"
  return index <= kNodes / 2;
}

// The halves are split from 30 s to 90 s; views are read at 90 s (the end).
TEST(EngineFaultsHyParView, CutIntoHalvesLeavesNoActiveLinkAcross) {
  Scenario s = overlay(1, Duration::seconds(90));
  PartitionAction p{"split", {range(1, kNodes / 2), range(kNodes / 2 + 1, kNodes)}};
  s.timeline.push_back(step_at(Duration::seconds(30), p));
  expect(&s, Duration::seconds(29), Expectation::Kind::kConnected);
  expect(&s, Duration::seconds(89), Expectation::Kind::kViewBounds);
  expect(&s, Duration::seconds(89), Expectation::Kind::kActiveMin);
  RunOptions options;
  options.node_summaries_max = kNodes;
  const RunReport r = run_scenario(s, options);
  ASSERT_TRUE(r.passed()) << r.failure;
  ASSERT_EQ(r.nodes.size(), kNodes);
  for (const NodeSummary& n : r.nodes) {
    for (const std::string& m : n.active)
      EXPECT_EQ(in_first_half(n.name), in_first_half(m)) << n.name << " -> " << m;
  }
  EXPECT_GT(r.messages.partitioned, 0u);
  EXPECT_GT(r.link_downs, 0u);
}

// Two stable halves do not merge by themselves (a node consults its passive
// view only when its active view is short; see scenarios/README.md), so the
// heal is followed by a few restarts, as any cluster sees.
TEST(EngineFaultsHyParView, HalvesSplitForSixtySecondsAreOneOverlayAfterHealAndChurn) {
  for (uint64_t seed : {1u, 2u}) {
    Scenario s = overlay(seed, Duration::seconds(160));
    PartitionAction p{"split", {range(1, kNodes / 2), range(kNodes / 2 + 1, kNodes)}};
    s.timeline.push_back(step_at(Duration::seconds(30), p));
    s.timeline.push_back(step_at(Duration::seconds(90), HealAction{"split"}));
    NodeSelector churn;
    churn.kind = NodeSelector::Kind::kCount;
    churn.count = 10;
    s.timeline.push_back(restart_step(Duration::seconds(95), churn, Duration::seconds(5)));
    for (auto k : {Expectation::Kind::kConnected, Expectation::Kind::kSymmetric,
                   Expectation::Kind::kViewBounds, Expectation::Kind::kHealedWithin})
      expect(&s, Duration::seconds(159), k);
    const RunReport r = run_scenario(s, RunOptions{});
    ASSERT_TRUE(r.passed()) << "seed " << seed << ": " << r.failure;
    ASSERT_EQ(r.healings.size(), 2u);
    EXPECT_EQ(r.healings[0].cause, "heal");
    EXPECT_EQ(r.healings[1].cause, "restart");
    EXPECT_EQ(r.live_nodes, kNodes);
  }
}

// Three nodes cannot fill active views of 5 among themselves: they keep
// repairing through their passive views, which reach across once healed.
TEST(EngineFaultsHyParView, SmallGroupCutOffReconnectsAfterHealWithoutChurn) {
  Scenario s = overlay(3, Duration::seconds(120));
  PartitionAction p{"islet", {range(10, 12)}};
  s.timeline.push_back(step_at(Duration::seconds(30), p));
  s.timeline.push_back(step_at(Duration::seconds(60), HealAction{}));
  for (auto k : {Expectation::Kind::kConnected, Expectation::Kind::kSymmetric,
                 Expectation::Kind::kHealedWithin})
    expect(&s, Duration::seconds(119), k);
  const RunReport r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.passed()) << r.failure;
  ASSERT_EQ(r.healings.size(), 1u);
  EXPECT_FALSE(r.healings[0].healed_at.is_never());
}

TEST(EngineFaultsHyParView, RestartedNodesRejoin) {
  Scenario s = overlay(4, Duration::seconds(80));
  NodeSelector tenth;
  tenth.kind = NodeSelector::Kind::kFraction;
  tenth.fraction_ppm = 100'000;
  s.timeline.push_back(restart_step(Duration::seconds(30), tenth, Duration::seconds(5)));
  for (auto k : {Expectation::Kind::kConnected, Expectation::Kind::kSymmetric,
                 Expectation::Kind::kActiveMin, Expectation::Kind::kHealedWithin})
    expect(&s, Duration::seconds(79), k);
  const RunReport r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.passed()) << r.failure;
  ASSERT_EQ(r.healings.size(), 1u);
  EXPECT_EQ(r.healings[0].crashed, kNodes / 10);
  EXPECT_EQ(r.live_nodes, kNodes);
}

TEST(EngineFaultsHyParView, LossIsDeterministicAndChangesTheRun) {
  auto hash_with = [](Ppm loss) {
    Scenario s = overlay(5, Duration::seconds(40));
    s.network.loss_ppm = loss;
    expect(&s, Duration::seconds(39), Expectation::Kind::kConnected);
    const RunReport r = run_scenario(s, RunOptions{});
    EXPECT_TRUE(r.passed()) << r.failure;
    EXPECT_EQ(r.messages.retransmitted > 0, loss > 0);
    return r.trace_hash;
  };
  const uint64_t none = hash_with(0);
  const uint64_t one_percent = hash_with(10'000);
  EXPECT_EQ(one_percent, hash_with(10'000));
  EXPECT_NE(one_percent, none);
  EXPECT_NE(one_percent, hash_with(20'000));
  // loss 0 draws nothing: the run is the run without the field.
  Scenario plain = overlay(5, Duration::seconds(40));
  expect(&plain, Duration::seconds(39), Expectation::Kind::kConnected);
  EXPECT_EQ(run_scenario(plain, RunOptions{}).trace_hash, none);
}

}  // namespace
}  // namespace barrel::sim
