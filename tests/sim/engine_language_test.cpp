// engine_language_test.cpp — goal: the scenario-language constructs do
// what they say in a run: groups select their nodes (random ones disjoint,
// `rest` the remainder, draws within a group stay in it); a `between` step
// spreads its nodes' actions over its window; churn makes exactly the
// arrivals and departures its Rng stream draws; restart `identity: new`
// brings a never-started node up instead of the old name, and fails the run
// when none is left. Method: scripted FakeNodes (engine_fake_node.h) whose
// log records every input with its instant; scenarios built from YAML text
// through parse_scenario(); the churn schedule is recomputed independently
// from the same seed-derived stream and compared entry by entry.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "barrel/codec.h"
#include "barrel/sim/scenario_loader.h"
#include "churn.h"
#include "engine.h"
#include "sim/engine_fake_node.h"
#include "sim/engine_test_util.h"
#include "sim/loader_test_util.h"

namespace barrel::sim::test {
namespace {

// node index -> instants (us) of its `input` entries.
std::map<uint32_t, std::vector<uint64_t>> by_node(const FakeWorld& w, const std::string& input) {
  std::map<uint32_t, std::vector<uint64_t>> out;
  for (const FakeLogEntry& e : w.log) {
    if (e.input == input)
      out[e.node].push_back(e.t_us);
  }
  return out;
}

TEST(EngineGroups, GroupsSelectWhatTheySay) {
  FakeWorld w;
  const Scenario s = load(
      "duration: 10s\nnodes: {count: 20}\n"
      "groups:\n  a: {range: [1, 5]}\n  b: {count: 4}\n  c: rest\n  d: {group: c, count: 3}\n"
      "timeline:\n"
      "  - {at: 1s, start: a}\n  - {at: 2s, start: {group: b}}\n  - {at: 3s, start: c}\n"
      "  - {at: 4s, leave: d}\n  - {at: 5s, leave: {group: a, count: 2}}\n");
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto creates = by_node(w, "create");
  ASSERT_EQ(creates.size(), 20u);  // a, b and rest cover every node once
  std::set<uint32_t> b, c;
  for (const auto& [node, at] : creates) {
    ASSERT_EQ(at.size(), 1u);
    if (node < 5) {
      EXPECT_EQ(at[0], 1'000'000u) << node;
    } else if (at[0] == 2'000'000u) {
      b.insert(node);
    } else {
      EXPECT_EQ(at[0], 3'000'000u) << node;
      c.insert(node);
    }
  }
  EXPECT_EQ(b.size(), 4u);  // drawn among the nodes a does not hold
  EXPECT_EQ(c.size(), 11u);
  std::set<uint32_t> left_at_4, left_at_5;
  for (const auto& [node, at] : by_node(w, "leave"))
    (at[0] == 4'000'000u ? left_at_4 : left_at_5).insert(node);
  EXPECT_EQ(left_at_4.size(), 3u);
  for (uint32_t n : left_at_4)
    EXPECT_TRUE(c.count(n)) << "d is drawn within c, but holds node " << n;
  EXPECT_EQ(left_at_5.size(), 2u);
  for (uint32_t n : left_at_5)
    EXPECT_LT(n, 5u);
}

TEST(EngineGroups, SameSeedSameGroupsOtherSeedOtherDraw) {
  const std::string yaml =
      "duration: 5s\nnodes: {count: 100}\ngroups:\n  g: {count: 10}\n"
      "timeline:\n  - {at: 1s, start: g}\n";
  auto drawn = [&](uint64_t seed) {
    Scenario s = load(yaml);
    s.seed = seed;
    FakeWorld w;
    run(s, &w);
    std::set<uint32_t> out;
    for (const auto& [node, at] : by_node(w, "create"))
      out.insert(node);
    return out;
  };
  EXPECT_EQ(drawn(1).size(), 10u);
  EXPECT_EQ(drawn(1), drawn(1));
  EXPECT_NE(drawn(1), drawn(2));
}

TEST(EngineGroups, AFractionOfAGroupAndARestartWaveStayInTheGroup) {
  FakeWorld w;
  const Scenario s = load(
      "duration: 60s\nnodes: {count: 40}\ngroups:\n  east: {range: [1, 20]}\n  west: rest\n"
      "timeline:\n  - {at: 0s, start: all}\n"
      "  - {at: 10s, restart: {nodes: {group: east, fraction: 0.5}, after: 1s, contacts: "
      "[node1@sim]}}\n"
      "  - {between: [20s, 30s], restart: {nodes: west, after: 0s, contacts: [node1@sim]}}\n");
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  size_t east_restarted = 0, west_restarted = 0;
  for (const auto& [node, at] : by_node(w, "create")) {
    if (node < 20) {
      ASSERT_LE(at.size(), 2u);
      if (at.size() == 2) {
        EXPECT_EQ(at[1], 11'000'000u);
        east_restarted += 1;
      }
    } else {
      ASSERT_EQ(at.size(), 2u) << node;
      EXPECT_GE(at[1], 20'000'000u);
      EXPECT_LT(at[1], 30'000'000u);
      west_restarted += 1;
    }
  }
  EXPECT_EQ(east_restarted, 10u);
  EXPECT_EQ(west_restarted, 20u);
  // A restart wave opens one healing record per node, at its own instant.
  EXPECT_EQ(r.healings.size(), 1u + 20u);
}

TEST(EngineGroups, NetworkLinkClassesAndCutsTakeGroups) {
  FakeWorld w;
  // A join of a running node is a poke: it sends one FORWARD_JOIN to the contact.
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join")
      queue_forward_join(n, peer);
  };
  const Scenario s = load(
      "duration: 10s\nnodes: {count: 4}\ngroups:\n  east: [node1@sim, node2@sim]\n  west: rest\n"
      "network:\n  latency: 10ms\n  links: [{from: east, to: west, latency: 50ms}]\n"
      "timeline:\n  - {at: 0s, start: all}\n"
      "  - {at: 1s, join: {nodes: node1@sim, contacts: [node3@sim]}}\n"
      "  - {at: 1s, join: {nodes: node1@sim, contacts: [node2@sim]}}\n"
      "  - {at: 2s, partition: {name: cut, groups: [east, west]}}\n"
      "  - {at: 3s, join: {nodes: node4@sim, contacts: [node3@sim]}}\n"
      "  - {at: 3s, join: {nodes: node4@sim, contacts: [node2@sim]}}\n");
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto at3 = w.entries(2, "deliver:FORWARD_JOIN");
  const auto at2 = w.entries(1, "deliver:FORWARD_JOIN");
  ASSERT_EQ(at3.size(), 2u);           // from node1 at 1 s and node4 at 3 s (same side of the cut)
  EXPECT_EQ(at3[0].t_us, 1'050'000u);  // east -> west: the group pair's latency
  EXPECT_EQ(at3[1].t_us, 3'010'000u);  // west -> west: the base latency
  ASSERT_EQ(at2.size(), 1u);           // node4 -> node2 crosses the cut: dropped
  EXPECT_EQ(at2[0].t_us, 1'010'000u);  // east -> east: the base latency
}

TEST(EngineBetween, EachNodeActsAtItsOwnInstantWithinTheWindow) {
  FakeWorld w;
  const Scenario s = load(
      "duration: 60s\nnodes: {count: 200}\n"
      "timeline:\n  - {between: [10s, 20s], start: all}\n"
      "  - {between: [30s, 40s], leave: {count: 50}}\n");
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  std::set<uint64_t> instants;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (const auto& [node, at] : by_node(w, "create")) {
    ASSERT_EQ(at.size(), 1u);
    EXPECT_GE(at[0], 10'000'000u);
    EXPECT_LT(at[0], 20'000'000u);
    instants.insert(at[0]);
    lo = std::min(lo, at[0]);
    hi = std::max(hi, at[0]);
  }
  EXPECT_EQ(by_node(w, "create").size(), 200u);
  EXPECT_GT(instants.size(), 190u);  // microsecond draws: ties are rare
  EXPECT_LT(lo, 11'000'000u);        // 200 uniform draws cover the window
  EXPECT_GE(hi, 19'000'000u);
  const auto leaves = by_node(w, "leave");
  EXPECT_EQ(leaves.size(), 50u);
  for (const auto& [node, at] : leaves) {
    EXPECT_GE(at[0], 30'000'000u);
    EXPECT_LT(at[0], 40'000'000u);
  }
}

// The churn schedule recomputed from the churn stream: per arrival the pool
// probe(s), the contact (one candidate: one draw), no session draw
// (constant), then the gap to the next arrival.
struct Arrival {
  uint64_t t_us;
  uint32_t node;
};

std::vector<Arrival> expected_churn(uint64_t seed, const ChurnAction& c, Duration at) {
  Rng rng(derive_seed(seed, SeedDomain::kFaults, 2));
  std::vector<uint32_t> pool;
  for (uint32_t i = c.nodes.first - 1; i < c.nodes.last; ++i)
    pool.push_back(i);
  std::map<uint32_t, uint64_t> member_until;  // arrival + session
  std::vector<Arrival> out;
  uint64_t t = (at + gap_draw(c.arrivals_per_second_ppm, &rng)).us();
  for (int guard = 0; guard < 100000 && t <= static_cast<uint64_t>(c.until.us()); ++guard) {
    uint32_t node = UINT32_MAX;
    for (int probe = 0; probe < 32 && node == UINT32_MAX; ++probe) {
      const uint32_t i = pool[rng.uniform(pool.size())];
      if (member_until[i] <= t)
        node = i;
    }
    EXPECT_NE(node, UINT32_MAX) << "the test's pool is large enough for probes to succeed";
    (void)rng.uniform(1);  // the contact
    member_until[node] = t + static_cast<uint64_t>(c.session.mean.us());
    out.push_back({t, node});
    t += gap_draw(c.arrivals_per_second_ppm, &rng).us();
  }
  return out;
}

TEST(EngineChurn, ArrivalsAndDeparturesAreTheDrawnOnes) {
  FakeWorld w;
  const Scenario s = load(
      "duration: 60s\nnodes: {count: 101}\n"
      "timeline:\n  - {at: 0s, start: node1@sim}\n"
      "  - at: 5s\n    churn: {nodes: {range: [2, 101]}, arrivals_per_second: 2, session: 3s, "
      "until: 55s, contacts: [node1@sim], departure: leave}\n");
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto& churn = std::get<ChurnAction>(s.timeline[1].action);
  const std::vector<Arrival> expected = expected_churn(s.seed, churn, s.timeline[1].at);
  // 2 per second over 50 s: 100 expected; far outside is a broken process.
  EXPECT_GT(expected.size(), 60u);
  EXPECT_LT(expected.size(), 140u);
  EXPECT_EQ(r.churn.arrivals, expected.size());
  EXPECT_EQ(r.churn.departures_leave, expected.size());  // every session ends by 58 s
  EXPECT_EQ(r.churn.pool_empty, 0u);
  std::vector<FakeLogEntry> creates, joins, leaves;
  for (const FakeLogEntry& e : w.log) {
    if (e.node == 0)
      continue;
    if (e.input == "create")
      creates.push_back(e);
    if (e.input == "join")
      joins.push_back(e);
    if (e.input == "leave")
      leaves.push_back(e);
  }
  ASSERT_EQ(creates.size(), expected.size());
  ASSERT_EQ(joins.size(), expected.size());
  for (size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ(creates[k].t_us, expected[k].t_us) << k;
    EXPECT_EQ(creates[k].node, expected[k].node) << k;
    EXPECT_EQ(joins[k].t_us, expected[k].t_us) << k;
    EXPECT_EQ(joins[k].peer, 0u) << k;
  }
  // Each session lasts exactly 3 s.
  std::map<uint32_t, std::vector<uint64_t>> left = by_node(w, "leave");
  size_t matched = 0;
  for (const Arrival& a : expected) {
    const auto& at = left[a.node];
    matched += std::count(at.begin(), at.end(), a.t_us + 3'000'000u);
  }
  EXPECT_EQ(matched, expected.size());
}

TEST(EngineChurn, CrashDeparturesFreeThePoolForNewIncarnations) {
  FakeWorld w;
  const Scenario s = load(
      "duration: 120s\nnodes: {count: 6}\n"
      "timeline:\n  - {at: 0s, start: node1@sim}\n"
      "  - at: 1s\n    churn: {nodes: {range: [2, 6]}, arrivals_per_second: 1, session: "
      "{exponential: 4s}, until: 110s, contacts: [node1@sim]}\n");
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  // ~109 arrivals into a pool of 5: nodes come back as new incarnations.
  EXPECT_GT(r.churn.arrivals, 50u);
  EXPECT_GT(r.churn.departures_crash, 40u);
  EXPECT_LE(r.churn.departures_crash, r.churn.arrivals);
  EXPECT_EQ(w.created, 1 + r.churn.arrivals);
  for (const auto& [node, at] : by_node(w, "create")) {
    if (node != 0) {
      EXPECT_GT(at.size(), 5u) << node;
    }
  }
}

TEST(EngineChurn, SessionAndGapDrawsFollowTheirDistributions) {
  Rng rng(7);
  constexpr int kDraws = 20000;
  SessionModel exp;
  exp.kind = SessionModel::Kind::kExponential;
  exp.mean = Duration::seconds(10);
  SessionModel uni;
  uni.kind = SessionModel::Kind::kUniform;
  uni.min = Duration::seconds(2);
  uni.max = Duration::seconds(4);
  SessionModel logn;
  logn.kind = SessionModel::Kind::kLognormal;
  logn.mean = Duration::seconds(8);  // the median
  logn.sigma_ppm = 500'000;
  double exp_sum = 0, gap_sum = 0;
  int below_median = 0;
  for (int k = 0; k < kDraws; ++k) {
    exp_sum += static_cast<double>(session_draw(exp, &rng).us());
    gap_sum += static_cast<double>(gap_draw(4 * kPpmOne, &rng).us());  // 4 per second
    const Duration u = session_draw(uni, &rng);
    ASSERT_GE(u, Duration::seconds(2));
    ASSERT_LE(u, Duration::seconds(4));
    below_median += session_draw(logn, &rng) < Duration::seconds(8) ? 1 : 0;
  }
  EXPECT_NEAR(exp_sum / kDraws, 10e6, 0.3e6);  // sd of the mean: 10e6 / sqrt(20000)
  EXPECT_NEAR(gap_sum / kDraws, 0.25e6, 0.01e6);
  EXPECT_NEAR(below_median, kDraws / 2, 500);
  SessionModel tiny;
  tiny.kind = SessionModel::Kind::kConstant;
  tiny.mean = Duration::zero();
  EXPECT_EQ(session_draw(tiny, &rng), Duration::micros(1));  // clamped, time advances
}

TEST(EngineRestart, IdentityNewBootsANeverStartedNode) {
  FakeWorld w;
  const Scenario s = load(
      "duration: 20s\nnodes: {count: 5}\n"
      "timeline:\n  - {at: 0s, start: {range: [1, 3]}}\n"
      "  - {at: 5s, restart: {nodes: [node2@sim], after: 1s, contacts: [node1@sim], identity: "
      "new}}\n"
      "  - {at: 7s, restart: {nodes: [node3@sim], after: 1s, contacts: [node1@sim]}}\n"
      "  - {at: 9s, restart: {nodes: [node3@sim], after: 1s, contacts: [node1@sim], identity: "
      "new}}\n");
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto creates = by_node(w, "create");
  EXPECT_EQ(creates.at(1), std::vector<uint64_t>{0});  // node2 never comes back
  EXPECT_EQ(creates.at(3), std::vector<uint64_t>{6'000'000});
  EXPECT_EQ(creates.at(2), (std::vector<uint64_t>{0, 8'000'000}));  // identity keep
  EXPECT_EQ(creates.at(4), std::vector<uint64_t>{10'000'000});
  const auto joins = w.entries(3, "join");
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].peer, 0u);
  EXPECT_EQ(r.live_nodes, 3u);  // node1, node4, node5
}

