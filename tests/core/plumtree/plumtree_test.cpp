// plumtree_test — every Plumtree handler, through barrel::Node, with the
// exact effects it must produce.
//
// Method: node 0 with active peers 1, 2, 3 (admitted by JOIN_ACCEPT, so they
// start eager, in that order); messages are fed with deliver(), time with
// handle_timers(); each step compares the Plumtree effects (plumtree_util.h)
// with the expected list, and reads eager/lazy membership from who gets
// GOSSIP (eager) or IHAVE (lazy) on the next broadcast.
#include <gtest/gtest.h>

#include <span>
#include <vector>

#include "barrel/limits.h"
#include "core/plumtree/plumtree_util.h"

namespace barrel {
namespace {

using test::delivered;
using test::Effects;
using test::gossip;
using test::graft;
using test::ihave;
using test::plumtree_drain;
using test::prune;

const Instant kT0 = Instant::zero();

class PlumtreeTest : public ::testing::Test {
 protected:
  PlumtreeTest() : names_(8) {
    // HyParView's first shuffle is drawn in [0, period): an hour keeps it out
    // of the first seconds (seed 7 draws it at 28 s), so next_deadline() is
    // Plumtree's in the timer tests.
    config_.hyparview.shuffle_period = Duration::seconds(3600);
    config_.registry.sync_period = Duration::seconds(3600);  // its timer would come first
    node_ = test::make_node(config_, names_, 0, /*seed=*/7);
    test::admit(*node_, {id(1), id(2), id(3)});
  }

  NodeId id(size_t i) const { return names_.id(i); }
  Node& node() { return *node_; }
  Duration flush() const { return config_.plumtree.lazy_flush_period; }

  MessageId broadcast(Instant now, const Payload& p) {
    Result<MessageId> r = node().broadcast(now, p.bytes());
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? *r : MessageId{};
  }
  void deliver(Instant now, size_t from, const Message& m) {
    const Status s = node().deliver(now, id(from), m);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
  }

