// bounded_view_test — the bounded, insertion-ordered view shared by the
// active and passive views: order kept across removals, random picks in
// range and excluding what they must, ActiveView::evict_random.
// Method: direct calls with fixed seeds; bounded loops.
#include "hyparview/bounded_view.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "hyparview/active_view.h"

namespace barrel::hyparview {
namespace {

std::vector<NodeId> members(const BoundedView& v) {
  return {v.members().begin(), v.members().end()};
}

TEST(BoundedView, KeepsInsertionOrderAcrossRemovals) {
  BoundedView v(4);
  for (uint32_t id : {7u, 3u, 9u, 1u})
    v.insert(NodeId(id));
  EXPECT_TRUE(v.full());
  EXPECT_TRUE(v.remove(NodeId(3)));
  EXPECT_FALSE(v.remove(NodeId(3)));
  EXPECT_EQ(members(v), (std::vector<NodeId>{NodeId(7), NodeId(9), NodeId(1)}));
  v.insert(NodeId(2));
  EXPECT_EQ(v.remove_at(0), NodeId(7));
  EXPECT_EQ(members(v), (std::vector<NodeId>{NodeId(9), NodeId(1), NodeId(2)}));
  EXPECT_TRUE(v.contains(NodeId(2)));
  EXPECT_FALSE(v.contains(NodeId(7)));
  EXPECT_EQ(v.capacity(), 4u);
  v.check_invariants();
  v.clear();
  EXPECT_TRUE(v.empty());
}

TEST(BoundedView, RandomMemberExceptSkipsTheExcludedAndCoversTheRest) {
  BoundedView v(5);
  for (uint32_t id = 0; id < 5; ++id)
    v.insert(NodeId(id));
  Rng rng(3);
  std::set<uint32_t> seen;
  for (int i = 0; i < 200; ++i) {
    const NodeId m = v.random_member_except(rng, NodeId(1), NodeId(3));
    ASSERT_TRUE(m.valid());
    ASSERT_NE(m, NodeId(1));
    ASSERT_NE(m, NodeId(3));
    seen.insert(m.value());
  }
  EXPECT_EQ(seen, (std::set<uint32_t>{0, 2, 4}));
  BoundedView two(2);
  two.insert(NodeId(1));
  two.insert(NodeId(3));
  EXPECT_EQ(two.random_member_except(rng, NodeId(1), NodeId(3)), NodeId::invalid());
  EXPECT_EQ(two.random_member_except(rng, NodeId(1), NodeId::invalid()), NodeId(3));
}

TEST(ActiveView, EvictRandomRemovesOneMemberEachTimeAndCoversAll) {
  std::set<uint32_t> evicted;
  for (uint64_t seed = 1; seed <= 32; ++seed) {
    ActiveView v(3);
    for (uint32_t id : {10u, 11u, 12u})
      v.insert(NodeId(id));
    Rng rng(seed);
    const NodeId victim = v.evict_random(rng);
    EXPECT_EQ(v.size(), 2u);
    EXPECT_FALSE(v.contains(victim));
    evicted.insert(victim.value());
  }
  EXPECT_EQ(evicted, (std::set<uint32_t>{10, 11, 12}));
}

TEST(BoundedView, VersionMovesWithEveryChangeAndOnlyThen) {
  BoundedView v(3);
  uint64_t last = v.version();
  EXPECT_NE(last, 0u);
  auto moved = [&] {
    const bool m = v.version() > last;
    last = v.version();
    return m;
  };
  v.insert(NodeId(1));
  EXPECT_TRUE(moved());
  v.insert(NodeId(2));
  EXPECT_TRUE(moved());
  EXPECT_TRUE(v.contains(NodeId(1)));
  EXPECT_FALSE(v.remove(NodeId(9)));  // not a member: no change
  EXPECT_FALSE(moved());
  EXPECT_TRUE(v.remove(NodeId(1)));
  EXPECT_TRUE(moved());
  EXPECT_EQ(v.remove_at(0), NodeId(2));
  EXPECT_TRUE(moved());
  v.clear();
  EXPECT_TRUE(moved());
}

}  // namespace
}  // namespace barrel::hyparview
