// engine_network_test.cpp — goal: link latency is a stable, symmetric function
// of the pair within [min, max], and the monitored-link bookkeeping (open,
// close, crash, pending-failure dedupe) does what network.h says. Method:
// direct calls on Network over seeded pairs; small hand-written link tables.
#include <gtest/gtest.h>

#include <vector>

#include "network.h"

namespace barrel::sim {
namespace {

NetworkSpec uniform(int64_t min_ms, int64_t max_ms) {
  NetworkSpec s;
  s.latency.kind = LatencyModel::Kind::kUniform;
  s.latency.min = Duration::millis(min_ms);
  s.latency.max = Duration::millis(max_ms);
  return s;
}

TEST(EngineNetwork, ConstantLatencyIsMin) {
  NetworkSpec s;
  s.latency.min = Duration::millis(7);
  const Network n(s, 1, 2, 10);
  EXPECT_EQ(n.latency(0, 9), Duration::millis(7));
  EXPECT_EQ(n.latency(3, 4), Duration::millis(7));
}

TEST(EngineNetwork, UniformLatencyIsStableSymmetricAndInRange) {
  const Network n(uniform(5, 50), 1234, 2, 200);
  const Network same(uniform(5, 50), 1234, 2, 200);
  const Network other(uniform(5, 50), 4321, 2, 200);
  Duration lo = Duration::seconds(1), hi = Duration::zero();
  int differs = 0;
  for (uint32_t a = 0; a < 200; a += 3) {
    for (uint32_t b = a + 1; b < 200; b += 7) {
      const Duration d = n.latency(a, b);
      EXPECT_EQ(d, n.latency(b, a));
      EXPECT_EQ(d, n.latency(a, b));
      EXPECT_EQ(d, same.latency(a, b));
      EXPECT_GE(d, Duration::millis(5));
      EXPECT_LE(d, Duration::millis(50));
      lo = std::min(lo, d);
      hi = std::max(hi, d);
      differs += d != other.latency(a, b) ? 1 : 0;
    }
  }
  // Spread over the range, and the seed matters.
  EXPECT_LT(lo, Duration::millis(8));
  EXPECT_GT(hi, Duration::millis(47));
  EXPECT_GT(differs, 100);
}

TEST(EngineNetwork, OpenCloseAndCrashKeepBothIndexes) {
  Network n(NetworkSpec{}, 1, 2, 4);
  n.open(0, 1, 3);
  n.open(2, 1, 3);
  n.open(0, 1, 9);  // already monitored: the first epoch stays
  EXPECT_EQ(n.monitored_epoch(0, 1), 3u);
  EXPECT_EQ(n.monitored_epoch(1, 0), Network::kNoEpoch);
  n.close(2, 1);
  EXPECT_EQ(n.monitored_epoch(2, 1), Network::kNoEpoch);
  n.open(1, 3, 0);
  std::vector<uint32_t> monitors;
  n.crash(1, &monitors);
  EXPECT_EQ(monitors, std::vector<uint32_t>{0});
  EXPECT_EQ(n.monitors_of(1), 0u);  // its own monitors are gone
  // The monitor's entry stays until its LinkDown fires (or it closes).
  EXPECT_EQ(n.monitored_epoch(0, 1), 3u);
  monitors.clear();
  n.crash(3, &monitors);
  EXPECT_TRUE(monitors.empty());  // node 1 had crashed: it is no monitor any more
}

TEST(EngineNetwork, PendingFailuresDedupePerSenderAndTarget) {
  Network n(NetworkSpec{}, 1, 2, 3);
  EXPECT_TRUE(n.add_pending_failure(0, 1));
  EXPECT_FALSE(n.add_pending_failure(0, 1));
  EXPECT_TRUE(n.add_pending_failure(0, 2));
  EXPECT_TRUE(n.add_pending_failure(2, 1));
  EXPECT_TRUE(n.take_pending_failure(0, 1));
  EXPECT_FALSE(n.take_pending_failure(0, 1));
  EXPECT_TRUE(n.add_pending_failure(0, 1));
  std::vector<uint32_t> monitors;
  n.crash(0, &monitors);  // a crash forgets the node's pending failures
  EXPECT_FALSE(n.take_pending_failure(0, 2));
  EXPECT_TRUE(n.take_pending_failure(2, 1));
}

}  // namespace
}  // namespace barrel::sim