  NodeConfig config_;
  test::Names names_;
  std::unique_ptr<Node> node_;
};

const MessageId kX{0x1111, 0x2222};
const MessageId kY{0x3333, 0x4444};

TEST_F(PlumtreeTest, BroadcastDeliversHereAndPushesToEagerPeers) {
  const Payload p = test::bytes({1, 2, 3});
  const MessageId m = broadcast(kT0, p);
  EXPECT_EQ(plumtree_drain(node()),
            (Effects{delivered(m, id(0), 0, p), gossip(id(1), m, id(0), 0, p),
                     gossip(id(2), m, id(0), 0, p), gossip(id(3), m, id(0), 0, p)}));
  EXPECT_EQ(node().stats().broadcasts_delivered, 1u);
  // No lazy peer: nothing queued.
  node().handle_timers(kT0 + flush());
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  // Two broadcasts get two different ids.
  EXPECT_NE(broadcast(kT0, p), m);
}

TEST_F(PlumtreeTest, NewGossipIsDeliveredAndForwardedToTheOthers) {
  const Payload p = test::bytes({9});
  deliver(kT0, 1, Gossip{kX, id(5), 2, p});
  EXPECT_EQ(plumtree_drain(node()),
            (Effects{delivered(kX, id(5), 3, p), gossip(id(2), kX, id(5), 3, p),
                     gossip(id(3), kX, id(5), 3, p)}));
  EXPECT_EQ(node().stats().gossip_received, 1u);
  EXPECT_EQ(node().stats().gossip_duplicates, 0u);
}

TEST_F(PlumtreeTest, DuplicateGossipPrunesTheSenderWhichBecomesLazy) {
  const Payload p = test::bytes({9});
  deliver(kT0, 1, Gossip{kX, id(5), 0, p});
  plumtree_drain(node());
  deliver(kT0, 2, Gossip{kX, id(5), 4, p});
  EXPECT_EQ(plumtree_drain(node()), Effects{prune(id(2))});
  EXPECT_EQ(node().stats().gossip_duplicates, 1u);
  EXPECT_EQ(node().stats().prunes_sent, 1u);
  // 2 is lazy now: the next broadcast reaches it by IHAVE after the flush.
  const Payload q = test::bytes({7});
  const MessageId m = broadcast(kT0, q);
  EXPECT_EQ(plumtree_drain(node()),
            (Effects{delivered(m, id(0), 0, q), gossip(id(1), m, id(0), 0, q),
                     gossip(id(3), m, id(0), 0, q)}));
  EXPECT_EQ(node().next_deadline(), kT0 + flush());
  node().handle_timers(kT0 + flush());
  EXPECT_EQ(plumtree_drain(node()), Effects{ihave(id(2), {IHaveEntry{m, id(0), 0}})});
  EXPECT_EQ(node().stats().ihaves_sent, 1u);
}

// A second copy from the peer that sent the first (a duplicating transport,
// or a resend) is no evidence of a redundant path: no PRUNE, the link stays
// eager, and the next message still goes to it by GOSSIP.
TEST_F(PlumtreeTest, DuplicateFromTheFirstSenderDoesNotPruneIt) {
  const Payload p = test::bytes({9});
  deliver(kT0, 1, Gossip{kX, id(5), 0, p});
  plumtree_drain(node());
  deliver(kT0, 1, Gossip{kX, id(5), 0, p});
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  EXPECT_EQ(node().stats().gossip_duplicates, 1u);
  EXPECT_EQ(node().stats().prunes_sent, 0u);
  const Payload q = test::bytes({7});
  const MessageId m = broadcast(kT0, q);
  EXPECT_EQ(plumtree_drain(node()),
            (Effects{delivered(m, id(0), 0, q), gossip(id(1), m, id(0), 0, q),
                     gossip(id(2), m, id(0), 0, q), gossip(id(3), m, id(0), 0, q)}));
}

// A leaving node's last broadcast (the unregistration of its services) goes
// as GOSSIP to every active peer, lazy ones included: an IHAVE would wait for
// a flush that never comes, and a GRAFT back would find a node that takes no
// part any more (registry-churn found entries of left nodes that stayed).
TEST_F(PlumtreeTest, LeavingSendsItsUnregistrationEagerlyEvenToLazyPeers) {
  const Payload p = test::bytes({9});
  deliver(kT0, 1, Gossip{kX, id(5), 0, p});
  deliver(kT0, 2, Gossip{kX, id(5), 4, p});  // 2 is pruned: lazy
  ASSERT_TRUE(node().register_service(kT0, "svc", EndpointId{1}, Metadata{}).is_ok());
  const Instant later = kT0 + Duration::seconds(1);  // the registration went out
  node().handle_timers(later);
  test::drain_all(node());
  node().leave(later);
  std::vector<uint32_t> gossiped_to;
  for (const Effect& e : test::drain_all(node())) {
    const auto* send = std::get_if<Send>(&e);
    if (send != nullptr && std::holds_alternative<Gossip>(send->msg)) {
      EXPECT_EQ(std::get<Gossip>(send->msg).kind, BroadcastKind::kRegistry);
      gossiped_to.push_back(send->to.value());
    }
  }
  EXPECT_EQ(gossiped_to, (std::vector<uint32_t>{id(1).value(), id(3).value(), id(2).value()}));
}

TEST_F(PlumtreeTest, PruneMakesTheSenderLazy) {
  deliver(kT0, 3, Prune{});
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  const Payload p = test::bytes({});
  const MessageId m = broadcast(kT0, p);
  EXPECT_EQ(plumtree_drain(node()),
            (Effects{delivered(m, id(0), 0, p), gossip(id(1), m, id(0), 0, p),
                     gossip(id(2), m, id(0), 0, p)}));
  node().handle_timers(kT0 + flush());
  EXPECT_EQ(plumtree_drain(node()), Effects{ihave(id(3), {IHaveEntry{m, id(0), 0}})});
}

// The paper's two timers: ihave_timeout after the first announcement, GRAFT
// the first announcer; graft_timeout later, GRAFT the next one.
TEST_F(PlumtreeTest, MissingIdGraftsTheFirstAnnouncerThenTheNext) {
  deliver(kT0, 2, Prune{});
  deliver(kT0, 3, Prune{});
  deliver(kT0, 2, IHave{{IHaveEntry{kX, id(5), 4}}});
  deliver(kT0 + Duration::millis(10), 3, IHave{{IHaveEntry{kX, id(5), 1}}});
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  const Instant first = kT0 + config_.plumtree.ihave_timeout;
  EXPECT_EQ(node().next_deadline(), first);
  node().handle_timers(first - Duration::micros(1));
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  node().handle_timers(first);
  EXPECT_EQ(plumtree_drain(node()), Effects{graft(id(2), kX, 4)});
  const Instant second = first + config_.plumtree.graft_timeout;
  EXPECT_EQ(node().next_deadline(), second);
  node().handle_timers(second);
  EXPECT_EQ(plumtree_drain(node()), Effects{graft(id(3), kX, 1)});
  EXPECT_EQ(node().stats().grafts_sent, 2u);
  // No announcer left: no more GRAFT.
  node().handle_timers(second + Duration::seconds(10));
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  // Both grafted peers are eager again.
  const Payload p = test::bytes({1});
  const MessageId m = broadcast(second, p);
  EXPECT_EQ(plumtree_drain(node()),
            (Effects{delivered(m, id(0), 0, p), gossip(id(1), m, id(0), 0, p),
                     gossip(id(2), m, id(0), 0, p), gossip(id(3), m, id(0), 0, p)}));
}

TEST_F(PlumtreeTest, GossipCancelsTheMissingTimerAndKnownIdsAreNotTracked) {
  deliver(kT0, 2, Prune{});
  deliver(kT0, 2, IHave{{IHaveEntry{kX, id(5), 0}}});
  EXPECT_EQ(node().next_deadline(), kT0 + config_.plumtree.ihave_timeout);
  const Payload p = test::bytes({5});
  deliver(kT0 + Duration::millis(5), 1, Gossip{kX, id(5), 0, p});
  plumtree_drain(node());
  // The lazy 2 gets its IHAVE at the flush; no GRAFT ever.
  node().handle_timers(kT0 + Duration::seconds(5));
  EXPECT_EQ(plumtree_drain(node()), Effects{ihave(id(2), {IHaveEntry{kX, id(5), 1}})});
  EXPECT_EQ(node().stats().grafts_sent, 0u);
  // An announcement of an id already received starts nothing.
  deliver(kT0 + Duration::seconds(5), 2, IHave{{IHaveEntry{kX, id(5), 0}}});
  node().handle_timers(kT0 + Duration::seconds(10));
  EXPECT_EQ(plumtree_drain(node()), Effects{});
}

TEST_F(PlumtreeTest, GraftMakesTheSenderEagerAndResendsThePayload) {
  deliver(kT0, 1, Prune{});
  const Payload p = test::bytes({4, 2});
  const MessageId m = broadcast(kT0, p);
  plumtree_drain(node());
  deliver(kT0, 1, Graft{m, 0});
  EXPECT_EQ(plumtree_drain(node()), Effects{gossip(id(1), m, id(0), 0, p)});
  // Forwarded payloads are resent with this node's round.
  deliver(kT0, 2, Gossip{kX, id(5), 6, p});
  plumtree_drain(node());
  deliver(kT0, 3, Graft{kX, 0});
  EXPECT_EQ(plumtree_drain(node()), Effects{gossip(id(3), kX, id(5), 7, p)});
  // An unknown id: only the link changes.
  deliver(kT0, 2, Prune{});
  deliver(kT0, 2, Graft{kY, 0});
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  // Eager peers in the order they (re-)entered the set: 1 after its GRAFT.
  const MessageId n = broadcast(kT0, p);
  EXPECT_EQ(plumtree_drain(node()),
            (Effects{delivered(n, id(0), 0, p), gossip(id(3), n, id(0), 0, p),
                     gossip(id(1), n, id(0), 0, p), gossip(id(2), n, id(0), 0, p)}));
}

TEST_F(PlumtreeTest, PeersLeavingTheActiveViewLeaveBothSets) {
  deliver(kT0, 3, Prune{});
  const Payload p = test::bytes({1});
  broadcast(kT0, p);  // queues an IHAVE for 3
  plumtree_drain(node());
  node().on_link_down(kT0, id(3));
  node().on_link_down(kT0, id(1));
  test::drain(node());
  // 3's queued IHAVE is gone with it; only 2 remains, eager.
  node().handle_timers(kT0 + flush());
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  const MessageId m = broadcast(kT0 + flush(), p);
  EXPECT_EQ(plumtree_drain(node()),
            (Effects{delivered(m, id(0), 0, p), gossip(id(2), m, id(0), 0, p)}));
  // A new neighbour starts eager.
  test::admit(node(), {id(4)}, kT0 + flush());
  const MessageId n = broadcast(kT0 + flush(), p);
  EXPECT_EQ(plumtree_drain(node()),
            (Effects{delivered(n, id(0), 0, p), gossip(id(2), n, id(0), 0, p),
                     gossip(id(4), n, id(0), 0, p)}));
}

TEST_F(PlumtreeTest, IHavesAreBatchedPerPeerAndFlushedEarlyWhenFull) {
  deliver(kT0, 2, Prune{});
  deliver(kT0, 1, Prune{});
  const Payload p = test::bytes({1});
  std::vector<IHaveEntry> expected;
  for (int i = 0; i < 3; ++i)
    expected.push_back(IHaveEntry{broadcast(kT0 + Duration::millis(i), p), id(0), 0});
  plumtree_drain(node());
  EXPECT_EQ(node().next_deadline(), kT0 + flush());  // from the first entry
  node().handle_timers(kT0 + flush());
  // Peers in the order they became lazy.
  EXPECT_EQ(plumtree_drain(node()), (Effects{ihave(id(2), expected), ihave(id(1), expected)}));
  EXPECT_EQ(node().stats().ihaves_sent, 2u);
  // A full batch goes at once, in the input that filled it.
  expected.clear();
  const Instant t1 = kT0 + flush();
  for (size_t i = 0; i + 1 < limits::kIHaveEntriesMax; ++i)
    expected.push_back(IHaveEntry{broadcast(t1, p), id(0), 0});
  plumtree_drain(node());
  const MessageId last = broadcast(t1, p);
  expected.push_back(IHaveEntry{last, id(0), 0});
  EXPECT_EQ(plumtree_drain(node()),
            (Effects{delivered(last, id(0), 0, p), gossip(id(3), last, id(0), 0, p),
                     ihave(id(2), expected), ihave(id(1), expected)}));
  node().handle_timers(t1 + flush());
  EXPECT_EQ(plumtree_drain(node()), Effects{});
}

TEST_F(PlumtreeTest, ReceivedIdsExpireAfterTheTtl) {
  const Payload p = test::bytes({1});
  deliver(kT0, 1, Gossip{kX, id(5), 0, p});
  plumtree_drain(node());
  const Instant ttl_end = kT0 + config_.plumtree.message_ttl;
  EXPECT_LE(node().next_deadline(), ttl_end);
  node().handle_timers(ttl_end - Duration::micros(1));
  deliver(ttl_end - Duration::micros(1), 2, Gossip{kX, id(5), 0, p});
  EXPECT_EQ(plumtree_drain(node()), Effects{prune(id(2))});  // still a duplicate
  node().handle_timers(ttl_end);
  EXPECT_GT(node().next_deadline(), ttl_end);
  // Forgotten: a GRAFT finds no payload, the GOSSIP is new again.
  deliver(ttl_end, 3, Graft{kX, 0});
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  deliver(ttl_end, 1, Gossip{kX, id(5), 0, p});
  EXPECT_EQ(plumtree_drain(node()),
            (Effects{delivered(kX, id(5), 1, p), gossip(id(3), kX, id(5), 1, p)}));
}

TEST_F(PlumtreeTest, PayloadAboveTheLimitIsRefused) {
  const std::vector<uint8_t> big(limits::kBroadcastPayloadBytesMax + 1, 7);
  Result<MessageId> r = node().broadcast(kT0, big);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  const std::span<const uint8_t> max(big.data(), limits::kBroadcastPayloadBytesMax);
  EXPECT_TRUE(node().broadcast(kT0, max).is_ok());
}

TEST_F(PlumtreeTest, BroadcastAfterLeaveFailsAndMessagesAreIgnored) {
  deliver(kT0, 3, Prune{});
  deliver(kT0, 3, IHave{{IHaveEntry{kX, id(5), 0}}});
  node().leave(kT0);
  test::drain(node());
  Result<MessageId> r = node().broadcast(kT0, {});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  deliver(kT0, 1, Gossip{kY, id(5), 0, test::bytes({1})});
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  EXPECT_EQ(node().next_deadline(), Instant::never());  // the GRAFT timer went too
}

TEST_F(PlumtreeTest, MalformedMessagesAreRejectedWithoutEffects) {
  std::vector<IHaveEntry> too_many(limits::kIHaveEntriesMax + 1, IHaveEntry{kX, id(5), 0});
  const std::vector<Message> bad = {
      IHave{too_many},
      IHave{{IHaveEntry{kX, id(5), 0}, IHaveEntry{kY, NodeId::invalid(), 0}}},
      IHave{{IHaveEntry{kY, NodeId(77), 0}}},
      Gossip{kX, NodeId::invalid(), 0, test::bytes({1})},
      Gossip{kX, id(5), 0, Payload(std::vector<uint8_t>(limits::kBroadcastPayloadBytesMax + 1, 0))},
  };
  for (const Message& m : bad) {
    const Status s = node().deliver(kT0, id(1), m);
    EXPECT_EQ(s.code(), Code::kProtocolViolation) << s.to_string();
  }
  EXPECT_EQ(node().stats().messages_rejected, bad.size());
  EXPECT_EQ(node().stats().gossip_received, 0u);
  EXPECT_EQ(plumtree_drain(node()), Effects{});
  node().handle_timers(kT0 + Duration::seconds(5));
  EXPECT_EQ(plumtree_drain(node()), Effects{});  // no GRAFT timer was started
  // From ourselves: rejected too.
  EXPECT_EQ(node().deliver(kT0, id(0), Prune{}).code(), Code::kProtocolViolation);
}

}  // namespace
}  // namespace barrel
