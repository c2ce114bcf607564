// passive_view_test — the passive view's admission and eviction rules: self,
// active members and known nodes are skipped; a full view loses a random
// member on add(), and on merge() first the nodes we sent in the same
// exchange.
// Method: direct calls with fixed seeds.
#include "hyparview/passive_view.h"

#include <gtest/gtest.h>

#include <vector>

#include "hyparview/active_view.h"

namespace barrel::hyparview {
namespace {

using Ids = std::vector<NodeId>;

Ids members(const BoundedView& v) {
  return {v.members().begin(), v.members().end()};
}

constexpr NodeId kSelf(0);

TEST(PassiveView, AddSkipsSelfActiveAndKnown) {
  ActiveView active(2);
  active.insert(NodeId(1));
  PassiveView p(3);
  Rng rng(1);
  EXPECT_FALSE(p.add(kSelf, kSelf, active, rng));
  EXPECT_FALSE(p.add(NodeId(1), kSelf, active, rng));
  EXPECT_TRUE(p.add(NodeId(5), kSelf, active, rng));
  EXPECT_FALSE(p.add(NodeId(5), kSelf, active, rng));
  EXPECT_EQ(members(p), Ids{NodeId(5)});
}

TEST(PassiveView, AddToAFullViewEvictsARandomMember) {
  ActiveView active(2);
  std::vector<int> evicted_count(3, 0);
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    PassiveView p(3);
    Rng rng(seed);
    for (uint32_t id : {5u, 6u, 7u})
      ASSERT_TRUE(p.add(NodeId(id), kSelf, active, rng));
    ASSERT_TRUE(p.add(NodeId(8), kSelf, active, rng));
    ASSERT_EQ(p.size(), 3u);
    EXPECT_EQ(p.at(2), NodeId(8));
    for (uint32_t i = 0; i < 3; ++i)
      evicted_count[i] += p.contains(NodeId(5 + i)) ? 0 : 1;
  }
  for (int c : evicted_count)
    EXPECT_GT(c, 0);  // each member is the victim under some seed
}

TEST(PassiveView, MergeEvictsTheSentNodesFirstInSentOrder) {
  ActiveView active(2);
  active.insert(NodeId(1));
  PassiveView p(4);
  Rng rng(1);
  for (uint32_t id : {5u, 6u, 7u, 8u})
    ASSERT_TRUE(p.add(NodeId(id), kSelf, active, rng));
  // Sent: 9 (not here), 7, 5. Received: self, an active one, a known one and
  // three new ones, one of them twice.
  const Ids sent{NodeId(9), NodeId(7), NodeId(5)};
  const Ids got{kSelf, NodeId(1), NodeId(6), NodeId(10), NodeId(11), NodeId(10), NodeId(12)};
  EXPECT_EQ(p.merge(got, sent, kSelf, active, rng), 3u);
  ASSERT_EQ(p.size(), 4u);
  // 10 replaced 7, 11 replaced 5, 12 replaced one of the two left at random.
  EXPECT_FALSE(p.contains(NodeId(7)));
  EXPECT_FALSE(p.contains(NodeId(5)));
  EXPECT_TRUE(p.contains(NodeId(10)));
  EXPECT_TRUE(p.contains(NodeId(11)));
  EXPECT_TRUE(p.contains(NodeId(12)));
  EXPECT_TRUE(p.contains(NodeId(6)) != p.contains(NodeId(8)));
  p.check_invariants();
}

TEST(PassiveView, MergeWithRoomEvictsNothing) {
  ActiveView active(2);
  PassiveView p(5);
  Rng rng(1);
  ASSERT_TRUE(p.add(NodeId(5), kSelf, active, rng));
  EXPECT_EQ(p.merge(Ids{NodeId(6), NodeId(7)}, Ids{NodeId(5)}, kSelf, active, rng), 2u);
  EXPECT_EQ(members(p), (Ids{NodeId(5), NodeId(6), NodeId(7)}));
}

}  // namespace
}  // namespace barrel::hyparview
