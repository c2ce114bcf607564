// join_test — joining: JOIN at the contact (with room, into a full active
// view, from a member), the FORWARD_JOIN walk (ttl 0, ttl PRWL, one active
// member, nobody to forward to, about ourselves), JOIN_ACCEPT, and the
// contact retry while the active view is empty or no contact has answered.
// Method: one Node driven by hand (config: active 3, passive 8); exact
// effects, reading the random choices (which member is evicted, where a walk
// goes) back from the effects and checking everything else against them.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/hyparview/test_util.h"

namespace barrel {
namespace {

using test::drain;
using test::Effects;
using test::ids;
using test::Ids;
using test::Names;

class JoinTest : public testing::Test {
 protected:
  JoinTest() : names_(12), node_(test::make_node(test::small_config(3, 8), names_, 0)) {}
  NodeId n(size_t i) const { return names_.id(i); }
  Node& node() { return *node_; }
  const Instant t0 = Instant::zero();
  const uint8_t arwl = NodeConfig{}.hyparview.arwl;
  const uint8_t prwl = NodeConfig{}.hyparview.prwl;

  Names names_;
  std::unique_ptr<Node> node_;
};

TEST_F(JoinTest, JoinWithRoomAdmitsAcceptsAndForwards) {
  test::admit(node(), {n(1), n(2)});
  ASSERT_TRUE(node().deliver(t0, n(3), Join{}).is_ok());
  EXPECT_EQ(drain(node()),
            (Effects{OpenLink{n(3)}, test::up(n(3)), Send{n(3), JoinAccept{}},
                     Send{n(1), ForwardJoin{n(3), arwl}}, Send{n(2), ForwardJoin{n(3), arwl}}}));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(2), n(3)}));
  EXPECT_EQ(node().stats().evictions, 0u);
}

// The paper's corner case: a random member is dropped, told with DISCONNECT
// and kept in the passive view; the joiner gets JOIN_ACCEPT; every other
// member gets FORWARD_JOIN with ttl ARWL.
TEST_F(JoinTest, JoinIntoFullActiveViewEvictsARandomMember) {
  test::admit(node(), {n(1), n(2), n(3)});
  ASSERT_TRUE(node().deliver(t0, n(4), Join{}).is_ok());
  const Effects effects = drain(node());
  const NodeId victim = test::first_send_of<Disconnect>(effects);
  ASSERT_TRUE(test::contains(Ids{n(1), n(2), n(3)}, victim));
  const Ids kept = test::without({n(1), n(2), n(3)}, victim);
  EXPECT_EQ(effects,
            (Effects{Send{victim, Disconnect{false}}, CloseLink{victim},
                     test::down(victim, PeerDownReason::kEvicted), OpenLink{n(4)}, test::up(n(4)),
                     Send{n(4), JoinAccept{}}, Send{kept[0], ForwardJoin{n(4), arwl}},
                     Send{kept[1], ForwardJoin{n(4), arwl}}}));
  EXPECT_EQ(ids(node().active_view()), (Ids{kept[0], kept[1], n(4)}));
  EXPECT_EQ(ids(node().passive_view()), Ids{victim});
  EXPECT_EQ(node().stats().evictions, 1u);
}

TEST_F(JoinTest, EvictionPicksDifferentMembersAcrossSeeds) {
  Ids victims;
  for (uint64_t seed = 1; seed <= 16; ++seed) {
    auto other = test::make_node(test::small_config(3, 8), names_, 0, seed);
    test::admit(*other, {n(1), n(2), n(3)});
    ASSERT_TRUE(other->deliver(t0, n(4), Join{}).is_ok());
    const NodeId v = test::first_send_of<Disconnect>(drain(*other));
    if (!test::contains(victims, v))
      victims.push_back(v);
  }
  EXPECT_EQ(victims.size(), 3u);  // every member gets evicted under some seed
}

TEST_F(JoinTest, JoinFromAMemberIsOnlyAcceptedAgain) {
  test::admit(node(), {n(1), n(2)});
  ASSERT_TRUE(node().deliver(t0, n(1), Join{}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(1), JoinAccept{}}}));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(2)}));
}

TEST_F(JoinTest, JoinTakesTheJoinerOutOfThePassiveView) {
  test::admit(node(), {n(1), n(2), n(3)});
  test::give_passive(node(), n(1), {n(4), n(5)});
  ASSERT_TRUE(node().deliver(t0, n(4), Join{}).is_ok());
  const NodeId victim = test::first_send_of<Disconnect>(drain(node()));
  EXPECT_EQ(ids(node().passive_view()), (Ids{n(5), victim}));
  EXPECT_TRUE(test::contains(node().active_view(), n(4)));
}

TEST_F(JoinTest, ForwardJoinAtTtlZeroAdmitsTheJoiner) {
  test::admit(node(), {n(1), n(2)});
  ASSERT_TRUE(node().deliver(t0, n(1), ForwardJoin{n(5), 0}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{OpenLink{n(5)}, test::up(n(5)), Send{n(5), JoinAccept{}}}));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(2), n(5)}));
}

