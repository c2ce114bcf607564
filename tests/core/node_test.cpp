// node_test — barrel::Node's own duties, around the protocols: create()
// validates its arguments, join() validates the contact, deliver() rejects
// messages that make no sense (kProtocolViolation, counted, state and effects
// unchanged), and the two-node getting-started exchange works hop by hop.
// Method: drive single Nodes by hand and compare the exact effects.
#include "barrel/node.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "barrel/limits.h"
#include "core/hyparview/test_util.h"

namespace barrel {
namespace {

using test::drain;
using test::Effects;
using test::ids;
using test::Ids;
using test::Names;

constexpr uint8_t kTtlTooLong = limits::kWalkLengthMax + 1;

TEST(Node, CreateValidatesConfigAndSelf) {
  Names names(2);
  NodeConfig bad;
  bad.hyparview.active_size = 0;
  Result<std::unique_ptr<Node>> r1 = Node::create(bad, names.table(), names.id(0), 1, {});
  ASSERT_FALSE(r1.is_ok());
  EXPECT_EQ(r1.status().code(), Code::kInvalidArgument);
  Result<std::unique_ptr<Node>> r2 = Node::create({}, names.table(), NodeId(7), 1, {});
  ASSERT_FALSE(r2.is_ok());
  EXPECT_EQ(r2.status().code(), Code::kInvalidArgument);
  Result<std::unique_ptr<Node>> r3 = Node::create({}, names.table(), NodeId::invalid(), 1, {});
  EXPECT_FALSE(r3.is_ok());
  Result<std::unique_ptr<Node>> ok = Node::create({}, names.table(), names.id(1), 1, {});
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(ok.value()->self(), names.id(1));
  EXPECT_EQ(ok.value()->config().hyparview.active_size, 5u);
  EXPECT_TRUE(ok.value()->active_view().empty());
  EXPECT_FALSE(ok.value()->has_left());
}

TEST(Node, JoinValidatesTheContact) {
  Names names(2);
  auto node = test::make_node({}, names, 0);
  for (NodeId bad : {NodeId::invalid(), names.id(0), NodeId(2), NodeId(1000)}) {
    Status s = node->join(Instant::zero(), bad);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << bad.value();
  }
  EXPECT_TRUE(drain(*node).empty());
  EXPECT_EQ(node->stats().joins_sent, 0u);
}

TEST(Node, JoinSendsJoinOnly) {
  Names names(2);
  auto node = test::make_node({}, names, 0);
  ASSERT_TRUE(node->join(Instant::zero(), names.id(1)).is_ok());
  EXPECT_EQ(drain(*node), (Effects{Send{names.id(1), Join{}}}));
  EXPECT_EQ(node->stats().joins_sent, 1u);
  EXPECT_EQ(node->stats().messages_sent, 1u);
  // The contact retry is armed (the shuffle timer may come first).
  EXPECT_LE(node->next_deadline(), Instant::zero() + node->config().hyparview.contact_retry);
}

TEST(Node, JoinRemembersAtMostContactsMax) {
  Names names(limits::kContactsMax + 2);
  auto node = test::make_node({}, names, 0);
  for (size_t i = 1; i <= limits::kContactsMax; ++i)
    ASSERT_TRUE(node->join(Instant::zero(), names.id(i)).is_ok());
  drain(*node);
  Status s = node->join(Instant::zero(), names.id(limits::kContactsMax + 1));
  EXPECT_EQ(s.code(), Code::kLimitExceeded);
  EXPECT_TRUE(drain(*node).empty());
  // A known contact is not a new one.
  EXPECT_TRUE(node->join(Instant::zero(), names.id(3)).is_ok());
  EXPECT_EQ(drain(*node), (Effects{Send{names.id(3), Join{}}}));
}

// A node with one active member (1) and one passive member (2), effects drained.
std::unique_ptr<Node> node_with_state(Names& names) {
  auto node = test::make_node(test::small_config(1, 4), names, 0);
  EXPECT_TRUE(node->deliver(Instant::zero(), names.id(1), JoinAccept{}).is_ok());
  EXPECT_TRUE(node->deliver(Instant::zero(), names.id(1), ShuffleReply{{names.id(2)}}).is_ok());
  drain(*node);
  EXPECT_EQ(ids(node->active_view()), Ids{names.id(1)});
  EXPECT_EQ(ids(node->passive_view()), Ids{names.id(2)});
  return node;
}

TEST(Node, DeliverRejectsNonsenseAndChangesNothing) {
  Names names(4);
  auto node = node_with_state(names);
  const NodeId a = names.id(1);
  const NodeId unknown(4);  // not (yet) a handle of the table
  const Instant deadline = node->next_deadline();
  const NodeStats before = node->stats();
  struct Case {
    NodeId from;
    Message msg;
  };
  const std::vector<NodeId> too_many(limits::kShuffleNodesMax + 1, names.id(2));
  const std::vector<Case> cases = {
      {names.id(0), Join{}},  // from ourselves
      {NodeId::invalid(), Join{}},
      {unknown, Neighbor{true}},
      {a, ForwardJoin{unknown, 3}},
      {a, ForwardJoin{NodeId::invalid(), 3}},
      {a, ForwardJoin{names.id(3), kTtlTooLong}},
      {a, Shuffle{unknown, 3, {names.id(3)}}},
      {a, Shuffle{names.id(3), kTtlTooLong, {names.id(3)}}},
      {a, Shuffle{names.id(3), 3, {names.id(3), unknown}}},
      {a, Shuffle{names.id(3), 3, too_many}},
      {a, ShuffleReply{{NodeId::invalid()}}},
      {a, ShuffleReply{too_many}},
  };
  for (const Case& c : cases) {
    Status s = node->deliver(Instant::from_us(5), c.from, c.msg);
    EXPECT_EQ(s.code(), Code::kProtocolViolation) << testing::PrintToString(c.msg);
  }
  EXPECT_TRUE(drain(*node).empty());
  EXPECT_EQ(ids(node->active_view()), Ids{a});
  EXPECT_EQ(ids(node->passive_view()), Ids{names.id(2)});
  EXPECT_EQ(node->next_deadline(), deadline);
  EXPECT_EQ(node->stats().messages_rejected, before.messages_rejected + cases.size());
  EXPECT_EQ(node->stats().messages_received, before.messages_received + cases.size());
  EXPECT_EQ(node->stats().messages_sent, before.messages_sent);
}

TEST(Node, LinkReportsAboutUnknownPeersAreIgnored) {
  Names names(4);
  auto node = node_with_state(names);
  node->on_link_down(Instant::zero(), NodeId(99));
  node->on_link_failed(Instant::zero(), NodeId::invalid());
  node->on_link_down(Instant::zero(), names.id(0));
  EXPECT_TRUE(drain(*node).empty());
  EXPECT_EQ(ids(node->active_view()), Ids{names.id(1)});
}

// The seed's getting-started, one hop at a time: n1 joins n0.
TEST(Node, TwoNodesGettingStartedHopByHop) {
  Names names(2);
  const NodeId n0 = names.id(0), n1 = names.id(1);
  auto a = test::make_node({}, names, 0, 11);
  auto b = test::make_node({}, names, 1, 12);
  ASSERT_TRUE(b->join(Instant::zero(), n0).is_ok());
  EXPECT_EQ(drain(*b), (Effects{Send{n0, Join{}}}));
  ASSERT_TRUE(a->deliver(Instant::zero(), n1, Join{}).is_ok());
  EXPECT_EQ(drain(*a), (Effects{OpenLink{n1}, test::up(n1), Send{n1, JoinAccept{}}}));
  ASSERT_TRUE(b->deliver(Instant::zero(), n0, JoinAccept{}).is_ok());
  EXPECT_EQ(drain(*b), (Effects{OpenLink{n0}, test::up(n0), Send{n0, NeighborReply{true}}}));
  ASSERT_TRUE(a->deliver(Instant::zero(), n1, NeighborReply{true}).is_ok());
  EXPECT_TRUE(drain(*a).empty());  // the confirmation ends here: n0 holds n1
  EXPECT_EQ(ids(a->active_view()), Ids{n1});
  EXPECT_EQ(ids(b->active_view()), Ids{n0});
  EXPECT_TRUE(a->passive_view().empty());
  EXPECT_TRUE(b->passive_view().empty());
}

TEST(Node, DrainAppendsInOrderAndEmptiesTheQueue) {
  Names names(3);
  auto node = test::make_node({}, names, 0);
  ASSERT_TRUE(node->join(Instant::zero(), names.id(1)).is_ok());
  ASSERT_TRUE(node->join(Instant::zero(), names.id(2)).is_ok());
  Effects out{CloseLink{names.id(2)}};
  node->drain_effects(&out);
  EXPECT_EQ(
      out, (Effects{CloseLink{names.id(2)}, Send{names.id(1), Join{}}, Send{names.id(2), Join{}}}));
  EXPECT_TRUE(drain(*node).empty());
}

}  // namespace
}  // namespace barrel
