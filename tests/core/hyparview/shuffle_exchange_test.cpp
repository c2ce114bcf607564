// shuffle_exchange_test — the SHUFFLE exchange: the periodic timer and its
// sample, forwarding the walk, accepting it (reply to the origin, merge),
// samples carrying ourselves or nodes we know (not added), full passive views
// (eviction prefers the nodes we sent), the reply merge at the origin, and a
// walk step from a non-member.
// Method: one Node driven by hand (active 2, passive 6 unless said); exact
// effects, random choices read back from the effects.
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

class ShuffleTest : public testing::Test {
 protected:
  ShuffleTest() : names_(20) { use_config(2, 6); }
  void use_config(uint32_t active, uint32_t passive) {
    config_ = test::small_config(active, passive);
    node_ = test::make_node(config_, names_, 0);
  }
  NodeId n(size_t i) const { return names_.id(i); }
  Node& node() { return *node_; }
  // The single Send in `effects`, asserting there is exactly one.
  static Send only_send(const Effects& effects) {
    EXPECT_EQ(effects.size(), 1u);
    const auto* s = effects.empty() ? nullptr : std::get_if<Send>(&effects[0]);
    EXPECT_NE(s, nullptr);
    return s ? *s : Send{};
  }

  const Instant t0 = Instant::zero();
  const Duration period = NodeConfig{}.hyparview.shuffle_period;
  NodeConfig config_;
  Names names_;
  std::unique_ptr<Node> node_;
};

bool all_distinct(const Ids& v) {
  for (size_t i = 0; i < v.size(); ++i) {
    for (size_t j = i + 1; j < v.size(); ++j) {
      if (v[i] == v[j])
        return false;
    }
  }
  return true;
}

TEST_F(ShuffleTest, TimerSendsSelfKaActiveKpPassiveToANeighbour) {
  test::admit(node(), {n(1), n(2)});
  test::give_passive(node(), n(1), {n(5), n(6), n(7), n(8), n(9)});
  const Instant first = node().next_deadline();
  EXPECT_LT(first, t0 + period);  // the first shuffle in [0, period)
  node().handle_timers(first);
  const Send s = only_send(drain(node()));
  EXPECT_TRUE(s.to == n(1) || s.to == n(2));
  const auto& msg = std::get<Shuffle>(s.msg);
  EXPECT_EQ(msg.origin, n(0));
  EXPECT_EQ(msg.ttl, config_.hyparview.shuffle_ttl);
  // self, both active members (ka = 3 > 2), kp = 4 of the 5 passive ones.
  ASSERT_EQ(msg.nodes.size(), 1u + 2 + 4);
  EXPECT_EQ(msg.nodes[0], n(0));
  EXPECT_EQ(msg.nodes[1], n(1));
  EXPECT_EQ(msg.nodes[2], n(2));
  EXPECT_TRUE(all_distinct(msg.nodes));
  for (size_t i = 3; i < msg.nodes.size(); ++i)
    EXPECT_TRUE(test::contains(node().passive_view(), msg.nodes[i]));
  EXPECT_EQ(node().stats().shuffles_started, 1u);
  // Then every [period/2, 3*period/2).
  const Instant next = node().next_deadline();
  EXPECT_GE(next, first + period / 2);
  EXPECT_LT(next, first + period + period / 2);
}

TEST_F(ShuffleTest, TimerWithoutNeighboursSendsNothingAndReschedules) {
  const Instant first = node().next_deadline();
  node().handle_timers(first);
  EXPECT_TRUE(drain(node()).empty());
  EXPECT_GT(node().next_deadline(), first);
  EXPECT_EQ(node().stats().shuffles_started, 0u);
}

TEST_F(ShuffleTest, WalkIsForwardedToAnotherNeighbour) {
  use_config(3, 6);
  test::admit(node(), {n(1), n(2), n(3)});
  const Shuffle in{n(2), 4, {n(2), n(10), n(11)}};
  ASSERT_TRUE(node().deliver(t0, n(1), in).is_ok());
  // Not back to the sender (1), not to the origin (2): only 3 is left.
  EXPECT_EQ(drain(node()), (Effects{Send{n(3), Shuffle{n(2), 3, in.nodes}}}));
  EXPECT_TRUE(node().passive_view().empty());
}

TEST_F(ShuffleTest, WalkEndsAtTtlOneWithReplyAndMerge) {
  test::admit(node(), {n(1), n(2)});
  test::give_passive(node(), n(1), {n(5), n(6)});
  ASSERT_TRUE(node().deliver(t0, n(1), Shuffle{n(9), 1, {n(9), n(10)}}).is_ok());
  const Send s = only_send(drain(node()));
  EXPECT_EQ(s.to, n(9));  // to the origin, over a transient connection
  const auto& reply = std::get<ShuffleReply>(s.msg).nodes;
  ASSERT_EQ(reply.size(), 2u);  // as many as it sent, from our passive view
  EXPECT_TRUE(test::contains(Ids{n(5), n(6)}, reply[0]));
  EXPECT_TRUE(test::contains(Ids{n(5), n(6)}, reply[1]));
  EXPECT_NE(reply[0], reply[1]);
  EXPECT_EQ(ids(node().passive_view()), (Ids{n(5), n(6), n(9), n(10)}));
  EXPECT_EQ(node().stats().shuffle_replies_sent, 1u);
}