TEST(EngineRestart, IdentityNewWithNoFreshNodeFailsTheRun) {
  FakeWorld w;
  const Scenario s = load(
      "duration: 20s\nnodes: {count: 2}\n"
      "timeline:\n  - {at: 0s, start: all}\n"
      "  - {at: 5s, restart: {nodes: [node2@sim], after: 1s, contacts: [node1@sim], identity: "
      "new}}\n");
  const RunReport r = run(s, &w);
  EXPECT_NE(r.failure.find("t.yaml:5:5: restart of node2@sim at t=5.000000s with identity new"),
            std::string::npos)
      << r.failure;
  EXPECT_NE(r.failure.find("no fresh identity is left"), std::string::npos);
}

TEST(EngineLanguage, RunsWithEveryConstructAreDeterministic) {
  const std::string yaml =
      "duration: 40s\nnodes: {count: 80}\n"
      "groups:\n  seeds: [node1@sim, node2@sim]\n  core: {range: [3, 30]}\n  pool: {range: [31, "
      "60]}\n"
      "timeline:\n  - {at: 0s, join: {nodes: seeds, contacts: [node1@sim]}}\n"
      "  - {between: [1s, 5s], join: {nodes: core, contacts: [node1@sim, node2@sim]}}\n"
      "  - {at: 8s, register: {nodes: core, service: \"s{i}\"}}\n"
      "  - at: 6s\n    churn: {nodes: pool, arrivals_per_second: 3, session: {lognormal: "
      "{median: 5s, sigma: 0.5}}, until: 35s, contacts: [node1@sim]}\n"
      "  - {between: [15s, 20s], crash: {group: core, count: 3}}\n"
      "  - {at: 21s, restart: {nodes: {group: core, count: 2}, after: 1s, contacts: "
      "[node1@sim], identity: new}}\n"
      "  - {at: 30s, lookup: {from: {count: 5}, service: \"s{i}\", count: 4}}\n"
      "expect:\n  - {at: 38s, msgs_per_node_per_second: {max: 100, since: 10s}}\n";
  const Scenario s = load(yaml);
  const RunReport a = run_scenario(s, RunOptions{});
  const RunReport b = run_scenario(s, RunOptions{});
  ASSERT_TRUE(a.failure.empty()) << a.failure;
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.churn.arrivals, b.churn.arrivals);
  EXPECT_EQ(a.lookups.exact, b.lookups.exact);
  EXPECT_GT(a.churn.arrivals, 50u);
  EXPECT_EQ(a.lookups.lookups, 20u);
  Scenario other = s;
  other.seed = 2;
  EXPECT_NE(run_scenario(other, RunOptions{}).trace_hash, a.trace_hash);
}

}  // namespace
}  // namespace barrel::sim::test
