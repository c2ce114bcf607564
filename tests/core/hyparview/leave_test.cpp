// leave_test — leave(): every neighbour is told (DISCONNECT{leaving}), links
// closed, views cleared, timers stopped; while left, messages are ignored
// except JOIN_ACCEPT / an accepting NEIGHBOR_REPLY (answered with DISCONNECT)
// and NEIGHBOR (rejected); join() undoes it.
// Method: one Node driven by hand; exact effects.
#include <gtest/gtest.h>

#include "core/hyparview/test_util.h"

namespace barrel {
namespace {

using test::drain;
using test::Effects;
using test::ids;
using test::Ids;
using test::Names;

class LeaveTest : public testing::Test {
 protected:
  LeaveTest() : names_(10), node_(test::make_node(test::small_config(3, 8), names_, 0)) {
    EXPECT_TRUE(node_->join(t0, n(1)).is_ok());
    test::admit(*node_, {n(1), n(2), n(3)});
    test::give_passive(*node_, n(1), {n(5), n(6)});
  }
  NodeId n(size_t i) const { return names_.id(i); }
  Node& node() { return *node_; }

  const Instant t0 = Instant::zero();
  Names names_;
  std::unique_ptr<Node> node_;
};

TEST_F(LeaveTest, LeaveTellsEveryNeighbourAndClearsEverything) {
  node().leave(t0);
  const auto left = PeerDownReason::kLocalLeave;
  EXPECT_EQ(drain(node()),
            (Effects{Send{n(1), Disconnect{true}}, CloseLink{n(1)}, test::down(n(1), left),
                     Send{n(2), Disconnect{true}}, CloseLink{n(2)}, test::down(n(2), left),
                     Send{n(3), Disconnect{true}}, CloseLink{n(3)}, test::down(n(3), left)}));
  EXPECT_TRUE(node().has_left());
  EXPECT_TRUE(node().active_view().empty());
  EXPECT_TRUE(node().passive_view().empty());
  EXPECT_EQ(node().next_deadline(), Instant::never());  // no shuffle, retry or repair
  node().handle_timers(t0 + Duration::seconds(3600));
  EXPECT_TRUE(drain(node()).empty());
}

TEST_F(LeaveTest, WhileLeftMessagesAreIgnoredOrRefused) {
  node().leave(t0);
  drain(node());
  const NodeId s = n(4);
  for (const Message& m :
       {Message{Join{}}, Message{ForwardJoin{n(7), 0}}, Message{Shuffle{n(7), 1, {n(7)}}},
        Message{ShuffleReply{{n(7)}}}, Message{Disconnect{false}}, Message{NeighborReply{false}}}) {
    EXPECT_TRUE(node().deliver(t0, s, m).is_ok());
    EXPECT_TRUE(drain(node()).empty()) << testing::PrintToString(m);
  }
  ASSERT_TRUE(node().deliver(t0, s, JoinAccept{}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{s, Disconnect{true}}}));
  ASSERT_TRUE(node().deliver(t0, s, NeighborReply{true}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{s, Disconnect{true}}}));
  ASSERT_TRUE(node().deliver(t0, s, Neighbor{true}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{s, NeighborReply{false}}}));
  node().on_link_down(t0, n(1));
  node().on_link_failed(t0, n(2));
  EXPECT_TRUE(drain(node()).empty());
  EXPECT_TRUE(node().active_view().empty());
  EXPECT_TRUE(node().passive_view().empty());
}

TEST_F(LeaveTest, JoinUndoesLeave) {
  node().leave(t0);
  drain(node());
  const Instant t1 = t0 + Duration::seconds(100);
  ASSERT_TRUE(node().join(t1, n(2)).is_ok());
  EXPECT_FALSE(node().has_left());
  EXPECT_EQ(drain(node()), (Effects{Send{n(2), Join{}}}));
  // Shuffle and contact retry run again.
  EXPECT_LE(node().next_deadline(), t1 + node().config().hyparview.contact_retry);
  ASSERT_TRUE(node().deliver(t1, n(2), JoinAccept{}).is_ok());
  EXPECT_EQ(drain(node()),
            (Effects{OpenLink{n(2)}, test::up(n(2)), Send{n(2), NeighborReply{true}}}));
}

TEST_F(LeaveTest, LeaveTwiceIsHarmless) {
  node().leave(t0);
  drain(node());
  node().leave(t0);
  EXPECT_TRUE(drain(node()).empty());
  EXPECT_TRUE(node().has_left());
}

}  // namespace
}  // namespace barrel