TEST_F(ShuffleTest, WalkEndsAtANodeWithOneNeighbour) {
  use_config(1, 6);
  test::admit(node(), {n(1)});
  ASSERT_TRUE(node().deliver(t0, n(1), Shuffle{n(9), 6, {n(9)}}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(9), ShuffleReply{{}}}}));
  EXPECT_EQ(ids(node().passive_view()), Ids{n(9)});
}

TEST_F(ShuffleTest, SampleNodesWeKnowOrAreAreNotAdded) {
  test::admit(node(), {n(1), n(2)});
  test::give_passive(node(), n(1), {n(5)});
  // origin 9; us (0); an active member (2); a passive one (5); 9 twice; 11.
  const Shuffle in{n(9), 1, {n(9), n(0), n(2), n(5), n(9), n(11)}};
  ASSERT_TRUE(node().deliver(t0, n(1), in).is_ok());
  const Send s = only_send(drain(node()));
  EXPECT_EQ(s, (Send{n(9), ShuffleReply{{n(5)}}}));
  EXPECT_EQ(ids(node().passive_view()), (Ids{n(5), n(9), n(11)}));
  EXPECT_EQ(ids(node().active_view()), (Ids{n(1), n(2)}));
}

TEST_F(ShuffleTest, ReplyNeverOffersTheOriginItself) {
  test::admit(node(), {n(1), n(2)});
  test::give_passive(node(), n(1), {n(9), n(5)});
  ASSERT_TRUE(node().deliver(t0, n(1), Shuffle{n(9), 1, {n(9), n(10)}}).is_ok());
  EXPECT_EQ(only_send(drain(node())), (Send{n(9), ShuffleReply{{n(5)}}}));
}

TEST_F(ShuffleTest, OurOwnWalkComingBackIsDropped) {
  test::admit(node(), {n(1), n(2)});
  ASSERT_TRUE(node().deliver(t0, n(1), Shuffle{n(0), 1, {n(0), n(7)}}).is_ok());
  EXPECT_TRUE(drain(node()).empty());
  EXPECT_TRUE(node().passive_view().empty());
}

// Full passive view at the acceptor: the nodes it put in its reply go first.
TEST_F(ShuffleTest, AcceptorEvictsWhatItSentFirst) {
  use_config(2, 4);
  test::admit(node(), {n(1), n(2)});
  test::give_passive(node(), n(1), {n(5), n(6), n(7), n(8)});
  ASSERT_TRUE(node().deliver(t0, n(1), Shuffle{n(9), 1, {n(9), n(10)}}).is_ok());
  const Send s = only_send(drain(node()));
  const Ids reply = std::get<ShuffleReply>(s.msg).nodes;
  ASSERT_EQ(reply.size(), 2u);
  Ids expected;
  for (NodeId p : Ids{n(5), n(6), n(7), n(8)}) {
    if (!test::contains(reply, p))
      expected.push_back(p);
  }
  expected.push_back(n(9));
  expected.push_back(n(10));
  EXPECT_EQ(ids(node().passive_view()), expected);
}

// Full passive view at the origin: the reply replaces the sample it sent.
TEST_F(ShuffleTest, OriginEvictsTheSampleItSentFirst) {
  use_config(2, 6);
  test::admit(node(), {n(1), n(2)});
  test::give_passive(node(), n(1), {n(5), n(6), n(7), n(8), n(9), n(10)});
  node().handle_timers(node().next_deadline());
  const Send s = only_send(drain(node()));
  const Ids sent = std::get<Shuffle>(s.msg).nodes;
  ASSERT_EQ(sent.size(), 1u + 2 + 4);
  const Ids passive_sent(sent.begin() + 3, sent.end());  // in sample order
  ASSERT_TRUE(node().deliver(t0, s.to, ShuffleReply{{n(11), n(12), n(13)}}).is_ok());
  EXPECT_TRUE(drain(node()).empty());
  Ids expected;
  for (NodeId p : Ids{n(5), n(6), n(7), n(8), n(9), n(10)}) {
    if (!test::contains(Ids(passive_sent.begin(), passive_sent.begin() + 3), p))
      expected.push_back(p);
  }
  for (NodeId p : Ids{n(11), n(12), n(13)})
    expected.push_back(p);
  EXPECT_EQ(ids(node().passive_view()), expected);
}

// Without a sample to prefer, a full passive view loses random members.
TEST_F(ShuffleTest, FullPassiveWithoutPreferenceEvictsRandomly) {
  use_config(2, 3);
  test::admit(node(), {n(1), n(2)});
  test::give_passive(node(), n(1), {n(5), n(6), n(7)});
  ASSERT_TRUE(node().deliver(t0, n(1), ShuffleReply{{n(11)}}).is_ok());
  const Ids after = ids(node().passive_view());
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after.back(), n(11));
  size_t kept = 0;
  for (NodeId p : Ids{n(5), n(6), n(7)})
    kept += test::contains(after, p) ? 1 : 0;
  EXPECT_EQ(kept, 2u);
}

TEST_F(ShuffleTest, WalkStepFromANonMemberIsAnsweredWithDisconnect) {
  use_config(3, 6);
  test::admit(node(), {n(1), n(2), n(3)});
  ASSERT_TRUE(node().deliver(t0, n(7), Shuffle{n(9), 1, {n(9)}}).is_ok());
  EXPECT_EQ(drain(node()), (Effects{Send{n(7), Disconnect{false}}, Send{n(9), ShuffleReply{{}}}}));
  EXPECT_EQ(node().stats().stray_disconnects, 1u);
}

}  // namespace
}  // namespace barrel