TEST_F(JoinTest, ForwardJoinAtTtlZeroIntoFullViewEvicts) {
  test::admit(node(), {n(1), n(2), n(3)});
  ASSERT_TRUE(node().deliver(t0, n(1), ForwardJoin{n(5), 0}).is_ok());
  const Effects effects = drain(node());
  const NodeId victim = test::first_send_of<Disconnect>(effects);
  ASSERT_TRUE(victim.valid());
  EXPECT_EQ(effects, (Effects{Send{victim, Disconnect{false}}, CloseLink{victim},
                              test::down(victim, PeerDownReason::kEvicted), OpenLink{n(5)},
                              test::up(n(5)), Send{n(5), JoinAccept{}}}));
  EXPECT_EQ(ids(node().passive_view()), Ids{victim});
}

TEST_F(JoinTest, ForwardJoinAtANodeWithOneMemberAdmits) {
  test::admit(node(), {n(1)});
  ASSERT_TRUE(node().deliver(t0, n(1), ForwardJoin{n(5), arwl}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{OpenLink{n(5)}, test::up(n(5)), Send{n(5), JoinAccept{}}}));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(5)}));
}

TEST_F(JoinTest, ForwardJoinAtPrwlKeepsTheJoinerAndWalksOn) {
  test::admit(node(), {n(1), n(2), n(3)});
  ASSERT_TRUE(node().deliver(t0, n(1), ForwardJoin{n(5), prwl}).is_ok());
  const Effects effects = drain(node());
  const NodeId next = test::first_send_of<ForwardJoin>(effects);
  ASSERT_TRUE(next == n(2) || next == n(3));  // never back to the sender
  EXPECT_EQ(effects, (Effects{Send{next, ForwardJoin{n(5), static_cast<uint8_t>(prwl - 1)}}}));
  EXPECT_EQ(ids(node().passive_view()), Ids{n(5)});
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(2), n(3)}));
}

TEST_F(JoinTest, ForwardJoinAbovePrwlOnlyWalksOn) {
  test::admit(node(), {n(1), n(2), n(3)});
  ASSERT_TRUE(node().deliver(t0, n(1), ForwardJoin{n(5), arwl}).is_ok());
  const Effects effects = drain(node());
  const NodeId next = test::first_send_of<ForwardJoin>(effects);
  ASSERT_TRUE(next == n(2) || next == n(3));
  EXPECT_EQ(effects, (Effects{Send{next, ForwardJoin{n(5), static_cast<uint8_t>(arwl - 1)}}}));
  EXPECT_TRUE(node().passive_view().empty());
}

TEST_F(JoinTest, ForwardJoinNeverGoesToTheJoiner) {
  // Members 1 (sender) and 5 (the joiner itself): nobody to forward to, so
  // the walk ends here; 5 is already a member and is only told again.
  test::admit(node(), {n(1), n(5)});
  ASSERT_TRUE(node().deliver(t0, n(1), ForwardJoin{n(5), 4}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(5), JoinAccept{}}}));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(5)}));
}

TEST_F(JoinTest, ForwardJoinAboutOurselvesIsIgnored) {
  test::admit(node(), {n(1), n(2)});
  ASSERT_TRUE(node().deliver(t0, n(1), ForwardJoin{n(0), 0}).is_ok());
  EXPECT_TRUE(drain(node()).empty());
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(2)}));
}

TEST_F(JoinTest, ForwardJoinFromANonMemberIsAnsweredWithDisconnect) {
  test::admit(node(), {n(1), n(2)});
  ASSERT_TRUE(node().deliver(t0, n(7), ForwardJoin{n(5), 0}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(7), Disconnect{false}}, OpenLink{n(5)}, test::up(n(5)),
                                    Send{n(5), JoinAccept{}}}));
  EXPECT_EQ(node().stats().stray_disconnects, 1u);
}

TEST_F(JoinTest, JoinAcceptAdmitsAndConfirmsOnce) {
  ASSERT_TRUE(node().deliver(t0, n(1), JoinAccept{}).is_ok());
  EXPECT_EQ(drain(node()),
            (Effects{OpenLink{n(1)}, test::up(n(1)), Send{n(1), NeighborReply{true}}}));
  ASSERT_TRUE(node().deliver(t0, n(1), JoinAccept{}).is_ok());
  EXPECT_TRUE(drain(node()).empty());  // idempotent
  EXPECT_EQ(ids(node().active_view()), Ids{n(1)});
}

TEST_F(JoinTest, JoinAcceptIntoFullViewEvicts) {
  test::admit(node(), {n(1), n(2), n(3)});
  ASSERT_TRUE(node().deliver(t0, n(4), JoinAccept{}).is_ok());
  const Effects effects = drain(node());
  const NodeId victim = test::first_send_of<Disconnect>(effects);
  ASSERT_TRUE(victim.valid());
  EXPECT_EQ(effects, (Effects{Send{victim, Disconnect{false}}, CloseLink{victim},
                              test::down(victim, PeerDownReason::kEvicted), OpenLink{n(4)},
                              test::up(n(4)), Send{n(4), NeighborReply{true}}}));
  EXPECT_EQ(ids(node().passive_view()), Ids{victim});
}

