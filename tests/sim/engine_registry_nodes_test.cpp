// engine_registry_nodes_test.cpp — goal: the service registry and liveness
// of the real core behave as DESIGN.md §2 promises, measured by the
// simulator: (a) the seed example — a service registered on node1 shows in
// node2's lookup() a second later, and node1's whereis() is its own; (b) view
// churn alone (small active views, so evictions, and fast shuffles) drops no
// entry and declares nobody dead; (c) a crashed node's entries leave every
// live node, in less than probe time + suspicion timeout; (d) a mass restart
// of 30 % leaves no live node considered dead once quiet; (e) two halves cut
// apart for 60 s, then healed, leave no live node considered dead once quiet.
// Method: scenarios built in code over barrel::Node (the engine with the core
// factory, wrapped to keep each node's HostedNode for direct queries);
// assertions on the expectations (registry_converged, no_live_dead,
// connected) and on the registry report (intervals, disruptions).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine.h"
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

NodeSelector fraction(Ppm ppm) {
  NodeSelector s;
  s.kind = NodeSelector::Kind::kFraction;
  s.fraction_ppm = ppm;
  return s;
}

void expect(Scenario* s, Duration at, Expectation::Kind kind, Duration within = Duration::zero()) {
  Expectation x;
  x.at = at;
  x.kind = kind;
  x.within = within;
  s->expectations.push_back(x);
}

std::string failures(const RunReport& r) {
  std::string out = r.failure;
  for (const ExpectationResult& x : r.expectations) {
    if (!x.passed)
      out += "\n" + x.detail;
  }
  return out;
}

// The core factory, keeping a pointer to each node's current incarnation.
struct Kept {
  std::vector<HostedNode*> nodes;
  NodeFactory factory() {
    return [this](const NodeConfig& c, NameTable& names, NodeId self, uint64_t seed,
                  Instant now) -> Result<std::unique_ptr<HostedNode>> {
      Result<std::unique_ptr<HostedNode>> made = core_node_factory()(c, names, self, seed, now);
      if (made.is_ok()) {
        nodes.resize(std::max<size_t>(nodes.size(), self.value() + 1), nullptr);
        nodes[self.value()] = made->get();
      }
      return made;
    };
  }
};

// `nodes` nodes join through 3 seeds over 10 s (links 5..50 ms, shuffles every
// 2 s); every node registers "svc{i}" (one service of its own) at 20 s.
Scenario cluster(uint64_t seed, uint32_t nodes, Duration duration) {
  Scenario s;
  s.name = "registry-nodes";
  s.seed = seed;
  s.node_count = nodes;
  s.network.latency.kind = LatencyModel::Kind::kUniform;
  s.network.latency.min = Duration::millis(5);
  s.network.latency.max = Duration::millis(50);
  s.node_config.hyparview.shuffle_period = Duration::seconds(2);
  s.duration = duration;
  test::join_via_seeds(&s, Duration::seconds(10));
  s.timeline.push_back(step_at(Duration::seconds(20),
                               RegisterAction{range(1, nodes), "svc{i}", 1, {{"role", "worker"}}}));
  return s;
}

TEST(EngineRegistryNodes, SeedExampleLookupOnTheOtherNodeAfterOneSecond) {
  Scenario s;
  s.name = "registry-seed-example";
  s.node_count = 2;
  s.network.latency.min = s.network.latency.max = Duration::millis(50);
  s.duration = Duration::seconds(10);
  s.timeline.push_back(step_at(Duration::zero(), StartAction{NodeSelector{}}));
  JoinAction join{range(2, 2), {"node1@sim"}, Duration::zero()};
  s.timeline.push_back(step_at(Duration::millis(100), join));
  const Duration t = Duration::seconds(3);
  s.timeline.push_back(
      step_at(t, RegisterAction{range(1, 1), "my_worker", 1, {{"role", "worker"}}}));
  expect(&s, t + Duration::seconds(1), Expectation::Kind::kRegistryConverged);
  expect(&s, t + Duration::seconds(1), Expectation::Kind::kNoLiveDead);
  Kept kept;
  Engine engine(s, RunOptions{}, kept.factory());
  const RunReport r = engine.run();
  ASSERT_TRUE(r.passed()) << failures(r);
  EXPECT_EQ(r.registry.registrations, 1u);
  ASSERT_EQ(kept.nodes.size(), 2u);
  const std::vector<ServiceInstance> seen = kept.nodes[1]->lookup("my_worker");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].node, "node1@sim");
  EXPECT_EQ(seen[0].metadata, (Metadata{{"role", "worker"}}));
  EXPECT_FALSE(seen[0].local);
  const std::optional<ServiceInstance> mine = kept.nodes[0]->whereis("my_worker");
  ASSERT_TRUE(mine.has_value());
  EXPECT_TRUE(mine->local);
  EXPECT_EQ(mine->node, "node1@sim");
}

