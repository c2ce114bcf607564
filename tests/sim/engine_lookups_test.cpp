// engine_lookups_test.cpp — goal: over real barrel::Nodes, a lookup step
// judges each lookup()/whereis() against the registry truth (a lookup made
// at the instant of the registrations finds nothing on the other nodes yet;
// one made after convergence is exact everywhere; a name nobody registered
// is an exact empty answer), the figures reach the text and JSON reports;
// and msgs_per_node_per_second measures messages per live node-second over
// [since, at]: it passes under a generous bound, fails under a tiny one, and
// its node-seconds are the live-node integral. Method: 12-node scenarios
// from YAML text, run with run_scenario(); assertions on RunReport.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "barrel/sim/report_json.h"
#include "barrel/sim/report_text.h"
#include "barrel/sim/scenario_loader.h"
#include "barrel/sim/simulator.h"
#include "sim/loader_test_util.h"

namespace barrel::sim::test {
namespace {

using ::testing::HasSubstr;

// 12 nodes join at 0 s through node1; all register svc<i> at 5 s.
const std::string kCluster =
    "duration: 30s\nnodes: {count: 12}\n"
    "timeline:\n"
    "  - {at: 0s, join: {nodes: all, contacts: [node1@sim]}}\n"
    "  - {at: 5s, register: {nodes: all, service: \"svc{i}\"}}\n";

TEST(EngineLookups, LookupsAtTheRegistrationInstantMissWhatHasNotSpread) {
  const Scenario s =
      load(kCluster + "  - {at: 5s, lookup: {from: all, service: \"svc{i}\", count: 4}}\n");
  const RunReport r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_EQ(r.lookups.lookups, 48u);
  // Only a node's own service is known at once: most answers are empty.
  EXPECT_GT(r.lookups.missing, 30u);
  EXPECT_EQ(r.lookups.exact + r.lookups.missing + r.lookups.wrong, 48u);
  EXPECT_EQ(r.lookups.whereis_hits + r.lookups.whereis_misses, 48u);
  EXPECT_GT(r.lookups.whereis_misses, 30u);
}

TEST(EngineLookups, LookupsAfterConvergenceAreExact) {
  const Scenario s = load(kCluster +
                          "  - {at: 20s, lookup: {from: all, service: \"svc{i}\", count: 4}}\n"
                          "  - {at: 20s, lookup: {from: {count: 3}, service: nobody}}\n"
                          "expect:\n  - {at: 20s, registry_converged: true}\n");
  const RunReport r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.passed()) << r.failure;
  EXPECT_EQ(r.lookups.lookups, 51u);
  EXPECT_EQ(r.lookups.exact, 51u);
  EXPECT_EQ(r.lookups.whereis_hits, 51u);
  EXPECT_EQ(r.lookups.missing + r.lookups.wrong + r.lookups.whereis_misses, 0u);
  EXPECT_THAT(format_summary(s, r, 0.0),
              HasSubstr("lookups: 51 (51 exact, 0 missing, 0 wrong); whereis 51 hits, 0 misses"));
  const std::string json = report_to_json(s, r, "t.yaml", 0.0);
  EXPECT_NE(json.find("\"lookups\": {\n    \"lookups\": 51,\n    \"exact\": 51,\n    "
                      "\"missing\": 0,\n    \"wrong\": 0,\n    \"whereis_hits\": 51,\n    "
                      "\"whereis_misses\": 0\n  }"),
            std::string::npos);
}

TEST(EngineMsgsPerNode, PassesUnderALooseBoundFailsUnderATightOne) {
  const Scenario s = load(kCluster +
                          "expect:\n"
                          "  - {at: 25s, msgs_per_node_per_second: {max: 1000, since: 10s}}\n"
                          "  - {at: 25s, msgs_per_node_per_second: {max: 0.001, since: 10s}}\n"
                          "  - {at: 25s, msgs_per_node_per_second: 1000}\n");
  const RunReport r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_EQ(r.expectations.size(), 3u);
  EXPECT_TRUE(r.expectations[0].passed) << r.expectations[0].detail;
  EXPECT_FALSE(r.expectations[1].passed) << r.expectations[1].detail;
  EXPECT_TRUE(r.expectations[2].passed) << r.expectations[2].detail;
  // 12 nodes live throughout: 12 x 15 s and 12 x 25 s of live-node time.
  EXPECT_THAT(r.expectations[0].detail, HasSubstr("over 180.000 node-seconds"));
  EXPECT_THAT(r.expectations[1].detail, HasSubstr("at most 0.001 allowed"));
  EXPECT_THAT(r.expectations[2].detail, HasSubstr("over 300.000 node-seconds"));
  EXPECT_THAT(format_summary(s, r, 0.0), HasSubstr("msgs_per_node_per_second <= 0.001 since 10s"));
}

TEST(EngineMsgsPerNode, NodeSecondsFollowTheLiveNodes) {
  // Half the nodes crash at 10 s: over [0, 20] the live-node time is
  // 12 x 10 + 6 x 10 = 180 node-seconds.
  const Scenario s = load(kCluster +
                          "  - {at: 10s, crash: {range: [7, 12]}}\n"
                          "expect:\n  - {at: 20s, msgs_per_node_per_second: 1000}\n");
  const RunReport r = run_scenario(s, RunOptions{});
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_EQ(r.expectations.size(), 1u);
  EXPECT_THAT(r.expectations[0].detail, HasSubstr("over 180.000 node-seconds"));
}

}  // namespace
}  // namespace barrel::sim::test
