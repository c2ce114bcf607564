// network_parse_test.cpp — goal: every form of the `network:` section
// (latency distributions, link classes, duplicate, reorder, bandwidth, clock)
// and the one-way partition form load to the expected Scenario fields, with
// the documented default bounds; each mistake is a located error
// (file:line:column) naming what is wrong and the expected form.
// Method: parse_scenario() on small inline documents (kHead plus a network
// section or one step), each wrong in exactly one place whose line and
// column the test states.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
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

TEST(NetworkParse, LatencyDistributionsLoadWithTheirBounds) {
  const LatencyModel n =
      load(kHead + "network: {latency: {normal: {mean: 50ms, stddev: 10ms}}}\n").network.latency;
  EXPECT_EQ(n.kind, LatencyModel::Kind::kNormal);
  EXPECT_EQ(n.center, Duration::millis(50));
  EXPECT_EQ(n.stddev, Duration::millis(10));
  EXPECT_EQ(n.min, Duration::millis(10));  // default: mean -+ 4 sd
  EXPECT_EQ(n.max, Duration::millis(90));
  const LatencyModel nb =
      load(kHead + "network: {latency: {normal: {mean: 50ms, stddev: 10ms, min: 30ms}}}\n")
          .network.latency;
  EXPECT_EQ(nb.min, Duration::millis(30));
  EXPECT_EQ(nb.max, Duration::millis(90));  // the other bound keeps its default
  const LatencyModel l =
      load(kHead + "network: {latency: {lognormal: {median: 40ms, sigma: 0.5, max: 1s}}}\n")
          .network.latency;
  EXPECT_EQ(l.kind, LatencyModel::Kind::kLognormal);
  EXPECT_EQ(l.center, Duration::millis(40));
  EXPECT_EQ(l.sigma_ppm, 500'000u);
  EXPECT_NEAR(l.min.us(), 40'000 * std::exp(-2.0), 1);
  EXPECT_EQ(l.max, Duration::seconds(1));
  const LatencyModel u =
      load(kHead + "network: {latency: {uniform: [5ms, 9ms]}}\n").network.latency;
  EXPECT_EQ(u.kind, LatencyModel::Kind::kUniform);
  EXPECT_EQ(u.max, Duration::millis(9));
}

TEST(NetworkParse, LinksFaultsBandwidthAndClockLoad) {
  const Scenario s = load(kHead +
                          "network:\n"
                          "  links:\n"
                          "    - {from: {range: [1, 5]}, to: {range: [6, 10]}, latency: 80ms}\n"
                          "    - from: node1@sim\n"
                          "      to: all\n"
                          "      latency: {uniform: [1ms, 2ms]}\n"
                          "  duplicate: 1%\n"
                          "  reorder: {fraction: 0.05, delay: 30ms}\n"
                          "  bandwidth: 125000\n"
                          "  clock: {drift_ppm: {uniform: [-100, 100]}, offset: 2s}\n");
  const NetworkSpec& n = s.network;
  ASSERT_EQ(n.links.size(), 2u);
  EXPECT_EQ(n.links[0].from.kind, NodeSelector::Kind::kRange);
  EXPECT_EQ(n.links[0].to.first, 6u);
  EXPECT_EQ(n.links[0].latency.min, Duration::millis(80));
  EXPECT_EQ(n.links[0].loc.line, 5);
  EXPECT_EQ(n.links[1].from.names, std::vector<std::string>{"node1@sim"});
  EXPECT_EQ(n.links[1].to.kind, NodeSelector::Kind::kAll);
  EXPECT_EQ(n.links[1].latency.kind, LatencyModel::Kind::kUniform);
  EXPECT_EQ(n.duplicate_ppm, 10'000u);
  EXPECT_EQ(n.reorder_ppm, 50'000u);
  EXPECT_EQ(n.reorder_delay, Duration::millis(30));
  EXPECT_EQ(n.bandwidth_bytes_per_s, 125'000u);
  EXPECT_EQ(n.clock.drift_ppm_min, -100);
  EXPECT_EQ(n.clock.drift_ppm_max, 100);
  EXPECT_EQ(n.clock.offset_min, Duration::seconds(2));
  EXPECT_EQ(n.clock.offset_max, Duration::seconds(2));
  const NetworkSpec plain =
      load(kHead + "network: {reorder: 0.1, clock: {drift_ppm: -20}}\n").network;
  EXPECT_EQ(plain.reorder_ppm, 100'000u);
  EXPECT_EQ(plain.reorder_delay, Duration::zero());  // the default: 2 x latency
  EXPECT_EQ(plain.clock.drift_ppm_min, -20);
  EXPECT_EQ(plain.clock.drift_ppm_max, -20);
  EXPECT_FALSE(load(kHead).network.clock.enabled());
}

TEST(NetworkParse, OneWayPartitionLoads) {
  const Scenario s = load(kHead +
                          "timeline:\n"
                          "  - {at: 1s, partition: {name: up, one_way: {from: [node1@sim], to: "
                          "{range: [2, 10]}}}}\n"
                          "  - {at: 2s, heal: up}\n");
  ASSERT_EQ(s.timeline.size(), 2u);
  const auto* p = std::get_if<PartitionAction>(&s.timeline[0].action);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->one_way);
  EXPECT_TRUE(p->groups.empty());
  EXPECT_EQ(p->name, "up");
  EXPECT_EQ(p->from.names, std::vector<std::string>{"node1@sim"});
  EXPECT_EQ(p->to.last, 10u);
}

TEST(NetworkParseErrors, LatencyDistributions) {
  const std::string h = kHead + "network:\n  latency:\n";  // entries on line 5
  EXPECT_THAT(error_of(h + "    normal: {mean: 50ms}\n"),
              StartsWith("t.yaml:5:13: missing key 'stddev' in network.latency.normal"));
  EXPECT_THAT(error_of(h + "    lognormal: {median: 40ms, sigma: 0}\n"),
              StartsWith("t.yaml:5:38: network.latency.lognormal.sigma is 0, outside (0, 3]"));
  EXPECT_THAT(error_of(h + "    lognormal: {median: 40ms, sigma: 3.5}\n"),
              StartsWith("t.yaml:5:38: network.latency.lognormal.sigma is 3.5, outside (0, 3]"));
  EXPECT_THAT(error_of(h + "    lognormal: {median: 0ms, sigma: 1}\n"),
              StartsWith("t.yaml:5:25: network.latency.lognormal.median is 0ms, below 1us"));
  EXPECT_THAT(error_of(h + "    normal: {mean: 50ms, stddev: 1ms, min: 60ms}\n"),
              StartsWith("t.yaml:5:13: network.latency.normal has min above max"));
  EXPECT_THAT(error_of(h + "    normal: {mean: 5ms, stddev: 1ms}\n    uniform: [1ms, 2ms]\n"),
              StartsWith("t.yaml:5:5: network.latency names 2 distributions"));
  EXPECT_THAT(error_of(h + "    gamma: {k: 2}\n"),
              StartsWith("t.yaml:5:5: unknown key 'gamma' in network.latency"));
  EXPECT_THAT(error_of(h + "    uniform: [9ms, 2ms]\n"),
              StartsWith("t.yaml:5:14: network.latency.uniform has MIN above MAX"));
}

TEST(NetworkParseErrors, Links) {
  const std::string h = kHead + "network:\n  links:\n";  // entries on line 5
  EXPECT_THAT(error_of(h + "    - {from: all, to: nobody@sim, latency: 5ms}\n"),
              StartsWith("t.yaml:5:23: unknown node name 'nobody@sim' in network.links[0].to"));
  EXPECT_THAT(error_of(h + "    - {from: all, to: all}\n"),
              StartsWith("t.yaml:5:7: missing key 'latency' in network.links[0]"));
  EXPECT_THAT(error_of(h + "    - {from: all, to: all, latency: 5ms, loss: 1%}\n"),
              StartsWith("t.yaml:5:42: unknown key 'loss' in network.links[0]"));
  std::string many = h;
  for (int k = 0; k < 17; ++k)
    many += "    - {from: all, to: all, latency: 5ms}\n";
  EXPECT_THAT(error_of(many), StartsWith("t.yaml:5:5: network.links"));
  EXPECT_THAT(error_of(many), HasSubstr("16"));
}

TEST(NetworkParseErrors, FaultsAndBandwidth) {
  EXPECT_THAT(error_of(kHead + "network: {duplicate: 1.5}\n"),
              StartsWith("t.yaml:3:22: network.duplicate is 1.5, above 1"));
  EXPECT_THAT(error_of(kHead + "network: {duplicate: lots}\n"),
              StartsWith("t.yaml:3:22: network.duplicate: "));
  EXPECT_THAT(error_of(kHead + "network: {reorder: {fraction: 0.1, delay: 0s}}\n"),
              StartsWith("t.yaml:3:43: network.reorder.delay"));
  EXPECT_THAT(error_of(kHead + "network: {reorder: {delay: 5ms}}\n"),
              StartsWith("t.yaml:3:20: missing key 'fraction' in network.reorder"));
  EXPECT_THAT(error_of(kHead + "network: {bandwidth: 0}\n"),
              StartsWith("t.yaml:3:22: network.bandwidth is zero"));
  EXPECT_THAT(error_of(kHead + "network: {bandwidth: 1MB}\n"),
              StartsWith("t.yaml:3:22: network.bandwidth"));
}

TEST(NetworkParseErrors, Clock) {
  EXPECT_THAT(error_of(kHead + "network: {clock: {drift_ppm: 200000}}\n"),
              StartsWith("t.yaml:3:30: network.clock.drift_ppm is '200000', not such an integer"));
  EXPECT_THAT(error_of(kHead + "network: {clock: {drift_ppm: 1.5}}\n"),
              HasSubstr("expected an integer in [-100000, 100000] (parts per million)"));
  EXPECT_THAT(error_of(kHead + "network: {clock: {drift_ppm: {uniform: [5, -5]}}}\n"),
              StartsWith("t.yaml:3:40: network.clock.drift_ppm.uniform has its first above"));
  EXPECT_THAT(error_of(kHead + "network: {clock: {offset: -1s}}\n"),
              StartsWith("t.yaml:3:27: network.clock.offset"));
  EXPECT_THAT(error_of(kHead + "network: {clock: {skew: 1}}\n"),
              StartsWith("t.yaml:3:19: unknown key 'skew' in network.clock"));
}

TEST(NetworkParseErrors, OneWayPartition) {
  const std::string t = kHead + "timeline:\n";  // steps on line 4
  EXPECT_THAT(error_of(t + "  - {at: 1s, partition: {one_way: {from: all, to: node2@sim}}}\n"),
              StartsWith("t.yaml:4:42: timeline[0].partition.one_way.from is all"));
  EXPECT_THAT(error_of(t + "  - {at: 1s, partition: {one_way: {from: node2@sim}}}\n"),
              StartsWith("t.yaml:4:35: missing key 'to' in timeline[0].partition.one_way"));
  EXPECT_THAT(
      error_of(t +
               "  - {at: 1s, partition: {one_way: {from: {range: [1, 3]}, to: [node3@sim]}}}\n"),
      StartsWith("t.yaml:4:63: timeline[0].partition.one_way.to names node3@sim, already in "
                 "timeline[0].partition.one_way.from"));
  EXPECT_THAT(
      error_of(t + "  - {at: 1s, partition: {groups: [node1@sim], one_way: {from: node1@sim, "
                   "to: node2@sim}}}\n"),
      StartsWith("t.yaml:4:34: timeline[0].partition has both groups and one_way"));
}

}  // namespace
}  // namespace barrel::sim