// Active views of 3 with 8 passive members and shuffles every 500 ms: nodes
// are evicted from and re-admitted to active views all the time (thousands
// of PeerDown, no crash). Once the registrations have spread, the views never
// disagree again. (Active views of 2 split 200 nodes into ~26 components.)
TEST(EngineRegistryNodes, ViewChurnAloneKeepsEveryEntryAndNobodyDead) {
  Scenario s = cluster(11, kNodes, Duration::seconds(90));
  s.node_config.hyparview.active_size = 3;
  s.node_config.hyparview.passive_size = 8;
  s.node_config.hyparview.shuffle_ka = 2;
  s.node_config.hyparview.shuffle_kp = 3;
  s.node_config.hyparview.shuffle_period = Duration::millis(500);
  for (Duration at : {Duration::seconds(40), Duration::seconds(60), Duration::seconds(89)}) {
    expect(&s, at, Expectation::Kind::kRegistryConverged);
    expect(&s, at, Expectation::Kind::kNoLiveDead);
  }
  const RunReport r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.passed()) << failures(r);
  EXPECT_GT(r.peer_downs, 5'000u);  // the churn this test is about
  EXPECT_EQ(r.link_downs, 0u);
  EXPECT_EQ(r.registry.registrations, kNodes);
  EXPECT_EQ(r.registry.instances_at_end, kNodes);
  ASSERT_EQ(r.registry.intervals.size(), 1u) << "views disagreed after the registrations spread";
  EXPECT_FALSE(r.registry.intervals[0].to.is_never());
}

TEST(EngineRegistryNodes, CrashedNodesEntriesLeaveEveryLiveNodeInTime) {
  Scenario s = cluster(12, kNodes, Duration::seconds(90));
  s.timeline.push_back(step_at(Duration::seconds(40), CrashAction{range(17, 17)}));
  expect(&s, Duration::seconds(89), Expectation::Kind::kRegistryConverged, Duration::seconds(30));
  expect(&s, Duration::seconds(89), Expectation::Kind::kNoLiveDead);
  const RunReport r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.passed()) << failures(r);
  EXPECT_EQ(r.registry.instances_at_end, kNodes - 1);
  ASSERT_EQ(r.registry.disruptions.size(), 2u);
  const RegistryDisruption& crash = r.registry.disruptions[1];
  EXPECT_EQ(crash.cause, "crash");
  ASSERT_FALSE(crash.agreed_at.is_never());
  const Duration took = crash.agreed_at - crash.at;
  std::printf("crash of one node among %u: entries gone everywhere after %.3f s\n", kNodes,
              static_cast<double>(took.us()) / 1e6);
  // Probes (2 attempts after the link-down detection) + suspicion timeout
  // (2 s + 1 s x log2 200 = 9 s): about 20 s.
  EXPECT_LT(took, Duration::seconds(20));
}

TEST(EngineRegistryNodes, MassRestartOfThirtyPercentLeavesNoLiveNodeDead) {
  Scenario s = cluster(13, kNodes, Duration::seconds(120));
  RestartAction r30{fraction(300'000), Duration::seconds(5), {"node1@sim", "node2@sim"}};
  s.timeline.push_back(step_at(Duration::seconds(40), r30));
  expect(&s, Duration::seconds(119), Expectation::Kind::kNoLiveDead);
  expect(&s, Duration::seconds(119), Expectation::Kind::kRegistryConverged);
  expect(&s, Duration::seconds(119), Expectation::Kind::kConnected);
  const RunReport r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.passed()) << failures(r);
  EXPECT_EQ(r.live_nodes, kNodes);
  EXPECT_EQ(r.registry.instances_at_end, kNodes - kNodes * 3 / 10);
}

TEST(EngineRegistryNodes, HalvesCutForSixtySecondsLeaveNoLiveNodeDeadOnceHealed) {
  Scenario s = cluster(14, kNodes, Duration::seconds(180));
  PartitionAction p{"split", {range(1, kNodes / 2), range(kNodes / 2 + 1, kNodes)}};
  s.timeline.push_back(step_at(Duration::seconds(30), p));
  s.timeline.push_back(step_at(Duration::seconds(90), HealAction{"split"}));
  expect(&s, Duration::seconds(179), Expectation::Kind::kConnected);
  expect(&s, Duration::seconds(179), Expectation::Kind::kNoLiveDead);
  expect(&s, Duration::seconds(179), Expectation::Kind::kRegistryConverged);
  const RunReport r = run_scenario(s, RunOptions{});
  EXPECT_TRUE(r.passed()) << failures(r);
}

// Registrations, a restart and a re-registration: the same seed gives the
// same trace hash and the same convergence figures; another seed does not.
TEST(EngineRegistryNodes, RegistryRunsAreDeterministic) {
  auto run = [](uint64_t seed) {
    Scenario s = cluster(seed, 50, Duration::seconds(60));
    RestartAction r{fraction(100'000), Duration::seconds(2), {"node1@sim"}};
    s.timeline.push_back(step_at(Duration::seconds(25), r));
    s.timeline.push_back(
        step_at(Duration::seconds(35), RegisterAction{range(1, 50), "svc{i}", 1, {}}));
    expect(&s, Duration::seconds(59), Expectation::Kind::kRegistryConverged);
    return run_scenario(s, RunOptions{});
  };
  const RunReport a = run(21), b = run(21), c = run(22);
  ASSERT_TRUE(a.passed()) << failures(a);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_NE(a.trace_hash, c.trace_hash);
  EXPECT_EQ(a.registry.refused, 45u);  // the 45 nodes that kept their service
  EXPECT_EQ(a.registry.registrations, 55u);
  ASSERT_EQ(a.registry.intervals.size(), b.registry.intervals.size());
  for (size_t k = 0; k < a.registry.intervals.size(); ++k) {
    EXPECT_EQ(a.registry.intervals[k].from, b.registry.intervals[k].from);
    EXPECT_EQ(a.registry.intervals[k].to, b.registry.intervals[k].to);
  }
}

}  // namespace
}  // namespace barrel::sim
