// neighbor_test — filling and repairing the active view: NEIGHBOR priority
// rules, the pending requests (accept, reject, timeout, unreachable
// target, late or stray replies), repair rounds and their cool-down,
// DISCONNECT, and the reaction to a lost or failed link (promotion from the
// passive view with the right priority).
// Method: one Node driven by hand; exact effects, random choices read back
// from the effects.
#include <gtest/gtest.h>

#include <set>
#include <span>

#include "core/hyparview/test_util.h"

namespace barrel {
namespace {

using test::drain;
using test::Effects;
using test::ids;
using test::Ids;
using test::Names;

class NeighborTest : public testing::Test {
 protected:
  NeighborTest() : names_(12) { use_config(3, 8); }
  void use_config(uint32_t active, uint32_t passive) {
    config_ = test::small_config(active, passive);
    node_ = test::make_node(config_, names_, 0);
  }
  NodeId n(size_t i) const { return names_.id(i); }
  Node& node() { return *node_; }
  // The target of the single NEIGHBOR in `effects` (asserting there is one).
  NodeId neighbor_target(const Effects& effects, bool high) {
    EXPECT_EQ(effects.size(), 1u);
    const NodeId to = test::first_send_of<Neighbor>(effects);
    EXPECT_EQ(effects.at(0), (Effect{Send{to, Neighbor{high}}}));
    return to;
  }

  const Instant t0 = Instant::zero();
  NodeConfig config_;
  Names names_;
  std::unique_ptr<Node> node_;
};

// --- Receiving NEIGHBOR -----------------------------------------------------------

TEST_F(NeighborTest, HighPriorityIntoFullViewEvicts) {
  test::admit(node(), {n(1), n(2), n(3)});
  ASSERT_TRUE(node().deliver(t0, n(4), Neighbor{true}).is_ok());
  const Effects effects = drain(node());
  const NodeId victim = test::first_send_of<Disconnect>(effects);
  ASSERT_TRUE(test::contains(Ids{n(1), n(2), n(3)}, victim));
  EXPECT_EQ(effects, (Effects{Send{victim, Disconnect{false}}, CloseLink{victim},
                              test::down(victim, PeerDownReason::kEvicted), OpenLink{n(4)},
                              test::up(n(4)), Send{n(4), NeighborReply{true}}}));
  EXPECT_EQ(ids(node().passive_view()), Ids{victim});
  EXPECT_TRUE(test::contains(node().active_view(), n(4)));
}

TEST_F(NeighborTest, LowPriorityIntoFullViewIsRejected) {
  test::admit(node(), {n(1), n(2), n(3)});
  ASSERT_TRUE(node().deliver(t0, n(4), Neighbor{false}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(4), NeighborReply{false}}}));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(2), n(3)}));
  EXPECT_TRUE(node().passive_view().empty());
}

TEST_F(NeighborTest, LowPriorityWithRoomIsAcceptedAndLeavesThePassiveView) {
  use_config(3, 2);
  test::admit(node(), {n(1)});
  test::give_passive(node(), n(1), {n(4)});  // starts a repair request to 4 (dropped)
  ASSERT_TRUE(node().deliver(t0, n(5), Neighbor{false}).is_ok());
  EXPECT_EQ(drain(node()),
            (Effects{OpenLink{n(5)}, test::up(n(5)), Send{n(5), NeighborReply{true}}}));
  // 4 is the pending target: it answers NEIGHBOR from us with its own request.
  ASSERT_TRUE(node().deliver(t0, n(4), Neighbor{false}).is_ok());
  EXPECT_EQ(drain(node()),
            (Effects{OpenLink{n(4)}, test::up(n(4)), Send{n(4), NeighborReply{true}}}));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(5), n(4)}));
  EXPECT_TRUE(node().passive_view().empty());
  // Its reply to our request is now stale: it holds us, nothing to do.
  ASSERT_TRUE(node().deliver(t0, n(4), NeighborReply{true}).is_ok());
  EXPECT_TRUE(drain(node()).empty());
}

TEST_F(NeighborTest, RequestFromAMemberIsAcceptedAgain) {
  test::admit(node(), {n(1), n(2), n(3)});
  ASSERT_TRUE(node().deliver(t0, n(2), Neighbor{false}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(2), NeighborReply{true}}}));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(2), n(3)}));
}

// --- Sending NEIGHBOR: repair ----------------------------------------------------

