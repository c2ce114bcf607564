// scenario_loader_registry_test — goal: the registry forms of the scenario
// language (register and unregister steps, registry_converged and
// no_live_dead checks) load to the expected Scenario fields, and each
// mistake in them is a located error naming the expected form. Method:
// parse_scenario() on small inline documents (kHead plus one step or check),
// each wrong in exactly one place whose line and column the test states.
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

TEST(ScenarioLoaderRegistry, RegisterUnregisterAndChecksLoad) {
  const Scenario s = load(kHead +
                          "timeline:\n"
                          "  - {at: 1s, register: {nodes: node1@sim, service: my_worker, "
                          "metadata: {role: worker, zone: a}}}\n"
                          "  - {at: 2s, every: 1s, until: 5s, register: {nodes: {range: [2, 5]}, "
                          "service: \"svc-{i}-{k}\", count: 10}}\n"
                          "  - {at: 6s, unregister: {nodes: all, service: \"svc{k}\", count: 3}}\n"
                          "expect:\n"
                          "  - {at: 10s, registry_converged: true}\n"
                          "  - {at: 11s, registry_converged: true, within: 5s}\n"
                          "  - {at: 12s, no_live_dead: true}\n");
  ASSERT_EQ(s.timeline.size(), 3u);
  const auto& a = std::get<RegisterAction>(s.timeline[0].action);
  EXPECT_EQ(a.service, "my_worker");
  EXPECT_EQ(a.count, 1u);
  EXPECT_EQ(a.metadata, (Metadata{{"role", "worker"}, {"zone", "a"}}));
  const auto& b = std::get<RegisterAction>(s.timeline[1].action);
  EXPECT_EQ(b.service, "svc-{i}-{k}");
  EXPECT_EQ(b.count, 10u);
  EXPECT_EQ(b.nodes.kind, NodeSelector::Kind::kRange);
  EXPECT_TRUE(b.metadata.empty());
  const auto& u = std::get<UnregisterAction>(s.timeline[2].action);
  EXPECT_EQ(u.count, 3u);
  EXPECT_EQ(u.nodes.kind, NodeSelector::Kind::kAll);
  ASSERT_EQ(s.expectations.size(), 3u);
  EXPECT_EQ(s.expectations[0].kind, Expectation::Kind::kRegistryConverged);
  EXPECT_EQ(s.expectations[0].within, Duration::zero());
  EXPECT_EQ(s.expectations[1].within, Duration::seconds(5));
  EXPECT_EQ(s.expectations[2].kind, Expectation::Kind::kNoLiveDead);
}

TEST(ScenarioLoaderRegistry, RegisterMistakesAreLocated) {
  // Line 4 holds the step; columns point at the offending value.
  const std::string t = "timeline:\n  - at: 1s\n    register: ";
  EXPECT_THAT(error_of(kHead + t + "{nodes: all}\n"),
              StartsWith("t.yaml:5:15: missing key 'service' in timeline[0].register"));
  EXPECT_THAT(error_of(kHead + t + "{nodes: all, service: s, count: 0}\n"),
              StartsWith("t.yaml:5:47: timeline[0].register.count is zero"));
  EXPECT_THAT(error_of(kHead + t + "{nodes: all, service: s, count: 129}\n"),
              HasSubstr("expected an integer in 1..128"));
  EXPECT_THAT(error_of(kHead + t + "{nodes: all, service: \"a b\"}\n"),
              HasSubstr("timeline[0].register.service is empty or has spaces or controls"));
  EXPECT_THAT(error_of(kHead + t + "{nodes: all, service: \"" + std::string(254, 'x') +
                       "{k}\", count: 10}\n"),
              HasSubstr("register.service expands to 256 bytes"));
  EXPECT_THAT(error_of(kHead + t + "{nodes: all, service: s, metadata: [a]}\n"),
              HasSubstr("timeline[0].register.metadata is a list; expected a map of text"));
  EXPECT_THAT(error_of(kHead + t + "{nodes: all, service: s, metadata: {a: {b: c}}}\n"),
              HasSubstr("timeline[0].register.metadata.a is a map"));
  EXPECT_THAT(error_of(kHead + t + "{nodes: all, service: s, endpoint: 3}\n"),
              HasSubstr("unknown key 'endpoint'"));
  EXPECT_THAT(error_of(kHead + t + "{nodes: node11@sim, service: s}\n"), HasSubstr("node11@sim"));
  EXPECT_THAT(error_of(kHead + "timeline:\n  - {at: 1s, unregister: {nodes: all, service: s, "
                               "metadata: {a: b}}}\n"),
              HasSubstr("unknown key 'metadata' in timeline[0].unregister"));
}

TEST(ScenarioLoaderRegistry, CheckMistakesAreLocated) {
  EXPECT_THAT(error_of(kHead + "expect:\n  - {at: 1s, registry_converged: false}\n"),
              StartsWith("t.yaml:4:34: expect[0].registry_converged is false"));
  EXPECT_THAT(error_of(kHead + "expect:\n  - {at: 1s, no_live_dead: true, within: 2s}\n"),
              HasSubstr("expect[0].within on a no_live_dead check; expected within only with "
                        "registry_converged: true"));
  EXPECT_THAT(error_of(kHead + "expect:\n  - {at: 1s, connected: true, within: 2s}\n"),
              HasSubstr("expect[0].within on a connected check"));
  EXPECT_THAT(error_of(kHead + "expect:\n  - {at: 1s, registry_converged: true, within: 2}\n"),
              HasSubstr("expect[0].within"));
  EXPECT_THAT(error_of(kHead + "probe_period: 0s\nexpect:\n  - {at: 1s, registry_converged: "
                               "true, within: 2s}\n"),
              HasSubstr("with probe_period 0s"));
  EXPECT_THAT(error_of(kHead + "expect:\n  - {at: 1s, registry_converged: true, no_live_dead: "
                               "true}\n"),
              HasSubstr("has 2 checks"));
}

}  // namespace
}  // namespace barrel::sim
