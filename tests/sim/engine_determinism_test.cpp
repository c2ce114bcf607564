// engine_determinism_test.cpp — goal: one scenario and seed give one run, bit
// for bit: the same trace hash and counters twice in one process, and a
// different seed gives a different trace. Method: a 100-node scenario over the
// real barrel::Node (join via 3 contacts with spread, uniform latency, a 30%
// crash), run through run_scenario() three times.
#include <gtest/gtest.h>

#include "barrel/sim/simulator.h"

namespace barrel::sim {
namespace {

Scenario scenario(uint64_t seed) {
  Scenario s;
  s.name = "determinism";
  s.seed = seed;
  s.node_count = 100;
  s.network.latency.kind = LatencyModel::Kind::kUniform;
  s.network.latency.min = Duration::millis(5);
  s.network.latency.max = Duration::millis(40);
  s.duration = Duration::seconds(30);
  Step join;
  join.action =
      JoinAction{NodeSelector{}, {"node1@sim", "node2@sim", "node3@sim"}, Duration::seconds(5)};
  s.timeline.push_back(join);
  Step crash;
  crash.at = Duration::seconds(15);
  NodeSelector some;
  some.kind = NodeSelector::Kind::kFraction;
  some.fraction_ppm = 300000;
  crash.action = CrashAction{some};
  s.timeline.push_back(crash);
  return s;
}

void expect_same(const RunReport& a, const RunReport& b) {
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.failure, b.failure);
  EXPECT_EQ(a.messages.sent, b.messages.sent);
  EXPECT_EQ(a.messages.delivered, b.messages.delivered);
  EXPECT_EQ(a.messages.dropped, b.messages.dropped);
  EXPECT_EQ(a.link_downs, b.link_downs);
  EXPECT_EQ(a.link_failures, b.link_failures);
  EXPECT_EQ(a.peer_ups, b.peer_ups);
  EXPECT_EQ(a.live_nodes, b.live_nodes);
  EXPECT_EQ(a.invariant_checks, b.invariant_checks);
  ASSERT_EQ(a.healings.size(), b.healings.size());
  for (size_t i = 0; i < a.healings.size(); ++i)
    EXPECT_EQ(a.healings[i].healed_at, b.healings[i].healed_at);
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    EXPECT_EQ(a.nodes[i].active, b.nodes[i].active);
    EXPECT_EQ(a.nodes[i].passive, b.nodes[i].passive);
  }
}

TEST(EngineDeterminism, SameSeedSameTraceDifferentSeedDifferentTrace) {
  const RunReport a = run_scenario(scenario(7), RunOptions{});
  const RunReport b = run_scenario(scenario(7), RunOptions{});
  const RunReport c = run_scenario(scenario(8), RunOptions{});
  ASSERT_TRUE(a.failure.empty()) << a.failure;
  EXPECT_GT(a.events, 100u);
  EXPECT_GT(a.messages.sent, 0u);
  EXPECT_EQ(a.live_nodes, 70u);
  expect_same(a, b);
  EXPECT_NE(a.trace_hash, c.trace_hash);
  EXPECT_EQ(a.seed, 7u);
  EXPECT_EQ(c.seed, 8u);
}

}  // namespace
}  // namespace barrel::sim
