// hlc_test — the hybrid logical clock: monotonic under a physical clock that
// jumps back, merge with a peer ahead or behind, skew rejection that leaves
// the clock unchanged, logical overflow, total order with a tiebreak.
// Method: direct calls with chosen inputs, plus a seeded random walk of
// physical times and received stamps (bounded loop) checking monotonicity.
#include "hlc/hlc.h"

#include <gtest/gtest.h>

#include "barrel/rng.h"

namespace barrel {
namespace {

TEST(Hlc, NowFollowsPhysicalTime) {
  Hlc c;
  EXPECT_EQ(c.now(1000), (HlcTimestamp{1000, 0}));
  EXPECT_EQ(c.now(2000), (HlcTimestamp{2000, 0}));
  EXPECT_EQ(c.now(2000), (HlcTimestamp{2000, 1}));
  EXPECT_EQ(c.last(), (HlcTimestamp{2000, 1}));
}

TEST(Hlc, MonotonicWhenPhysicalGoesBack) {
  Hlc c;
  EXPECT_EQ(c.now(5000), (HlcTimestamp{5000, 0}));
  EXPECT_EQ(c.now(4000), (HlcTimestamp{5000, 1}));
  EXPECT_EQ(c.now(100), (HlcTimestamp{5000, 2}));
  EXPECT_EQ(c.now(5001), (HlcTimestamp{5001, 0}));
}

TEST(Hlc, RandomPhysicalInputStaysStrictlyMonotonic) {
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    Rng rng(seed);
    Hlc c(Duration::millis(10));
    HlcTimestamp prev = c.last();
    uint64_t physical = 1'000'000;
    for (int i = 0; i < 500; ++i) {
      physical = static_cast<uint64_t>(static_cast<int64_t>(physical) +
                                       rng.range(-2000, 2000));  // jitter both ways
      HlcTimestamp t;
      if (rng.chance(kPpmOne / 2)) {
        t = c.now(physical);
      } else {
        const HlcTimestamp remote{physical + rng.uniform(20'000),
                                  static_cast<uint32_t>(rng.uniform(5))};
        Result<HlcTimestamp> r = c.update(physical, remote);
        if (!r.is_ok()) {
          EXPECT_EQ(r.status().code(), Code::kMalformed);
          EXPECT_EQ(c.last(), prev);
          continue;
        }
        t = *r;
        EXPECT_GT(t, remote);
      }
      ASSERT_GT(t, prev) << "seed " << seed << " step " << i;
      prev = t;
    }
  }
}

TEST(Hlc, UpdateWithRemoteAheadTakesItsWallTime) {
  Hlc c;
  (void)c.now(1000);
  Result<HlcTimestamp> r = c.update(1000, HlcTimestamp{3000, 7});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, (HlcTimestamp{3000, 8}));
  // The next local event stays after it although physical time is behind.
  EXPECT_EQ(c.now(1500), (HlcTimestamp{3000, 9}));
}

TEST(Hlc, UpdateWithRemoteBehindKeepsOurs) {
  Hlc c;
  (void)c.now(5000);
  Result<HlcTimestamp> r = c.update(5000, HlcTimestamp{1000, 40});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, (HlcTimestamp{5000, 1}));
  // Physical time ahead of both: logical restarts.
  r = c.update(9000, HlcTimestamp{8000, 3});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, (HlcTimestamp{9000, 0}));
}

TEST(Hlc, UpdateWithEqualWallTakesLargerLogical) {
  Hlc c;
  (void)c.now(4000);
  (void)c.now(4000);  // (4000, 1)
  Result<HlcTimestamp> r = c.update(3000, HlcTimestamp{4000, 5});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, (HlcTimestamp{4000, 6}));
}

TEST(Hlc, SkewBeyondMaxOffsetIsRejectedAndClockUnchanged) {
  Hlc c(Duration::seconds(60));
  (void)c.now(1'000'000);
  const HlcTimestamp before = c.last();
  Result<HlcTimestamp> r = c.update(1'000'000, HlcTimestamp{1'000'000 + 60'000'001, 0});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kMalformed);
  EXPECT_EQ(c.last(), before);
  // A peer at UINT64_MAX must not wrap the comparison.
  r = c.update(1'000'000, HlcTimestamp{UINT64_MAX, UINT32_MAX});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(c.last(), before);
  // Exactly max_offset ahead is accepted.
  r = c.update(1'000'000, HlcTimestamp{1'000'000 + 60'000'000, 0});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, (HlcTimestamp{61'000'000, 1}));
}

TEST(Hlc, LogicalOverflowCarriesIntoWallTime) {
  Hlc c;
  Result<HlcTimestamp> r = c.update(1000, HlcTimestamp{1000, UINT32_MAX - 1});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, (HlcTimestamp{1000, UINT32_MAX}));
  EXPECT_EQ(c.now(1000), (HlcTimestamp{1001, 0}));
  r = c.update(900, HlcTimestamp{1001, UINT32_MAX});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, (HlcTimestamp{1002, 0}));
}

TEST(Hlc, OrderIsLexicographicWithTiebreak) {
  EXPECT_LT((HlcTimestamp{1, 9}), (HlcTimestamp{2, 0}));
  EXPECT_LT((HlcTimestamp{2, 0}), (HlcTimestamp{2, 1}));
  const HlcStamp a{{5, 5}, 1};
  const HlcStamp b{{5, 5}, 2};
  EXPECT_LT(a, b);
  EXPECT_NE(a, b);
  EXPECT_LT((HlcStamp{{5, 4}, 9}), a);
}

}  // namespace
}  // namespace barrel
