// network_faults_core_test.cpp — goal: the real core (HyParView + Plumtree)
// copes with the network faults beyond QUIC (network.h): duplicated and
// reordered messages, on top of loss, per-link-class latencies, a limited
// up-link, clock drift and a one-way cut that heals: the overlay is
// connected and symmetric again, and every broadcast sent on the healed
// overlay reaches every member exactly once (the engine fails the run on a
// double delivery). And every feature on at once is deterministic: same seed,
// same trace hash. The registry converges with clocks 10% apart and offset by
// up to 30 s. Method: run_scenario() over 60..120 real nodes, scenarios built
// in code or parsed inline; assertions on the expectations and records.
#include <gtest/gtest.h>

#include <string>

#include "barrel/sim/scenario_loader.h"
#include "barrel/sim/simulator.h"
#include "sim/scenario_builders.h"

namespace barrel::sim::test {
namespace {

Expectation expect(Expectation::Kind kind, Duration at) {
  Expectation x;
  x.kind = kind;
  x.at = at;
  return x;
}

// 120 nodes joining through 3 seeds; duplication, reordering and loss on;
// broadcasts every 500 ms from 30 s to 45 s.
Scenario faulty(uint64_t seed) {
  Scenario s;
  s.name = "net-faults";
  s.seed = seed;
  s.node_count = 120;
  s.duration = Duration::seconds(55);
  s.network.latency.kind = LatencyModel::Kind::kNormal;
  s.network.latency.center = Duration::millis(30);
  s.network.latency.stddev = Duration::millis(10);
  s.network.latency.min = Duration::millis(5);
  s.network.latency.max = Duration::millis(80);
  s.network.duplicate_ppm = 200'000;
  s.network.reorder_ppm = 300'000;
  s.network.loss_ppm = 10'000;
  s.node_config.hyparview.shuffle_period = Duration::seconds(2);
  join_via_seeds(&s, Duration::seconds(10));
  Step b;
  b.at = Duration::seconds(30);
  b.every = Duration::millis(500);
  b.until = Duration::seconds(45);
  NodeSelector one;
  one.kind = NodeSelector::Kind::kCount;
  one.count = 1;
  b.action = BroadcastAction{one, 64};
  s.timeline.push_back(b);
  s.expectations.push_back(expect(Expectation::Kind::kConnected, Duration::seconds(29)));
  s.expectations.push_back(expect(Expectation::Kind::kSymmetric, Duration::seconds(29)));
  Expectation rel = expect(Expectation::Kind::kReliability, Duration::seconds(54));
  rel.reliability_ppm = kPpmOne;
  rel.since = Duration::seconds(30);
  s.expectations.push_back(rel);
  return s;
}

void expect_all_passed(const RunReport& r) {
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  for (const ExpectationResult& x : r.expectations)
    EXPECT_TRUE(x.passed) << x.detail;
}

TEST(NetworkFaultsCore, DuplicationAndReorderingKeepTheOverlayAndBroadcastsWhole) {
  const RunReport r = run_scenario(faulty(1), RunOptions{});
  expect_all_passed(r);
  // Duplicates arrive: more deliveries than sends.
  EXPECT_GT(r.messages.delivered, r.messages.sent);
  const BroadcastSummary& run = r.broadcast_summaries.at(0);
  EXPECT_EQ(run.sent, 31u);
  EXPECT_EQ(run.reliability_min_ppm, kPpmOne);
}

// Every feature at once: classes, bandwidth, wire mode, clock drift and a
// one-way cut of 10 nodes that heals at 20 s.
Scenario everything(uint64_t seed) {
  Scenario s = faulty(seed);
  s.network.wire_mode = true;
  s.network.bandwidth_bytes_per_s = 1'000'000;
  s.network.reorder_delay = Duration::millis(20);
  LinkOverride far;
  far.from = range(1, 60);
  far.to = range(61, 120);
  far.latency.kind = LatencyModel::Kind::kLognormal;
  far.latency.center = Duration::millis(60);
  far.latency.sigma_ppm = 300'000;
  far.latency.min = Duration::millis(30);
  far.latency.max = Duration::millis(200);
  s.network.links.push_back(far);
  s.network.clock.drift_ppm_min = -100;
  s.network.clock.drift_ppm_max = 100;
  s.network.clock.offset_max = Duration::seconds(5);
  PartitionAction cut;
  cut.name = "oneway";
  cut.one_way = true;
  cut.from = range(111, 120);
  NodeSelector rest;
  rest.kind = NodeSelector::Kind::kFraction;
  rest.fraction_ppm = kPpmOne;
  cut.to = rest;
  Step c;
  c.at = Duration::seconds(14);
  c.action = cut;
  Step h;
  h.at = Duration::seconds(20);
  h.action = HealAction{"oneway"};
  s.timeline.push_back(c);
  s.timeline.push_back(h);
  return s;
}

TEST(NetworkFaultsCore, EveryFeatureOnHealsAndIsDeterministic) {
  const RunReport a = run_scenario(everything(7), RunOptions{});
  expect_all_passed(a);
  EXPECT_GT(a.link_downs, 0u);  // the one-way cut took links down
  const RunReport b = run_scenario(everything(7), RunOptions{});
  const RunReport c = run_scenario(everything(8), RunOptions{});
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.events, b.events);
  EXPECT_NE(a.trace_hash, c.trace_hash);
}

// Clocks drift by up to +-10% and start up to 30 s apart, with restarts, a
// crash and duplicated / reordered messages: the registry still converges.
TEST(NetworkFaultsCore, RegistryConvergesUnderClockDrift) {
  const std::string yaml =
      "duration: 120s\n"
      "nodes: {count: 60}\n"
      "network:\n"
      "  latency: {uniform: [10ms, 80ms]}\n"
      "  clock: {drift_ppm: {uniform: [-100000, 100000]}, offset: {uniform: [0s, 30s]}}\n"
      "  duplicate: 0.05\n"
      "  reorder: 0.1\n"
      "timeline:\n"
      "  - {at: 0s, start: {range: [1, 3]}}\n"
      "  - {at: 0s, join: {nodes: {range: [2, 3]}, contacts: [node1@sim]}}\n"
      "  - {at: 1s, join: {nodes: {range: [4, 60]}, contacts: [node1@sim, node2@sim, "
      "node3@sim], spread: 10s}}\n"
      "  - {at: 20s, register: {nodes: all, service: \"svc{k}\", count: 3}}\n"
      "  - {at: 25s, every: 10s, until: 55s, restart: {nodes: {fraction: 5%}, after: 5s, "
      "contacts: [node1@sim, node2@sim, node3@sim]}}\n"
      "  - {at: 40s, crash: {range: [55, 60]}}\n"
      "  - {at: 70s, register: {nodes: {range: [1, 54]}, service: \"svc{k}\", count: 3}}\n"
      "expect:\n"
      "  - {at: 119s, registry_converged: true, within: 40s}\n"
      "  - {at: 119s, no_live_dead: true}\n"
      "  - {at: 119s, connected: true}\n";
  Result<Scenario> s = parse_scenario(yaml, "drift.yaml");
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  const RunReport r = run_scenario(*s, RunOptions{});
  expect_all_passed(r);
  EXPECT_EQ(r.expectations.size(), 3u);
}

}  // namespace
}  // namespace barrel::sim::test
