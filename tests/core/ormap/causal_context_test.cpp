// causal_context_test — the compressed causal context: compaction of the
// cloud into the version vector as gaps fill, join as set union, bounds that
// reject without change, projection, and the canonical-form checks of
// from_canonical().
// Method: direct calls with chosen dots; one seeded random comparison against
// a plain std::set model (bounded loops).
#include "ormap/causal_context.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "barrel/limits.h"
#include "barrel/rng.h"

namespace barrel::ormap {
namespace {

TEST(CausalContext, CloudCompactsIntoVersionVectorAsGapsFill) {
  CausalContext c;
  ASSERT_TRUE(c.insert({7, 3}).is_ok());
  ASSERT_TRUE(c.insert({7, 2}).is_ok());
  EXPECT_EQ(c.cloud().size(), 2u);
  EXPECT_TRUE(c.vv().empty());
  EXPECT_FALSE(c.contains({7, 1}));
  ASSERT_TRUE(c.insert({7, 1}).is_ok());
  EXPECT_TRUE(c.cloud().empty());
  EXPECT_EQ(c.vv().at(7), 3u);
  EXPECT_TRUE(c.contains({7, 2}));
  EXPECT_EQ(c.max_counter(7), 3u);
  ASSERT_TRUE(c.insert({7, 9}).is_ok());
  EXPECT_EQ(c.max_counter(7), 9u);
  EXPECT_EQ(c.replica_count(), 1u);
  c.check_invariants();
}

TEST(CausalContext, JoinIsUnionAndCompacts) {
  CausalContext a;
  CausalContext b;
  ASSERT_TRUE(a.insert({1, 1}).is_ok());
  ASSERT_TRUE(a.insert({1, 3}).is_ok());
  ASSERT_TRUE(b.insert({1, 2}).is_ok());
  ASSERT_TRUE(b.insert({2, 5}).is_ok());
  CausalContext ab = a;
  ASSERT_TRUE(ab.join(b).is_ok());
  CausalContext ba = b;
  ASSERT_TRUE(ba.join(a).is_ok());
  EXPECT_EQ(ab, ba);
  EXPECT_EQ(ab.vv().at(1), 3u);
  EXPECT_EQ(ab.cloud(), (std::set<Dot>{{2, 5}}));
  EXPECT_EQ(ab.replica_count(), 2u);
  ab.check_invariants();
}

TEST(CausalContext, MatchesASetModelUnderRandomInserts) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    Rng rng(seed);
    CausalContext c;
    std::set<Dot> model;
    for (int i = 0; i < 300; ++i) {
      const Dot d{rng.uniform(4), 1 + rng.uniform(40)};
      ASSERT_TRUE(c.insert(d).is_ok());
      model.insert(d);
    }
    for (uint64_t r = 0; r < 4; ++r) {
      for (uint64_t n = 1; n <= 40; ++n)
        ASSERT_EQ(c.contains({r, n}), model.count({r, n}) == 1) << seed;
    }
    c.check_invariants();
  }
}

TEST(CausalContext, CloudFullRejectsWithoutChange) {
  CausalContext c;
  for (uint64_t i = 0; i < limits::kOrMapCloudDotsMax; ++i)
    ASSERT_TRUE(c.insert({1, 2 + 2 * i}).is_ok());  // every one a gap
  const CausalContext before = c;
  Status s = c.insert({2, 5});
  EXPECT_EQ(s.code(), Code::kLimitExceeded);
  EXPECT_EQ(c, before);
  // Filling a gap at the front still works (it shrinks the cloud).
  EXPECT_TRUE(c.insert({1, 1}).is_ok());
  EXPECT_EQ(c.cloud().size(), limits::kOrMapCloudDotsMax - 1);
  CausalContext other;
  ASSERT_TRUE(other.insert({3, 7}).is_ok());
  ASSERT_TRUE(other.insert({3, 9}).is_ok());
  const CausalContext before_join = c;
  EXPECT_EQ(c.join(other).code(), Code::kLimitExceeded);
  EXPECT_EQ(c, before_join);
}

TEST(CausalContext, ProjectKeepsOneReplicaUpToACounter) {
  CausalContext c;
  for (uint64_t n = 1; n <= 5; ++n)
    ASSERT_TRUE(c.insert({4, n}).is_ok());
  ASSERT_TRUE(c.insert({4, 8}).is_ok());
  ASSERT_TRUE(c.insert({6, 1}).is_ok());
  CausalContext p = c.project(4, 3);
  EXPECT_EQ(p.vv().at(4), 3u);
  EXPECT_TRUE(p.cloud().empty());
  EXPECT_FALSE(p.knows(6));
  p = c.project(4, UINT64_MAX);
  EXPECT_TRUE(p.same_replica(c, 4));
  EXPECT_FALSE(p.same_replica(c, 6));
  EXPECT_TRUE(c.project(9, 10).empty());
}

TEST(CausalContext, FromCanonicalRejectsNonCanonicalParts) {
  std::vector<Dot> vv{{1, 3}, {2, 1}};
  std::vector<Dot> cloud{{1, 5}, {3, 4}};
  Result<CausalContext> ok = CausalContext::from_canonical(vv, cloud);
  ASSERT_TRUE(ok.is_ok());
  EXPECT_TRUE(ok->contains({3, 4}));
  auto code = [](std::vector<Dot> v, std::vector<Dot> c) {
    return CausalContext::from_canonical(v, c).status().code();
  };
  EXPECT_EQ(code({{1, 0}}, {}), Code::kMalformed);          // vv counter 0
  EXPECT_EQ(code({{2, 1}, {1, 1}}, {}), Code::kMalformed);  // vv not ascending
  EXPECT_EQ(code({}, {{1, 0}}), Code::kMalformed);          // dot counter 0
  EXPECT_EQ(code({}, {{1, 5}, {1, 5}}), Code::kMalformed);  // repeated
  EXPECT_EQ(code({{1, 3}}, {{1, 2}}), Code::kMalformed);    // covered
  EXPECT_EQ(code({{1, 3}}, {{1, 4}}), Code::kMalformed);    // not compacted
  EXPECT_EQ(code({}, {{1, 1}}), Code::kMalformed);          // not compacted
  std::vector<Dot> big(limits::kOrMapCloudDotsMax + 1, Dot{1, 5});
  EXPECT_EQ(code({}, big), Code::kOversized);
}

}  // namespace
}  // namespace barrel::ormap
