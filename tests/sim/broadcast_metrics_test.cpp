// broadcast_metrics_test.cpp — goal: the arithmetic of broadcast metrics:
// reliability (with nodes crashing, leaving and joining mid-broadcast), RMR,
// LDH, latency percentiles, duplicate and unknown deliveries, window
// aggregates; and the diameter estimate. Method: records built by hand
// through the tracker's inputs, on a handful of nodes, checked against values
// computed by hand.
#include <gtest/gtest.h>

#include "metrics/broadcast_metrics.h"
#include "metrics/overlay_diameter.h"

namespace barrel::sim {
namespace {

Instant at_ms(int64_t ms) {
  return Instant::zero() + Duration::millis(ms);
}

NodeBits bits(uint32_t n, std::initializer_list<uint32_t> set) {
  NodeBits b(n);
  for (uint32_t i : set)
    b.set(i);
  return b;
}

NodeBits all(uint32_t n) {
  NodeBits b(n);
  for (uint32_t i = 0; i < n; ++i)
    b.set(i);
  return b;
}

TEST(BroadcastMetrics, NodeBitsCounts) {
  NodeBits a = bits(130, {0, 64, 129});
  NodeBits b = bits(130, {64, 129, 5});
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.count_and(b), 2u);
  EXPECT_EQ(a.count_and(b, bits(130, {129})), 1u);
  a.clear(64);
  EXPECT_FALSE(a.get(64));
  EXPECT_TRUE(a.get(129));
}

TEST(BroadcastMetrics, RmrLdhAndLatenciesOfOneBroadcast) {
  BroadcastTracker t(5);
  const BroadcastKey id{1, 2};
  ASSERT_TRUE(t.on_sent(id, 0, at_ms(1000), all(5)));
  EXPECT_FALSE(t.on_sent(id, 1, at_ms(1000), all(5)));  // same id twice
  EXPECT_EQ(t.on_delivered(id, 0, 0, at_ms(1000)), BroadcastTracker::Delivery::kCounted);
  // 4 other nodes deliver; 6 Gossip messages were received in all.
  EXPECT_EQ(t.on_delivered(id, 1, 1, at_ms(1010)), BroadcastTracker::Delivery::kCounted);
  EXPECT_EQ(t.on_delivered(id, 2, 1, at_ms(1020)), BroadcastTracker::Delivery::kCounted);
  EXPECT_EQ(t.on_delivered(id, 3, 3, at_ms(1040)), BroadcastTracker::Delivery::kCounted);
  EXPECT_EQ(t.on_delivered(id, 4, 2, at_ms(1050)), BroadcastTracker::Delivery::kCounted);
  for (int k = 0; k < 6; ++k)
    t.on_gossip(id);
  t.on_gossip(BroadcastKey{9, 9});  // unknown: ignored
  const BroadcastRecord& r = t.records().at(0);
  EXPECT_EQ(r.members_at_send, 5u);
  EXPECT_EQ(r.delivered, 5u);
  EXPECT_EQ(r.gossip_received, 6u);
  EXPECT_EQ(r.last_hops, 2);  // LDH: the last delivery's hops, not the max
  EXPECT_EQ(r.max_hops, 3);
  EXPECT_EQ(r.last_delivery_at, at_ms(1050));
  EXPECT_EQ(r.latencies_us, (std::vector<uint32_t>{10000, 20000, 40000, 50000}));
  double rmr = 0;
  ASSERT_TRUE(BroadcastTracker::rmr(r, &rmr));
  EXPECT_DOUBLE_EQ(rmr, 6.0 / 4.0 - 1.0);  // m / (n - 1) - 1
  EXPECT_EQ(BroadcastTracker::judge(r, all(5)).ppm(), kPpmOne);
}

TEST(BroadcastMetrics, DuplicateAndUnknownDeliveries) {
  BroadcastTracker t(3);
  const BroadcastKey id{0, 7};
  ASSERT_TRUE(t.on_sent(id, 0, at_ms(0), all(3)));
  EXPECT_EQ(t.on_delivered(BroadcastKey{0, 8}, 1, 1, at_ms(1)),
            BroadcastTracker::Delivery::kUnknownId);
  EXPECT_EQ(t.on_delivered(id, 1, 1, at_ms(1)), BroadcastTracker::Delivery::kCounted);
  EXPECT_EQ(t.on_delivered(id, 1, 2, at_ms(2)), BroadcastTracker::Delivery::kDuplicate);
  // A crash ends the incarnation: its successor may deliver again, uncounted.
  t.on_crash(1);
  EXPECT_EQ(t.on_delivered(id, 1, 2, at_ms(3)), BroadcastTracker::Delivery::kCounted);
  EXPECT_EQ(t.records()[0].delivered, 1u);
  double rmr = 0;
  EXPECT_FALSE(BroadcastTracker::rmr(t.records()[0], &rmr));  // fewer than two deliveries
}

TEST(BroadcastMetrics, ReliabilityIgnoresNodesThatDiedOrJoinedMidBroadcast) {
  BroadcastTracker t(6);
  const BroadcastKey id{3, 3};
  // Node 5 is not a member at the send; it joins later and delivers.
  ASSERT_TRUE(t.on_sent(id, 0, at_ms(0), bits(6, {0, 1, 2, 3, 4})));
  t.on_delivered(id, 0, 0, at_ms(0));
  t.on_delivered(id, 1, 1, at_ms(5));
  t.on_delivered(id, 5, 1, at_ms(6));
  t.on_crash(2);  // dies before it got it: not counted against the broadcast
  t.on_crash(1);  // dies after it got it: neither eligible nor delivered any more
  const BroadcastRecord& r = t.records()[0];
  EXPECT_EQ(r.delivered, 2u);  // origin and node 1 (node 5 was no member at the send)
  // Members now: 0, 3, 4, 5 (3 and 4 never got it).
  const Reliability rel = BroadcastTracker::judge(r, bits(6, {0, 3, 4, 5}));
  EXPECT_EQ(rel.eligible, 3u);
  EXPECT_EQ(rel.delivered, 1u);
  EXPECT_EQ(rel.ppm(), 333333u);
  // Node 4 left: no longer a member at the judgement.
  EXPECT_EQ(BroadcastTracker::judge(r, bits(6, {0, 3})).ppm(), 500000u);
  EXPECT_EQ(BroadcastTracker::judge(r, NodeBits(6)).ppm(), kPpmOne);  // nobody to reach
}

TEST(BroadcastMetrics, PercentilesByNearestRank) {
  std::vector<uint32_t> v;
  EXPECT_EQ(percentile(&v, 50), 0u);
  for (uint32_t i = 100; i >= 1; --i)
    v.push_back(i);
  EXPECT_EQ(percentile(&v, 50), 50u);
  EXPECT_EQ(percentile(&v, 90), 90u);
  EXPECT_EQ(percentile(&v, 99), 99u);
  EXPECT_EQ(percentile(&v, 100), 100u);
  std::vector<uint32_t> three = {30, 10, 20};
  EXPECT_EQ(percentile(&three, 50), 20u);  // rank ceil(1.5) = 2
  EXPECT_EQ(percentile(&three, 1), 10u);
}

TEST(BroadcastMetrics, WindowSummaryCountsJudgesAndAggregates) {
  BroadcastTracker t(4);
  // A at 1 s: everyone gets it. B at 2 s: node 3 misses it. C at 9 s: in flight.
  const BroadcastKey a{0, 1}, b{0, 2}, c{0, 3};
  ASSERT_TRUE(t.on_sent(a, 0, at_ms(1000), all(4)));
  for (uint32_t i = 0; i < 4; ++i)
    t.on_delivered(a, i, static_cast<uint16_t>(i), at_ms(1000 + 10 * i));
  for (int k = 0; k < 3; ++k)
    t.on_gossip(a);  // RMR 0
  ASSERT_TRUE(t.on_sent(b, 1, at_ms(2000), all(4)));
  t.on_delivered(b, 1, 0, at_ms(2000));
  t.on_delivered(b, 0, 1, at_ms(2100));
  t.on_delivered(b, 2, 1, at_ms(2200));
  for (int k = 0; k < 4; ++k)
    t.on_gossip(b);  // RMR 4/2 - 1 = 1
  ASSERT_TRUE(t.on_sent(c, 2, at_ms(9000), all(4)));
  t.on_delivered(c, 2, 0, at_ms(9000));

  const BroadcastSummary s = t.summarize("w", at_ms(0), at_ms(10000), at_ms(5000), all(4));
  EXPECT_EQ(s.sent, 3u);
  EXPECT_EQ(s.judged, 2u);
  EXPECT_EQ(s.complete, 1u);
  EXPECT_EQ(s.reliability_min_ppm, 750000u);
  EXPECT_EQ(s.reliability_mean_ppm, 875000u);
  EXPECT_DOUBLE_EQ(s.rmr_mean, 0.5);
  EXPECT_EQ(s.ldh_max, 3);
  EXPECT_DOUBLE_EQ(s.ldh_mean, 2.0);  // (3 + 1) / 2
  EXPECT_EQ(s.hops_max, 3);
  // Latencies: 10, 20, 30 ms (A) and 100, 200 ms (B).
  EXPECT_EQ(s.deliveries, 5u);
  EXPECT_EQ(s.latency_p50_us, 30000u);
  EXPECT_EQ(s.latency_p90_us, 200000u);
  EXPECT_EQ(s.latency_max_us, 200000u);

  const BroadcastSummary only_b = t.summarize("b", at_ms(1500), at_ms(2500), at_ms(5000), all(4));
  EXPECT_EQ(only_b.sent, 1u);
  EXPECT_EQ(only_b.reliability_min_ppm, 750000u);
  const BroadcastSummary none = t.summarize("x", at_ms(3000), at_ms(4000), at_ms(5000), all(4));
  EXPECT_EQ(none.sent, 0u);
  EXPECT_EQ(none.reliability_min_ppm, kPpmOne);
}

TEST(OverlayDiameter, PathRingAndDisconnected) {
  // A path 0-1-2-3-4 (one-way entries suffice), plus a non-member 5 linked to 0.
  std::vector<std::vector<NodeId>> active = {
      {NodeId(1), NodeId(5)}, {NodeId(2)}, {NodeId(3)}, {NodeId(4)}, {}, {NodeId(0)}};
  std::vector<ViewRef> views(6);
  for (uint32_t i = 0; i < 6; ++i) {
    views[i].member = i != 5;
    views[i].active = active[i];
  }
  DiameterEstimator d;
  DiameterEstimate e = d.estimate(views, 8);
  EXPECT_EQ(e.sources, 5u);
  EXPECT_EQ(e.diameter, 4u);
  EXPECT_TRUE(e.connected);
  // One source in the middle sees eccentricity 2 only: a lower bound.
  EXPECT_EQ(d.estimate(views, 1).diameter, 4u);  // source = member rank 0 = node 0
  active[1].clear();                             // cut 1-2
  views[1].active = active[1];
  e = d.estimate(views, 8);
  EXPECT_FALSE(e.connected);
  EXPECT_EQ(e.diameter, 2u);  // within {2, 3, 4}
}

}  // namespace
}  // namespace barrel::sim
