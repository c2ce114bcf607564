// clock_drift_test.cpp — goal: per-node clocks map virtual time as
// clock_drift.h states (offset + t * (1 + drift), exact and monotonic;
// to_virtual is the first virtual instant whose reading reaches a deadline),
// draws stay within the model's ranges, a disabled model is the identity,
// and the engine hands each node its own clock's reading and fires its timer
// when that clock reaches the deadline. Method: NodeClocks over a fixed grid
// of instants and drifts; one scripted FakeNode with a fixed drift of +10%
// and offset 3 s, asserting the exact instants it was fed.
#include <gtest/gtest.h>

#include <algorithm>

#include "clock_drift.h"
#include "engine.h"
#include "sim/engine_fake_node.h"

namespace barrel::sim::test {
namespace {

constexpr uint64_t kMs = 1000;

ClockModel fixed(int32_t drift_ppm, Duration offset) {
  ClockModel m;
  m.drift_ppm_min = m.drift_ppm_max = drift_ppm;
  m.offset_min = m.offset_max = offset;
  return m;
}

TEST(ClockDrift, DisabledIsTheIdentity) {
  const NodeClocks c(ClockModel{}, 1, 4);
  EXPECT_FALSE(c.enabled());
  for (uint64_t t : {0ull, 1ull, 123'456'789ull}) {
    EXPECT_EQ(c.local(2, Instant::from_us(t)), Instant::from_us(t));
    EXPECT_EQ(c.to_virtual(2, Instant::from_us(t)), Instant::from_us(t));
  }
  EXPECT_TRUE(c.local(0, Instant::never()).is_never());
}

TEST(ClockDrift, LocalIsExactAndToVirtualIsTheFirstInstantReachingIt) {
  for (int32_t drift : {-kClockDriftPpmMax, -37, 1, 53, kClockDriftPpmMax}) {
    const NodeClocks c(fixed(drift, Duration::millis(1500)), 1, 1);
    ASSERT_TRUE(c.enabled());
    EXPECT_EQ(c.local(0, Instant::from_us(1'000'000)).us(),
              static_cast<uint64_t>(1'500'000 + 1'000'000 + drift));
    Instant prev = Instant::zero();
    for (uint64_t t = 0; t < 5'000'000; t += 99'991) {  // bounded grid
      const Instant v = Instant::from_us(t);
      const Instant l = c.local(0, v);
      ASSERT_GE(l, prev) << "monotonic";
      prev = l;
      // to_virtual(D): local reaches D there, and not one microsecond earlier.
      const Instant d = l + Duration::micros(7);
      const Instant back = c.to_virtual(0, d);
      ASSERT_GE(c.local(0, back), d) << drift << " " << t;
      ASSERT_LT(c.local(0, back - Duration::micros(1)), d) << drift << " " << t;
    }
    // Deadlines before the offset are due at once.
    EXPECT_EQ(c.to_virtual(0, Instant::from_us(1000)), Instant::zero());
  }
}

TEST(ClockDrift, DrawsStayWithinTheModelsRanges) {
  ClockModel m;
  m.drift_ppm_min = -100;
  m.drift_ppm_max = 100;
  m.offset_max = Duration::seconds(10);
  const NodeClocks c(m, 42, 1000);
  int32_t lo = 0, hi = 0;
  for (uint32_t i = 0; i < 1000; ++i) {
    ASSERT_GE(c.drift_ppm(i), -100);
    ASSERT_LE(c.drift_ppm(i), 100);
    ASSERT_GE(c.offset(i), Duration::zero());
    ASSERT_LE(c.offset(i), Duration::seconds(10));
    lo = std::min(lo, c.drift_ppm(i));
    hi = std::max(hi, c.drift_ppm(i));
  }
  EXPECT_LT(lo, -90);  // spread over the range, not stuck
  EXPECT_GT(hi, 90);
  const NodeClocks same(m, 42, 1000);
  EXPECT_EQ(same.drift_ppm(517), c.drift_ppm(517));
}

// node1 runs 10% fast from 3 s; node2 keeps virtual time. At virtual 1 s
// node1 is poked, sets a timer 1.1 s (its own time) ahead and sends to node2.
TEST(ClockDrift, TheEngineFeedsLocalTimeAndFiresTimersByTheNodesClock) {
  Scenario s;
  s.name = "drift";
  s.node_count = 2;
  s.network.latency.min = Duration::millis(10);
  s.network.clock = fixed(100'000, Duration::seconds(3));
  s.duration = Duration::seconds(10);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  s.timeline.push_back(
      at_step(Duration::seconds(1), join_via(named({"node1@sim"}), {"node2@sim"})));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant now, NodeId peer) {
    if (in == "join") {
      n.set_deadline(now + Duration::millis(1100));
      n.queue(Send{peer, Join{}});
    }
  };
  Engine engine(s, RunOptions{}, w.factory());
  const RunReport r = engine.run();
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  // Both nodes draw from the one fixed model: both run 10% fast from 3 s.
  const auto created = w.entries(0, "create");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].t_us, 3000 * kMs);
  const auto joined = w.entries(0, "join");
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].t_us, 4100 * kMs);  // 3 s + 1 s * 1.1
  // The deadline 5.2 s (local) is reached at virtual 2 s.
  const auto timers = w.entries(0, "timers");
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0].t_us, 5200 * kMs);
  // Sent at virtual 1 s, arrived at virtual 1.010 s: node2 reads 4.111 s.
  const auto got = w.entries(1, "deliver:JOIN");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].t_us, 4111 * kMs);
}

}  // namespace
}  // namespace barrel::sim::test