// --- Contact retry -------------------------------------------------------------

TEST_F(JoinTest, JoinIsRetriedRoundRobinWhileTheActiveViewIsEmpty) {
  const Duration retry = node().config().hyparview.contact_retry;
  ASSERT_TRUE(node().join(t0, n(1)).is_ok());
  ASSERT_TRUE(node().join(t0, n(2)).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(1), Join{}}, Send{n(2), Join{}}}));
  Instant t = t0;
  for (NodeId expected : {n(1), n(2), n(1)}) {
    t = t + retry;
    // Shuffles in between have no neighbour to go to and send nothing.
    while (node().next_deadline() < t) {
      node().handle_timers(node().next_deadline());
      EXPECT_TRUE(drain(node()).empty());
    }
    EXPECT_EQ(node().next_deadline(), t);
    node().handle_timers(t);
    EXPECT_EQ(drain(node()), (Effects{Send{expected, Join{}}}));
  }
  EXPECT_EQ(node().stats().join_retries, 3u);
  EXPECT_EQ(node().stats().joins_sent, 5u);
}

TEST_F(JoinTest, RetryStopsOnceANeighbourArrivesAndResumesWhenItGoes) {
  const Duration retry = node().config().hyparview.contact_retry;
  ASSERT_TRUE(node().join(t0, n(1)).is_ok());
  drain(node());
  ASSERT_TRUE(node().deliver(t0, n(1), JoinAccept{}).is_ok());
  drain(node());
  // The retry is off: running far beyond it sends no JOIN.
  const Instant later = t0 + retry * 3;
  while (node().next_deadline() <= later) {
    node().handle_timers(node().next_deadline());
    EXPECT_EQ(test::first_send_of<Join>(drain(node())), NodeId::invalid());
  }
  EXPECT_EQ(node().stats().join_retries, 0u);
  node().on_link_down(later, n(1));
  EXPECT_EQ(drain(node()), (Effects{test::down(n(1), PeerDownReason::kLinkLost)}));
  EXPECT_LE(node().next_deadline(), later + retry);
  Instant t = node().next_deadline();
  while (t < later + retry) {
    node().handle_timers(t);
    drain(node());
    t = node().next_deadline();
  }
  node().handle_timers(later + retry);
  EXPECT_EQ(drain(node()), (Effects{Send{n(1), Join{}}}));
}

// A seed whose own JOIN failed (its contact was not up yet) but which has
// collected joiners keeps retrying its contact until the contact answers;
// otherwise its group would stay an island forever (seen in simulation).
TEST_F(JoinTest, RetryGoesOnWithNeighboursUntilAContactAnswers) {
  const Duration retry = node().config().hyparview.contact_retry;
  ASSERT_TRUE(node().join(t0, n(1)).is_ok());
  drain(node());
  node().on_link_failed(t0, n(1));                        // the contact is not up
  ASSERT_TRUE(node().deliver(t0, n(5), Join{}).is_ok());  // a joiner arrives
  drain(node());
  ASSERT_EQ(ids(node().active_view()), Ids{n(5)});
  Instant t = t0;
  Effects sent;
  while (t < t0 + retry) {
    t = node().next_deadline();
    node().handle_timers(t);
    const Effects e = drain(node());
    sent.insert(sent.end(), e.begin(), e.end());
  }
  EXPECT_NE(std::find(sent.begin(), sent.end(), Effect{Send{n(1), Join{}}}), sent.end());
  EXPECT_EQ(node().stats().join_retries, 1u);
  // The contact answers: retries stop although nothing else changed.
  ASSERT_TRUE(node().deliver(t, n(1), JoinAccept{}).is_ok());
  drain(node());
  const Instant later = t + retry * 3;
  while (node().next_deadline() <= later) {
    node().handle_timers(node().next_deadline());
    EXPECT_EQ(test::first_send_of<Join>(drain(node())), NodeId::invalid());
  }
  EXPECT_EQ(node().stats().join_retries, 1u);
}

// A JOIN_ACCEPT from a node that is no contact (the end of a FORWARD_JOIN
// walk) does not count as the contact's answer.
TEST_F(JoinTest, AcceptFromANonContactDoesNotStopTheRetry) {
  const Duration retry = node().config().hyparview.contact_retry;
  ASSERT_TRUE(node().join(t0, n(1)).is_ok());
  drain(node());
  ASSERT_TRUE(node().deliver(t0, n(6), JoinAccept{}).is_ok());
  drain(node());
  ASSERT_EQ(ids(node().active_view()), Ids{n(6)});
  Instant t = t0;
  bool joined_again = false;
  while (t < t0 + retry) {
    t = node().next_deadline();
    node().handle_timers(t);
    joined_again |= test::first_send_of<Join>(drain(node())) == n(1);
  }
  EXPECT_TRUE(joined_again);
}

}  // namespace
}  // namespace barrel