TEST_F(NeighborTest, RoomAndACandidateStartOneRequest) {
  test::admit(node(), {n(1)});
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(5)}}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(5), Neighbor{false}}}));
  EXPECT_EQ(node().stats().neighbor_requests_sent, 1u);
  // More candidates arrive: still one request pending.
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(6), n(7)}}).is_ok());
  EXPECT_TRUE(drain(node()).empty());
  ASSERT_TRUE(node().deliver(t0, n(5), NeighborReply{true}).is_ok());
  const Effects effects = drain(node());
  // Accepted: 5 is promoted; there is still room, so the next request goes.
  ASSERT_EQ(effects.size(), 3u);
  EXPECT_EQ(effects[0], (Effect{OpenLink{n(5)}}));
  EXPECT_EQ(effects[1], test::up(n(5)));
  const NodeId next = neighbor_target({effects[2]}, false);
  EXPECT_TRUE(next == n(6) || next == n(7));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(5)}));
  EXPECT_EQ(ids(node().passive_view()), (Ids{n(6), n(7)}));
  EXPECT_EQ(node().stats().neighbor_requests_accepted, 1u);
}

// Beyond the paper: below repair_high_below members the request is high
// priority (always accepted), at or above it low (config.h says why).
TEST_F(NeighborTest, RepairIsHighPriorityBelowTheConfiguredSize) {
  config_ = test::small_config(4, 8);
  config_.hyparview.repair_high_below = 2;
  node_ = test::make_node(config_, names_, 0);
  test::admit(node(), {n(1)});
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(5)}}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(5), Neighbor{true}}}));
  ASSERT_TRUE(node().deliver(t0, n(5), NeighborReply{true}).is_ok());
  drain(node());
  ASSERT_EQ(ids(node().active_view()), (Ids{n(1), n(5)}));
  // Two members now: the next request is low priority.
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(6)}}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(6), Neighbor{false}}}));
}

TEST_F(NeighborTest, RejectionsWalkThePassiveViewThenCoolDown) {
  test::admit(node(), {n(1)});
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(5), n(6), n(7)}}).is_ok());
  NodeId target = neighbor_target(drain(node()), false);
  Ids asked{target};
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(node().deliver(t0, target, NeighborReply{false}).is_ok());
    target = neighbor_target(drain(node()), false);
    EXPECT_FALSE(test::contains(asked, target)) << "asked twice in one round";
    asked.push_back(target);
  }
  // The third rejection ends the round: (passive size) attempts made.
  ASSERT_TRUE(node().deliver(t0, target, NeighborReply{false}).is_ok());
  EXPECT_TRUE(drain(node()).empty());
  EXPECT_EQ(ids(node().passive_view()), (Ids{n(5), n(6), n(7)}));  // rejecters are kept
  EXPECT_EQ(node().stats().repair_rounds_failed, 1u);
  const Instant next_round = t0 + config_.hyparview.repair_period;
  EXPECT_LE(node().next_deadline(), next_round);
  // Nothing before the cool-down ends (shuffles may run, but no NEIGHBOR).
  while (node().next_deadline() < next_round) {
    node().handle_timers(node().next_deadline());
    EXPECT_EQ(test::first_send_of<Neighbor>(drain(node())), NodeId::invalid());
  }
  node().handle_timers(next_round);
  const Effects effects = drain(node());
  EXPECT_TRUE(test::contains(asked, test::first_send_of<Neighbor>(effects)));
}

TEST_F(NeighborTest, UnansweredRequestTimesOutAndTheNextCandidateIsAsked) {
  test::admit(node(), {n(1)});
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(5), n(6)}}).is_ok());
  const NodeId first = neighbor_target(drain(node()), false);
  const Instant timeout = t0 + config_.hyparview.neighbor_timeout;
  while (node().next_deadline() < timeout) {
    node().handle_timers(node().next_deadline());
    EXPECT_EQ(test::first_send_of<Neighbor>(drain(node())), NodeId::invalid());
  }
  EXPECT_EQ(node().next_deadline(), timeout);
  node().handle_timers(timeout);
  const NodeId second = neighbor_target(drain(node()), false);
  EXPECT_NE(second, first);
  EXPECT_EQ(node().stats().neighbor_timeouts, 1u);
  EXPECT_TRUE(test::contains(node().passive_view(), first));  // silent, not proven dead
  // A late reply from the first target is no answer to the pending request:
  // it holds us, we do not hold it, so we tell it.
  ASSERT_TRUE(node().deliver(timeout, first, NeighborReply{true}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{first, Disconnect{false}}}));
}

