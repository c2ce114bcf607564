// shuffle_test — the SHUFFLE helpers: sample() picks distinct members,
// respects k and the skipped id, keeps source order and is close to uniform;
// the schedule draws its first time in [0, period) and later ones in
// [period/2, 3*period/2).
// Method: direct calls with fixed seeds; bounded loops with loose bounds on
// frequencies (a test that fails by chance would need a broken generator).
#include "hyparview/shuffle.h"

#include <gtest/gtest.h>

#include <vector>

namespace barrel::hyparview {
namespace {

using Ids = std::vector<NodeId>;

Ids range_ids(uint32_t n) {
  Ids out;
  for (uint32_t i = 0; i < n; ++i)
    out.push_back(NodeId(i));
  return out;
}

TEST(Sample, TakesMinOfKAndAvailableDistinctInSourceOrder) {
  Rng rng(5);
  const Ids from = range_ids(10);
  for (size_t k : {0u, 1u, 4u, 9u, 10u, 20u}) {
    Ids out{NodeId(99)};
    sample(from, k, NodeId::invalid(), rng, &out);
    ASSERT_EQ(out.size(), 1 + std::min<size_t>(k, 10));
    EXPECT_EQ(out[0], NodeId(99));  // appends
    for (size_t i = 2; i < out.size(); ++i)
      EXPECT_LT(out[i - 1].value(), out[i].value());  // distinct, in order
  }
}

TEST(Sample, NeverTakesTheSkippedId) {
  Rng rng(6);
  const Ids from = range_ids(4);
  for (int i = 0; i < 100; ++i) {
    Ids out;
    sample(from, 3, NodeId(2), rng, &out);
    ASSERT_EQ(out.size(), 3u);
    for (NodeId id : out)
      ASSERT_NE(id, NodeId(2));
  }
}

TEST(Sample, EveryMemberIsChosenAboutEquallyOften) {
  Rng rng(7);
  const Ids from = range_ids(8);
  std::vector<int> counts(8, 0);
  constexpr int kRounds = 8000;
  for (int i = 0; i < kRounds; ++i) {
    Ids out;
    sample(from, 2, NodeId::invalid(), rng, &out);
    for (NodeId id : out)
      counts[id.value()]++;
  }
  for (int c : counts) {
    EXPECT_GT(c, kRounds * 2 / 8 * 8 / 10);  // expected 2000 each; within 20%
    EXPECT_LT(c, kRounds * 2 / 8 * 12 / 10);
  }
}

TEST(ShuffleSchedule, FirstInZeroToPeriodThenHalfToThreeHalves) {
  const Duration period = Duration::seconds(10);
  const Instant start = Instant::from_us(1'000'000);
  Rng rng(8);
  bool early = false, late = false;
  for (int i = 0; i < 200; ++i) {
    ShuffleSchedule s;
    s.schedule_first(start, period, rng);
    ASSERT_GE(s.next_at(), start);
    ASSERT_LT(s.next_at(), start + period);
    s.schedule_next(start, period, rng);
    ASSERT_GE(s.next_at(), start + period / 2);
    ASSERT_LT(s.next_at(), start + period + period / 2);
    early = early || s.next_at() < start + period;
    late = late || s.next_at() > start + period;
    EXPECT_FALSE(s.due(start));
    EXPECT_TRUE(s.due(s.next_at()));
  }
  EXPECT_TRUE(early);
  EXPECT_TRUE(late);
}

TEST(ShuffleSchedule, RemembersTheLastSampleSentAndCancelForgetsIt) {
  ShuffleSchedule s;
  const Ids sent{NodeId(1), NodeId(2)};
  s.remember_sent(sent);
  EXPECT_EQ(Ids(s.sent().begin(), s.sent().end()), sent);
  s.cancel();
  EXPECT_TRUE(s.sent().empty());
  EXPECT_EQ(s.next_at(), Instant::never());
  EXPECT_FALSE(s.due(Instant::from_us(UINT64_MAX - 1)));
}

}  // namespace
}  // namespace barrel::hyparview
