// rng_test — the core's RNG is portable and seeded: fixed seeds give fixed
// numbers (golden values), derived seeds are independent, and the integer
// helpers stay in range and unbiased enough to be useful.
#include "barrel/rng.h"

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace barrel {
namespace {

TEST(Rng, SameSeedSameSequence) {
  Rng a(42), b(42);
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(a.next(), b.next());
}

TEST(Rng, DifferentSeedsDiffer) {
  Rng a(1), b(2);
  int same = 0;
  for (int i = 0; i < 100; ++i)
    same += a.next() == b.next();
  EXPECT_EQ(same, 0);
}

// Golden values: these pin the algorithm. If they change, every recorded
// seed and trace hash changes with them — that must be deliberate.
TEST(Rng, GoldenValues) {
  Rng r(0);
  const uint64_t first = r.next();
  const uint64_t second = r.next();
  Rng again(0);
  EXPECT_EQ(again.next(), first);
  EXPECT_EQ(again.next(), second);
  EXPECT_EQ(first, 0x99EC5F36CB75F2B4ull);
  EXPECT_EQ(second, 0xBF6E1F784956452Aull);
}

TEST(Rng, UniformStaysInRangeAndCoversIt) {
  Rng r(7);
  std::array<int, 6> hits{};
  for (int i = 0; i < 6000; ++i) {
    const uint64_t v = r.uniform(6);
    ASSERT_LT(v, 6u);
    ++hits[v];
  }
  for (int h : hits) {
    EXPECT_GT(h, 800);
    EXPECT_LT(h, 1200);
  }
}

TEST(Rng, RangeIsInclusive) {
  Rng r(9);
  std::set<int64_t> seen;
  for (int i = 0; i < 200; ++i) {
    const int64_t v = r.range(-2, 2);
    ASSERT_GE(v, -2);
    ASSERT_LE(v, 2);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 5u);
}

TEST(Rng, ChanceExtremes) {
  Rng r(3);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_FALSE(r.chance(0));
    ASSERT_TRUE(r.chance(kPpmOne));
  }
  int yes = 0;
  for (int i = 0; i < 10000; ++i)
    yes += r.chance(250'000);
  EXPECT_GT(yes, 2200);
  EXPECT_LT(yes, 2800);
}

TEST(Rng, ShuffleIsAPermutation) {
  Rng r(5);
  std::array<int, 10> v{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  r.shuffle(v.data(), v.size());
  std::set<int> s(v.begin(), v.end());
  EXPECT_EQ(s.size(), 10u);
}

TEST(Rng, DerivedSeedsAreIndependentOfEachOther) {
  // Node i's seed depends only on (root, domain, i): adding node 1001 does not
  // change node 5's seed.
  EXPECT_EQ(derive_seed(1, SeedDomain::kNode, 5), derive_seed(1, SeedDomain::kNode, 5));
  EXPECT_NE(derive_seed(1, SeedDomain::kNode, 5), derive_seed(1, SeedDomain::kNode, 6));
  EXPECT_NE(derive_seed(1, SeedDomain::kNode, 5), derive_seed(2, SeedDomain::kNode, 5));
  EXPECT_NE(derive_seed(1, SeedDomain::kNode, 5), derive_seed(1, SeedDomain::kNetwork, 5));
}

}  // namespace
}  // namespace barrel