TEST_F(NeighborTest, AcceptanceAfterTheViewFilledIsUndone) {
  test::admit(node(), {n(1)});
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(5)}}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(5), Neighbor{false}}}));
  test::admit(node(), {n(2), n(3)});  // full now
  ASSERT_TRUE(node().deliver(t0, n(5), NeighborReply{true}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(5), Disconnect{false}}}));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(2), n(3)}));
  EXPECT_EQ(ids(node().passive_view()), Ids{n(5)});
}

TEST_F(NeighborTest, StrayRejectionFromAMemberDropsIt) {
  test::admit(node(), {n(1), n(2), n(3)});
  ASSERT_TRUE(node().deliver(t0, n(2), NeighborReply{false}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(2), Disconnect{false}}, CloseLink{n(2)},
                                    test::down(n(2), PeerDownReason::kDisconnected),
                                    Send{n(2), Neighbor{false}}}));
  // A stray rejection from a non-member means nothing.
  ASSERT_TRUE(node().deliver(t0, n(7), NeighborReply{false}).is_ok());
  EXPECT_TRUE(drain(node()).empty());
}

// A walk step from our pending target, which is not a member: we answer
// DISCONNECT, and that DISCONNECT would undo any acceptance it sends, so the
// request has failed; its acceptance, when it comes, is undone once more.
TEST_F(NeighborTest, StrayWalkFromThePendingTargetEndsTheRequest) {
  test::admit(node(), {n(1)});
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(5), n(6)}}).is_ok());
  const NodeId first = neighbor_target(drain(node()), false);
  const NodeId second = first == n(5) ? n(6) : n(5);
  ASSERT_TRUE(node().deliver(t0, first, Shuffle{n(9), 1, {n(9)}}).is_ok());
  const Effects effects = drain(node());
  ASSERT_EQ(effects.size(), 3u);
  EXPECT_EQ(effects[0], (Effect{Send{first, Disconnect{false}}}));
  const Send& reply = std::get<Send>(effects[1]);  // one of our passive members
  EXPECT_EQ(reply.to, n(9));
  EXPECT_EQ(std::get<ShuffleReply>(reply.msg).nodes.size(), 1u);
  EXPECT_EQ(effects[2], (Effect{Send{second, Neighbor{false}}}));
  ASSERT_TRUE(node().deliver(t0, first, NeighborReply{true}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{first, Disconnect{false}}}));
  EXPECT_FALSE(test::contains(node().active_view(), first));
}

TEST_F(NeighborTest, FailedLowRoundDoesNotDelayAHighRequest) {
  use_config(2, 4);
  test::admit(node(), {n(1)});
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(5)}}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(5), Neighbor{false}}}));
  ASSERT_TRUE(node().deliver(t0, n(5), NeighborReply{false}).is_ok());
  EXPECT_TRUE(drain(node()).empty());  // round over, cooling down
  node().on_link_down(t0, n(1));
  EXPECT_EQ(drain(node()),
            (Effects{test::down(n(1), PeerDownReason::kLinkLost), Send{n(5), Neighbor{true}}}));
}

// --- DISCONNECT -------------------------------------------------------------------

TEST_F(NeighborTest, DisconnectMovesTheSenderToPassiveAndRepairs) {
  test::admit(node(), {n(1), n(2)});
  ASSERT_TRUE(node().deliver(t0, n(1), Disconnect{false}).is_ok());
  EXPECT_EQ(drain(node()),
            (Effects{CloseLink{n(1)}, test::down(n(1), PeerDownReason::kDisconnected),
                     Send{n(1), Neighbor{false}}}));
  EXPECT_EQ(ids(node().active_view()), Ids{n(2)});
  EXPECT_EQ(ids(node().passive_view()), Ids{n(1)});
}

TEST_F(NeighborTest, DisconnectWithLeavingReportsLeft) {
  use_config(2, 4);
  test::admit(node(), {n(1), n(2)});
  ASSERT_TRUE(node().deliver(t0, n(2), Disconnect{true}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{CloseLink{n(2)}, test::down(n(2), PeerDownReason::kLeft),
                                    Send{n(2), Neighbor{false}}}));
}

TEST_F(NeighborTest, DisconnectFromANonMemberIsIgnored) {
  test::admit(node(), {n(1)});
  ASSERT_TRUE(node().deliver(t0, n(4), Disconnect{false}).is_ok());
  EXPECT_TRUE(drain(node()).empty());
  EXPECT_TRUE(node().passive_view().empty());
}

// --- Lost and failed links ------------------------------------------------------------

