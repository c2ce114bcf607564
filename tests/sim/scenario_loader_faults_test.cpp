// scenario_loader_faults_test — goal: the fault forms of the scenario language
// (partition, heal, restart steps and network.loss) load to the expected
// Scenario fields, and each mistake in them is a located error naming the
// expected form. Method: parse_scenario() on small inline documents (kHead
// plus one step), each wrong in exactly one place whose line and column the
// test states.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "barrel/sim/scenario_loader.h"
#include "sim/loader_test_util.h"

namespace barrel::sim {
namespace {

using test::load;

using test::error_of;
using test::kHead;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ScenarioLoaderFaults, PartitionHealRestartAndLossLoad) {
  const Scenario s = load(kHead +
                          "network: {loss: 1%}\n"
                          "timeline:\n"
                          "  - {at: 1s, partition: {name: split, groups: [{range: [1, 5]}, "
                          "[node6@sim, node7@sim], {count: 2}]}}\n"
                          "  - {at: 2s, partition: {groups: [node9@sim]}}\n"
                          "  - {at: 3s, heal: split}\n"
                          "  - {at: 4s, heal: all}\n"
                          "  - {at: 5s, every: 5s, until: 50s, restart: {nodes: {count: 1}, "
                          "after: 2s, contacts: [node1@sim]}}\n"
                          "expect:\n"
                          "  - {at: 59s, healed_within: 10s}\n");
  EXPECT_EQ(s.network.loss_ppm, 10'000u);
  ASSERT_EQ(s.timeline.size(), 5u);
  const auto& p = std::get<PartitionAction>(s.timeline[0].action);
  EXPECT_EQ(p.name, "split");
  ASSERT_EQ(p.groups.size(), 3u);
  EXPECT_EQ(p.groups[0].kind, NodeSelector::Kind::kRange);
  EXPECT_EQ(p.groups[1].kind, NodeSelector::Kind::kNames);
  EXPECT_EQ(p.groups[2].kind, NodeSelector::Kind::kCount);
  EXPECT_EQ(std::get<PartitionAction>(s.timeline[1].action).name, "");
  EXPECT_EQ(std::get<HealAction>(s.timeline[2].action).name, "split");
  EXPECT_EQ(std::get<HealAction>(s.timeline[3].action).name, "");  // all
  const auto& r = std::get<RestartAction>(s.timeline[4].action);
  EXPECT_EQ(r.after, Duration::seconds(2));
  EXPECT_EQ(r.contacts, std::vector<std::string>{"node1@sim"});
  EXPECT_EQ(s.timeline[4].every, Duration::seconds(5));
}

TEST(ScenarioLoaderFaults, LossOutOfRangeOrMalformed) {
  EXPECT_THAT(error_of(kHead + "network: {loss: 1}\n"),
              StartsWith("t.yaml:3:17: network.loss is 1, outside [0, 1)"));
  EXPECT_THAT(error_of(kHead + "network: {loss: 150%}\n"),
              StartsWith("t.yaml:3:17: network.loss is 150%, outside [0, 1)"));
  EXPECT_THAT(error_of(kHead + "network: {loss: -0.1}\n"), StartsWith("t.yaml:3:17: network.loss"));
  EXPECT_THAT(error_of(kHead + "network: {loss: [0.1]}\n"),
              HasSubstr("expected a fraction in [0, 1)"));
  EXPECT_EQ(load(kHead + "network: {loss: 0}\n").network.loss_ppm, 0u);
}

TEST(ScenarioLoaderFaults, BadPartitionGroups) {
  const std::string t = kHead + "timeline:\n";  // steps on line 4
  EXPECT_THAT(
      error_of(t + "  - {at: 1s, partition: {groups: []}}\n"),
      StartsWith("t.yaml:4:34: timeline[0].partition.groups is empty; expected 1..64 selectors"));
  EXPECT_THAT(error_of(t + "  - {at: 1s, partition: {groups: [all]}}\n"),
              StartsWith("t.yaml:4:35: timeline[0].partition.groups[0] is all"));
  EXPECT_THAT(
      error_of(t + "  - {at: 1s, partition: {groups: [{range: [1, 5]}, {range: [5, 9]}]}}\n"),
      StartsWith("t.yaml:4:52: timeline[0].partition.groups[1] names node5@sim, already in "
                 "groups[0]; expected disjoint groups"));
  EXPECT_THAT(error_of(t + "  - {at: 1s, partition: {groups: [node11@sim]}}\n"),
              StartsWith("t.yaml:4:35: unknown node name 'node11@sim'"));
  EXPECT_THAT(
      error_of(t + "  - {at: 1s, partition: {name: split}}\n"),
      HasSubstr("missing key 'groups' in timeline[0].partition; expected groups: [SELECTOR, ...]"));
  EXPECT_THAT(error_of(t + "  - {at: 1s, partition: {groups: [node1@sim], size: 2}}\n"),
              HasSubstr("unknown key 'size'"));
  EXPECT_THAT(error_of(t + "  - {at: 1s, partition: [node1@sim]}\n"),
              HasSubstr("expected {name: NAME, groups: [SELECTOR, ...]}"));
}

TEST(ScenarioLoaderFaults, BadPartitionNames) {
  const std::string t = kHead + "timeline:\n";
  EXPECT_THAT(error_of(t + "  - {at: 1s, partition: {name: all, groups: [node1@sim]}}\n"),
              StartsWith("t.yaml:4:32: timeline[0].partition.name is not a valid partition name"));
  EXPECT_THAT(error_of(t + "  - {at: 1s, partition: {name: \"a b\", groups: [node1@sim]}}\n"),
              StartsWith("t.yaml:4:32: timeline[0].partition.name is not a valid"));
  EXPECT_THAT(error_of(t + "  - {at: 1s, partition: {name: x, groups: [node1@sim]}}\n" +
                       "  - {at: 2s, partition: {name: x, groups: [node2@sim]}}\n"),
              StartsWith("t.yaml:5:32: timeline[1].partition.name 'x' is used twice"));
  EXPECT_THAT(
      error_of(t + "  - {at: 1s, every: 1s, until: 5s, partition: {groups: [node1@sim]}}\n"),
      StartsWith("t.yaml:4:21: timeline[0].partition with every/until"));
}

TEST(ScenarioLoaderFaults, HealOfUnknownOrLaterPartition) {
  const std::string t = kHead + "timeline:\n";
  EXPECT_THAT(error_of(t + "  - {at: 1s, heal: split}\n"),
              StartsWith("t.yaml:4:20: timeline[0].heal 'split' names no partition step before it; "
                         "expected all or the name of an earlier partition step"));
  EXPECT_THAT(error_of(t + "  - {at: 1s, heal: x}\n" +
                       "  - {at: 2s, partition: {name: x, groups: [node1@sim]}}\n"),
              StartsWith("t.yaml:4:20: timeline[0].heal 'x' names no partition step before it"));
  EXPECT_THAT(error_of(t + "  - {at: 1s, heal: {name: x}}\n"),
              StartsWith("t.yaml:4:20: timeline[0].heal is a map"));
  // Same instant, partition written first: fine.
  load(t + "  - {at: 1s, partition: {name: x, groups: [node1@sim]}}\n" + "  - {at: 1s, heal: x}\n");
}

TEST(ScenarioLoaderFaults, BadRestart) {
  const std::string t = kHead + "timeline:\n";
  EXPECT_THAT(error_of(t + "  - {at: 1s, restart: {nodes: all, contacts: [node1@sim]}}\n"),
              HasSubstr("missing key 'after'"));
  EXPECT_THAT(
      error_of(t + "  - {at: 1s, restart: {nodes: all, after: 5, contacts: [node1@sim]}}\n"),
      StartsWith("t.yaml:4:43: timeline[0].restart.after: duration '5' has no unit"));
  EXPECT_THAT(
      error_of(t + "  - {at: 58s, restart: {nodes: all, after: 5s, contacts: [node1@sim]}}\n"),
      StartsWith("t.yaml:4:44: timeline[0].restart.after 5s from 58s ends beyond the "
                 "scenario duration 1m; expected a restart that ends by 1m"));
  EXPECT_THAT(error_of(t + "  - {at: 1s, restart: {nodes: all, after: 5s}}\n"),
              HasSubstr("missing key 'contacts'"));
  EXPECT_THAT(
      error_of(t + "  - {at: 1s, restart: {nodes: all, after: 5s, contacts: [nodeX@sim]}}\n"),
      StartsWith("t.yaml:4:58: unknown node name 'nodeX@sim'"));
}

}  // namespace
}  // namespace barrel::sim
