// scenario_loader_language_test.cpp — goal: the scenario-language constructs
// added for issue 4 load into the Scenario they say, and every mistake in
// them is reported at its file:line:column with the expected form (a typo'd
// key with the allowed keys). Constructs: groups and group selectors,
// between, churn (each session form), restart identity, lookup,
// msgs_per_node_per_second, and the plumtree/liveness/registry config.
// Method: documents parsed from strings through parse_scenario() ("t.yaml");
// assertions on the fields and on the exact error text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "barrel/sim/scenario_loader.h"
#include "sim/loader_test_util.h"

namespace barrel::sim::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kGroups =
    "groups:\n"                                     // line 3
    "  seeds: [node1@sim, node2@sim]\n"             // line 4
    "  east: {range: [3, 6]}\n"                     // line 5
    "  crashy: {count: 2}\n"                        // line 6
    "  west: rest\n"                                // line 7
    "  some_east: {group: east, fraction: 0.5}\n";  // line 8

TEST(LoaderGroups, GroupsLoadInOrderWithTheirSelectors) {
  const Scenario s = load(kHead + kGroups);
  ASSERT_EQ(s.groups.size(), 5u);
  EXPECT_EQ(s.groups[0].name, "seeds");
  EXPECT_EQ(s.groups[0].members.kind, NodeSelector::Kind::kNames);
  EXPECT_EQ(s.groups[1].members.kind, NodeSelector::Kind::kRange);
  EXPECT_EQ(s.groups[2].members.kind, NodeSelector::Kind::kCount);
  EXPECT_TRUE(s.groups[3].rest);
  EXPECT_EQ(s.groups[4].members.kind, NodeSelector::Kind::kFraction);
  EXPECT_EQ(s.groups[4].members.group, "east");
  EXPECT_EQ(s.groups[1].loc.line, 5);
}

TEST(LoaderGroups, GroupSelectorsWorkInEveryAction) {
  const Scenario s = load(kHead + kGroups +
                          "timeline:\n"
                          "  - {at: 0s, start: seeds}\n"
                          "  - {at: 1s, join: {nodes: {group: east}, contacts: [node1@sim]}}\n"
                          "  - {at: 2s, crash: {group: west, fraction: 0.5}}\n"
                          "  - {at: 3s, partition: {groups: [east, {group: west}]}}\n"
                          "  - {at: 4s, broadcast: {from: {group: seeds, count: 1}, bytes: 8}}\n"
                          "  - {at: 5s, register: {nodes: crashy, service: \"s{i}\"}}\n");
  ASSERT_EQ(s.timeline.size(), 6u);
  const auto& start = std::get<StartAction>(s.timeline[0].action);
  EXPECT_EQ(start.nodes.kind, NodeSelector::Kind::kGroup);
  EXPECT_EQ(start.nodes.group, "seeds");
  const auto& crash = std::get<CrashAction>(s.timeline[2].action);
  EXPECT_EQ(crash.nodes.kind, NodeSelector::Kind::kFraction);
  EXPECT_EQ(crash.nodes.group, "west");
  EXPECT_EQ(crash.nodes.fraction_ppm, 500'000u);
  const auto& p = std::get<PartitionAction>(s.timeline[3].action);
  ASSERT_EQ(p.groups.size(), 2u);
  EXPECT_EQ(p.groups[0].group, "east");
  EXPECT_EQ(p.groups[1].group, "west");
  const auto& b = std::get<BroadcastAction>(s.timeline[4].action);
  EXPECT_EQ(b.from.kind, NodeSelector::Kind::kCount);
  EXPECT_EQ(b.from.group, "seeds");
}

TEST(LoaderGroups, UnknownGroupIsLocatedAndListsTheKnownOnes) {
  const std::string m =
      error_of(kHead + kGroups + "timeline:\n  - {at: 1s, crash: {group: north}}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:10:29: unknown group 'north' in timeline[0].crash.group"));
  EXPECT_THAT(m, HasSubstr("expected a group defined before: seeds, east, crashy, west"));
}