TEST_F(NeighborTest, LinkDownPromotesAtLowPriorityWhileNeighboursRemain) {
  use_config(2, 4);
  test::admit(node(), {n(1), n(2)});
  test::give_passive(node(), n(1), {n(5), n(6)});
  node().on_link_down(t0, n(1));
  const Effects effects = drain(node());
  ASSERT_EQ(effects.size(), 2u);
  EXPECT_EQ(effects[0], test::down(n(1), PeerDownReason::kLinkLost));
  const NodeId target = neighbor_target({effects[1]}, false);
  EXPECT_TRUE(target == n(5) || target == n(6));
  EXPECT_FALSE(test::contains(node().passive_view(), n(1)));  // maybe dead: not kept
}

TEST_F(NeighborTest, LinkDownOfTheLastNeighbourPromotesAtHighPriority) {
  use_config(1, 4);
  test::admit(node(), {n(1)});
  test::give_passive(node(), n(1), {n(5), n(6)});
  node().on_link_down(t0, n(1));
  const Effects effects = drain(node());
  ASSERT_EQ(effects.size(), 2u);
  EXPECT_EQ(effects[0], test::down(n(1), PeerDownReason::kLinkLost));
  const NodeId target = neighbor_target({effects[1]}, true);
  ASSERT_TRUE(target.valid());
  ASSERT_TRUE(node().deliver(t0, target, NeighborReply{true}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{OpenLink{target}, test::up(target)}));
  EXPECT_EQ(ids(node().active_view()), Ids{target});
}

// An empty active view asks repair_parallel (3) passive members at once,
// each a different one: after a massive failure most of them are dead and
// each dead one costs a connection timeout. Only the first pending request
// is high priority (a high one may evict at its target). Every acceptance
// fills a slot.
TEST_F(NeighborTest, AnEmptyViewAsksSeveralCandidatesAtOnce) {
  use_config(3, 8);
  test::admit(node(), {n(1)});
  // Room in the view: one low-priority request goes out at once.
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(5), n(6), n(7), n(8)}}).is_ok());
  Ids targets{neighbor_target(drain(node()), false)};
  // The last neighbour is lost: two more requests join the pending one (which
  // is still the first, hence the only high-priority one).
  node().on_link_down(t0, n(1));
  const Effects effects = drain(node());
  ASSERT_EQ(effects.size(), 3u);
  EXPECT_EQ(effects[0], test::down(n(1), PeerDownReason::kLinkLost));
  for (size_t i = 1; i < effects.size(); ++i) {
    const auto* send = std::get_if<Send>(&effects[i]);
    ASSERT_NE(send, nullptr);
    EXPECT_EQ(send->msg, Message{Neighbor{false}});
    targets.push_back(send->to);
  }
  const auto values = [](std::span<const NodeId> v) {
    std::set<uint32_t> out;
    for (NodeId id : v)
      out.insert(id.value());
    return out;
  };
  EXPECT_EQ(values(targets).size(), 3u);
  for (NodeId t : targets)
    ASSERT_TRUE(node().deliver(t0, t, NeighborReply{true}).is_ok());
  drain(node());
  EXPECT_EQ(values(node().active_view()), values(targets));
}

TEST_F(NeighborTest, LinkDownOfThePendingTargetCountsAsRejectionAndDropsIt) {
  test::admit(node(), {n(1)});
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(5), n(6)}}).is_ok());
  const NodeId first = neighbor_target(drain(node()), false);
  node().on_link_down(t0, first);
  const NodeId second = neighbor_target(drain(node()), false);
  EXPECT_NE(first, second);
  EXPECT_EQ(ids(node().passive_view()), Ids{second});
}

TEST_F(NeighborTest, LinkFailedDropsThePeerFromBothViews) {
  test::admit(node(), {n(1), n(2), n(3)});
  test::give_passive(node(), n(1), {n(5), n(6)});
  node().on_link_failed(t0, n(5));
  EXPECT_TRUE(drain(node()).empty());
  EXPECT_EQ(ids(node().passive_view()), Ids{n(6)});
  node().on_link_failed(t0, n(2));
  EXPECT_EQ(drain(node()),
            (Effects{test::down(n(2), PeerDownReason::kLinkLost), Send{n(6), Neighbor{false}}}));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(3)}));
  // The pending target fails: rejected and dropped; nobody left to ask.
  node().on_link_failed(t0, n(6));
  EXPECT_TRUE(drain(node()).empty());
  EXPECT_TRUE(node().passive_view().empty());
}

}  // namespace
}  // namespace barrel
