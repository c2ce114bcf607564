// scenario_loader_broadcast_test — the broadcast constructs of the scenario
// language: the broadcast action, the reliability check (since, settle) and
// report_windows parse to the expected fields, and each mistake is a located
// Status (FILE:LINE:COLUMN) naming the expected form.
// Method: parse_scenario() on small inline documents, each wrong in exactly
// one place.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/loader_test_util.h"

#include <string>

#include "barrel/limits.h"
#include "barrel/sim/scenario_loader.h"

namespace barrel::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using test::error_of;
using test::kHead;

TEST(ScenarioLoaderBroadcast, ConstructsParse) {
  Result<Scenario> r = parse_scenario(
      kHead +
          "timeline:\n"
          "  - {at: 20s, every: 1s, until: 50s, broadcast: {from: {count: 1}, bytes: 64}}\n"
          "  - {at: 5s, broadcast: {from: node3@sim, bytes: 0}}\n"
          "report_windows:\n"
          "  - {name: stable, from: 20s, to: 30s}\n"
          "  - {name: after-crash, from: 30s, to: 60s}\n"
          "expect:\n"
          "  - {at: 59s, reliability: 100%}\n"
          "  - {at: 59s, reliability: 0.99, since: 30s, settle: 2s}\n",
      "t.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const auto* b = std::get_if<BroadcastAction>(&r->timeline[0].action);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->from.kind, NodeSelector::Kind::kCount);
  EXPECT_EQ(b->from.count, 1u);
  EXPECT_EQ(b->bytes, 64u);
  EXPECT_EQ(r->timeline[0].every, Duration::seconds(1));
  const auto* named = std::get_if<BroadcastAction>(&r->timeline[1].action);
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(named->from.names, std::vector<std::string>{"node3@sim"});
  ASSERT_EQ(r->report_windows.size(), 2u);
  EXPECT_EQ(r->report_windows[1].name, "after-crash");
  EXPECT_EQ(r->report_windows[1].from, Duration::seconds(30));
  EXPECT_EQ(r->report_windows[1].to, Duration::seconds(60));
  EXPECT_EQ(r->report_windows[0].loc.line, 7);
  const Expectation& all = r->expectations[0];
  EXPECT_EQ(all.kind, Expectation::Kind::kReliability);
  EXPECT_EQ(all.reliability_ppm, kPpmOne);
  EXPECT_EQ(all.since, Duration::zero());
  EXPECT_EQ(all.settle, Duration::zero());  // the default, kReliabilitySettleDefault
  const Expectation& some = r->expectations[1];
  EXPECT_EQ(some.reliability_ppm, 990'000u);
  EXPECT_EQ(some.since, Duration::seconds(30));
  EXPECT_EQ(some.settle, Duration::seconds(2));
}

TEST(ScenarioLoaderBroadcast, PayloadAboveTheCoreBound) {
  const std::string big = std::to_string(limits::kBroadcastPayloadBytesMax + 1);
  const std::string m =
      error_of(kHead + "timeline:\n  - {at: 1s, broadcast: {from: all, bytes: " + big + "}}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:44: timeline[0].broadcast.bytes is too large (" + big + ")"));
  EXPECT_THAT(m, HasSubstr("expected an integer in 0..65536"));
}

TEST(ScenarioLoaderBroadcast, BroadcastFormErrors) {
  const std::string missing = error_of(kHead + "timeline:\n  - {at: 1s, broadcast: {from: all}}\n");
  EXPECT_THAT(missing, StartsWith("t.yaml:4:25: missing key 'bytes' in timeline[0].broadcast"));
  EXPECT_THAT(missing, HasSubstr("bytes"));
  const std::string unknown =
      error_of(kHead + "timeline:\n  - {at: 1s, broadcast: {nodes: all, bytes: 1}}\n");
  EXPECT_THAT(unknown, StartsWith("t.yaml:4:26: unknown key 'nodes' in timeline[0].broadcast"));
  EXPECT_THAT(unknown, HasSubstr("expected one of: from, bytes"));
  const std::string scalar = error_of(kHead + "timeline:\n  - {at: 1s, broadcast: all}\n");
  EXPECT_THAT(scalar, StartsWith("t.yaml:4:25: timeline[0].broadcast is 'all'"));
  EXPECT_THAT(scalar, HasSubstr("expected {from: SELECTOR, bytes: N}"));
}

TEST(ScenarioLoaderBroadcast, ReliabilityErrors) {
  const std::string frac = error_of(kHead + "expect:\n  - {at: 50s, reliability: 101%}\n");
  EXPECT_THAT(frac, StartsWith("t.yaml:4:28: expect[0].reliability is 101%, outside (0, 1]"));
  const std::string since_elsewhere =
      error_of(kHead + "expect:\n  - {at: 50s, connected: true, since: 1s}\n");
  EXPECT_THAT(since_elsewhere, StartsWith("t.yaml:4:39: expect[0].since on a connected check"));
  EXPECT_THAT(since_elsewhere, HasSubstr("expected since only with reliability: FRACTION"));
  const std::string empty =
      error_of(kHead + "expect:\n  - {at: 50s, reliability: 1, since: 48s, settle: 5s}\n");
  EXPECT_THAT(empty, StartsWith("t.yaml:4:5: expect[0] judges no broadcast: since 48s + settle "
                                "5s is after at 50s"));
  EXPECT_THAT(empty, HasSubstr("expected since + settle <= at"));
}

TEST(ScenarioLoaderBroadcast, ReportWindowErrors) {
  const std::string order =
      error_of(kHead + "report_windows:\n  - {name: w, from: 20s, to: 10s}\n");
  EXPECT_THAT(order, StartsWith("t.yaml:4:30: report_windows[0].to is not after from"));
  const std::string beyond =
      error_of(kHead + "report_windows:\n  - {name: w, from: 20s, to: 61s}\n");
  EXPECT_THAT(beyond, StartsWith("t.yaml:4:30: report_windows[0].to is 61s, beyond"));
  const std::string twice = error_of(kHead +
                                     "report_windows:\n  - {name: w, from: 0s, to: 1s}\n"
                                     "  - {name: w, from: 1s, to: 2s}\n");
  EXPECT_THAT(twice, StartsWith("t.yaml:5:12: report_windows[1].name 'w' is used twice"));
  const std::string bad_name =
      error_of(kHead + "report_windows:\n  - {name: \"a b\", from: 0s, to: 1s}\n");
  EXPECT_THAT(bad_name, StartsWith("t.yaml:4:12: report_windows[0].name is not a valid window"));
  EXPECT_THAT(bad_name, HasSubstr("expected a name of 1..64 letters"));
}

}  // namespace
}  // namespace barrel::sim