TEST(LoaderGroups, AGroupMayOnlyNameGroupsAboveIt) {
  const std::string m = error_of(kHead + "groups:\n  a: {group: b}\n  b: [node1@sim]\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:14: unknown group 'b' in groups.a.group"));
}

TEST(LoaderGroups, TypoInAGroupSelectorListsTheAllowedKeys) {
  const std::string m = error_of(kHead + "groups:\n  a: {rnage: [1, 2]}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:7: unknown key 'rnage' in groups.a"));
  EXPECT_THAT(m, HasSubstr("one of: range, count, fraction, group"));
}

TEST(LoaderGroups, BadNamesAndDuplicatesAreRejected) {
  EXPECT_THAT(error_of(kHead + "groups:\n  all: [node1@sim]\n"),
              StartsWith("t.yaml:4:3: 'all' is not a valid group name"));
  EXPECT_THAT(error_of(kHead + "groups:\n  a@b: [node1@sim]\n"),
              StartsWith("t.yaml:4:3: 'a@b' is not a valid group name"));
  EXPECT_THAT(error_of(kHead + "groups: [a, b]\n"), StartsWith("t.yaml:3:9: groups is a list"));
}

TEST(LoaderGroups, RangeWithAGroupIsRejected) {
  const std::string m =
      error_of(kHead + "groups:\n  a: [node1@sim]\n  b: {group: a, range: [1, 2]}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:5:24: groups.b.range with a group"));
}

TEST(LoaderBetween, BetweenSetsTheWindow) {
  const Scenario s = load(kHead + "timeline:\n  - {between: [10s, 20s], crash: {count: 3}}\n");
  ASSERT_EQ(s.timeline.size(), 1u);
  EXPECT_EQ(s.timeline[0].at, Duration::seconds(10));
  EXPECT_EQ(s.timeline[0].between_end, Duration::seconds(20));
  EXPECT_EQ(s.timeline[0].every, Duration::zero());
}

TEST(LoaderBetween, MistakesAreLocated) {
  EXPECT_THAT(error_of(kHead + "timeline:\n  - {between: [20s, 10s], crash: all}\n"),
              StartsWith("t.yaml:4:15: timeline[0].between is an empty window; expected [T1, "
                         "T2] with T1 < T2"));
  EXPECT_THAT(error_of(kHead + "timeline:\n  - {between: [1s, 2s], at: 1s, crash: all}\n"),
              StartsWith("t.yaml:4:29: timeline[0].at beside between"));
  EXPECT_THAT(error_of(kHead + "timeline:\n  - {between: [1s, 90s], crash: all}\n"),
              StartsWith("t.yaml:4:20: timeline[0].between[1] is 90s, beyond the scenario"));
  EXPECT_THAT(error_of(kHead + "timeline:\n  - {between: [1s, 2s], heal: all}\n"),
              StartsWith("t.yaml:4:15: timeline[0].heal with between"));
  EXPECT_THAT(error_of(kHead + "timeline:\n  - between: [1s, 2s]\n    join: {nodes: all, contacts: "
                               "[node1@sim], spread: 1s}\n"),
              StartsWith("t.yaml:5:55: timeline[0].join.spread in a between step"));
  EXPECT_THAT(error_of(kHead + "timeline:\n  - {between: 1s, crash: all}\n"),
              StartsWith("t.yaml:4:15: timeline[0].between is '1s'"));
}

const std::string kChurnHead =
    "timeline:\n"
    "  - at: 5s\n"
    "    churn:\n"
    "      nodes: {range: [2, 10]}\n"
    "      arrivals_per_second: 0.5\n"
    "      until: 50s\n"
    "      contacts: [node1@sim]\n";

TEST(LoaderChurn, EverySessionFormLoads) {
  const struct {
    const char* session;
    SessionModel::Kind kind;
  } cases[] = {{"30s", SessionModel::Kind::kConstant},
               {"{exponential: 20s}", SessionModel::Kind::kExponential},
               {"{uniform: [10s, 30s]}", SessionModel::Kind::kUniform},
               {"{lognormal: {median: 20s, sigma: 0.5}}", SessionModel::Kind::kLognormal}};
  for (const auto& c : cases) {
    const Scenario s =
        load(kHead + kChurnHead + "      session: " + c.session + "\n      departure: leave\n");
    ASSERT_EQ(s.timeline.size(), 1u) << c.session;
    const auto& churn = std::get<ChurnAction>(s.timeline[0].action);
    EXPECT_EQ(churn.session.kind, c.kind) << c.session;
    EXPECT_EQ(churn.arrivals_per_second_ppm, 500'000u);
    EXPECT_EQ(churn.until, Duration::seconds(50));
    EXPECT_EQ(churn.departure, ChurnAction::Departure::kLeave);
    EXPECT_EQ(churn.nodes.kind, NodeSelector::Kind::kRange);
    if (c.kind == SessionModel::Kind::kLognormal) {
      EXPECT_EQ(churn.session.mean, Duration::seconds(20));
      EXPECT_EQ(churn.session.sigma_ppm, 500'000u);
    }
    if (c.kind == SessionModel::Kind::kUniform) {
      EXPECT_EQ(churn.session.min, Duration::seconds(10));
      EXPECT_EQ(churn.session.max, Duration::seconds(30));
    }
  }
}

TEST(LoaderChurn, MistakesAreLocated) {
  EXPECT_THAT(error_of(kHead + kChurnHead + "      sesion: 30s\n"),
              StartsWith("t.yaml:10:7: unknown key 'sesion' in timeline[0].churn"));
  EXPECT_THAT(error_of(kHead + kChurnHead + "      sesion: 30s\n"),
              HasSubstr("one of: nodes, arrivals_per_second, session, until, contacts, departure"));
  EXPECT_THAT(error_of(kHead + kChurnHead + "      session: {exponentail: 3s}\n"),
              StartsWith("t.yaml:10:17: unknown key 'exponentail' in timeline[0].churn.session"));
  EXPECT_THAT(error_of(kHead + kChurnHead + "      session: 30s\n      departure: vanish\n"),
              StartsWith("t.yaml:11:18: timeline[0].churn.departure is 'vanish'; expected crash "
                         "or leave"));
  EXPECT_THAT(error_of(kHead + kChurnHead + "      session: {uniform: [30s, 10s]}\n"),
              StartsWith("t.yaml:10:26: timeline[0].churn.session.uniform has A above B"));
  EXPECT_THAT(
      error_of(kHead + kChurnHead + "      session: {lognormal: {median: 1s, sigma: 11}}\n"),
      StartsWith("t.yaml:10:48: timeline[0].churn.session.lognormal.sigma is 11, out of range"));
  // 1000 per second for 45 s is 45000 arrivals: fine; for a 10^4 s run it is not.
  EXPECT_THAT(error_of("duration: 20000s\nnodes: {count: 10}\ntimeline:\n  - at: 0s\n    churn: "
                       "{nodes: all, arrivals_per_second: 1000, session: 1s, until: 20000s, "
                       "contacts: [node1@sim]}\n"),
              StartsWith("t.yaml:5:46: timeline[0].churn expects more than 500000 arrivals"));
  EXPECT_THAT(error_of(kHead + "timeline:\n  - at: 5s\n    churn: {nodes: all, "
                               "arrivals_per_second: 0, session: 1s, until: 6s, contacts: "
                               "[node1@sim]}\n"),
              StartsWith("t.yaml:5:46: timeline[0].churn.arrivals_per_second is 0, out of range"));
  EXPECT_THAT(error_of(kHead + "timeline:\n  - at: 5s\n    churn: {nodes: all, "
                               "arrivals_per_second: 1, session: 1s, until: 4s, contacts: "
                               "[node1@sim]}\n"),
              StartsWith("t.yaml:5:69: timeline[0].churn.until is 4s, below 5s"));
}

TEST(LoaderRestart, IdentityKeepAndNew) {
  const std::string base =
      kHead +
      "timeline:\n  - {at: 5s, restart: {nodes: [node2@sim], after: 1s, contacts: "
      "[node1@sim]";
  EXPECT_EQ(std::get<RestartAction>(load(base + "}}\n").timeline[0].action).identity,
            RestartAction::Identity::kKeep);
  EXPECT_EQ(std::get<RestartAction>(load(base + ", identity: new}}\n").timeline[0].action).identity,
            RestartAction::Identity::kNew);
  EXPECT_THAT(error_of(base + ", identity: fresh}}\n"),
              StartsWith("t.yaml:4:88: timeline[0].restart.identity is 'fresh'; expected keep or "
                         "new"));
  EXPECT_THAT(error_of(base + ", identiy: new}}\n"),
              HasSubstr("unknown key 'identiy' in timeline[0].restart; expected one of: nodes, "
                        "after, contacts, identity"));
}

TEST(LoaderLookup, LookupLoadsAndChecksItsCount) {
  const Scenario s =
      load(kHead + "timeline:\n  - {at: 5s, lookup: {from: all, service: \"svc{i}\", count: 3}}\n");
  const auto& l = std::get<LookupAction>(s.timeline[0].action);
  EXPECT_EQ(l.count, 3u);
  EXPECT_EQ(l.service, "svc{i}");
  EXPECT_EQ(l.from.kind, NodeSelector::Kind::kAll);
  EXPECT_THAT(
      error_of(kHead + "timeline:\n  - {at: 5s, lookup: {from: all, service: s, count: 0}}\n"),
      StartsWith("t.yaml:4:53: timeline[0].lookup.count is zero"));
  EXPECT_THAT(error_of(kHead + "timeline:\n  - {at: 5s, lookup: {form: all, service: s}}\n"),
              StartsWith("t.yaml:4:23: unknown key 'form' in timeline[0].lookup"));
}

TEST(LoaderExpect, MsgsPerNodePerSecondLoads) {
  const Scenario s =
      load(kHead +
           "expect:\n  - {at: 50s, msgs_per_node_per_second: {max: 2.5, since: 10s}}\n"
           "  - {at: 50s, msgs_per_node_per_second: 3}\n");
  ASSERT_EQ(s.expectations.size(), 2u);
  EXPECT_EQ(s.expectations[0].kind, Expectation::Kind::kMsgsPerNode);
  EXPECT_EQ(s.expectations[0].msgs_max_ppm, 2'500'000u);
  EXPECT_EQ(s.expectations[0].since, Duration::seconds(10));
  EXPECT_EQ(s.expectations[1].msgs_max_ppm, 3'000'000u);
  EXPECT_EQ(s.expectations[1].since, Duration::zero());
}

TEST(LoaderExpect, MsgsMistakesAreLocated) {
  EXPECT_THAT(
      error_of(kHead + "expect:\n  - {at: 10s, msgs_per_node_per_second: {max: 2, since: 10s}}\n"),
      StartsWith("t.yaml:4:57: expect[0].msgs_per_node_per_second.since is 10s, not before at"));
  EXPECT_THAT(error_of(kHead + "expect:\n  - {at: 10s, msgs_per_node_per_second: {mx: 2}}\n"),
              StartsWith("t.yaml:4:42: unknown key 'mx' in expect[0].msgs_per_node_per_second"));
  EXPECT_THAT(error_of(kHead + "expect:\n  - {at: 10s, msgs_per_node_per_second: -1}\n"),
              StartsWith("t.yaml:4:41: expect[0].msgs_per_node_per_second is '-1', not a decimal"));
}

TEST(LoaderExpect, EveryNamedAssertionOfTheIssueExists) {
  const Scenario s = load(kHead +
                          "timeline:\n  - {at: 1s, crash: {count: 1}}\n"
                          "expect:\n"
                          "  - {at: 50s, connected: true}\n"
                          "  - {at: 50s, reliability: 0.99}\n"
                          "  - {at: 50s, registry_converged: true, within: 5s}\n"
                          "  - {at: 50s, view_bounds: true}\n"
                          "  - {at: 50s, msgs_per_node_per_second: {max: 10}}\n");
  ASSERT_EQ(s.expectations.size(), 5u);
  EXPECT_EQ(s.expectations[0].kind, Expectation::Kind::kConnected);
  EXPECT_EQ(s.expectations[1].kind, Expectation::Kind::kReliability);
  EXPECT_EQ(s.expectations[2].kind, Expectation::Kind::kRegistryConverged);
  EXPECT_EQ(s.expectations[3].kind, Expectation::Kind::kViewBounds);
  EXPECT_EQ(s.expectations[4].kind, Expectation::Kind::kMsgsPerNode);
}

TEST(LoaderConfig, PlumtreeLivenessAndRegistryKnobsLoad) {
  const Scenario s = load(kHead +
                          "config:\n"
                          "  active_size: 6\n"
                          "  plumtree: {ihave_timeout: 2s, graft_timeout: 1s, lazy_flush_period: "
                          "50ms, message_ttl: 120s}\n"
                          "  liveness: {probe_attempts: 3, probe_timeout: 2s, probe_interval: "
                          "500ms, probe_spread: 1s, suspicion_min: 3s, suspicion_per_log2: 2s, "
                          "dead_retention: 300s, dead_reprobe_period: 5s, refute_interval: 2s}\n"
                          "  registry: {sync_period: 1s, register_linger: 10ms, "
                          "sync_entries_max: 64}\n");
  const NodeConfig& c = s.node_config;
  EXPECT_EQ(c.hyparview.active_size, 6u);
  EXPECT_EQ(c.plumtree.ihave_timeout, Duration::seconds(2));
  EXPECT_EQ(c.plumtree.graft_timeout, Duration::seconds(1));
  EXPECT_EQ(c.plumtree.lazy_flush_period, Duration::millis(50));
  EXPECT_EQ(c.plumtree.message_ttl, Duration::seconds(120));
  EXPECT_EQ(c.liveness.probe_attempts, 3u);
  EXPECT_EQ(c.liveness.probe_timeout, Duration::seconds(2));
  EXPECT_EQ(c.liveness.probe_interval, Duration::millis(500));
  EXPECT_EQ(c.liveness.probe_spread, Duration::seconds(1));
  EXPECT_EQ(c.liveness.suspicion_min, Duration::seconds(3));
  EXPECT_EQ(c.liveness.suspicion_per_log2, Duration::seconds(2));
  EXPECT_EQ(c.liveness.dead_retention, Duration::seconds(300));
  EXPECT_EQ(c.liveness.dead_reprobe_period, Duration::seconds(5));
  EXPECT_EQ(c.liveness.refute_interval, Duration::seconds(2));
  EXPECT_EQ(c.registry.sync_period, Duration::seconds(1));
  EXPECT_EQ(c.registry.register_linger, Duration::millis(10));
  EXPECT_EQ(c.registry.sync_entries_max, 64u);
}

TEST(LoaderConfig, SubMapMistakesAreLocated) {
  EXPECT_THAT(error_of(kHead + "config:\n  plumtree: {ihave_timout: 1s}\n"),
              StartsWith("t.yaml:4:14: unknown key 'ihave_timout' in config.plumtree; expected "
                         "one of: ihave_timeout, graft_timeout, lazy_flush_period, message_ttl"));
  EXPECT_THAT(error_of(kHead + "config:\n  liveness:\n    probe_attempts: 11\n"),
              StartsWith("t.yaml:5:21: config: liveness.probe_attempts out of range (1..10); "
                         "expected probe_attempts in 1..10"));
  EXPECT_THAT(error_of(kHead + "config:\n  registry: {register_linger: 2s}\n"),
              StartsWith("t.yaml:4:31: config: registry.register_linger out of range"));
  EXPECT_THAT(error_of(kHead + "config:\n  plumtree: {message_ttl: 1s, ihave_timeout: 2s}\n"),
              StartsWith("t.yaml:4:27: config: plumtree.message_ttl out of range"));
  EXPECT_THAT(error_of(kHead + "config:\n  gossip: {}\n"),
              HasSubstr("unknown key 'gossip' in config"));
}

TEST(LoaderConfig, RepairParallelIsReadAndBounded) {
  Result<Scenario> r = parse_scenario(kHead + "config: {repair_parallel: 5}\n", "t.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->node_config.hyparview.repair_parallel, 5u);
  EXPECT_THAT(error_of(kHead + "config: {repair_parallel: 9}\n"),
              StartsWith("t.yaml:3:27: config: hyparview.repair_parallel out of range (1..8)"));
}

}  // namespace
}  // namespace barrel::sim::test
