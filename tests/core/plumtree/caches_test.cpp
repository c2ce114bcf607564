// caches_test — the bounded containers of Plumtree (core/src/plumtree/):
// MessageCache and PayloadCache forget the oldest when full and expire after
// the TTL with bounded work; Missing ignores new ids when full, keeps
// announcers in order once each, and fires timers in (deadline, arrival)
// order; LazyQueue batches per peer, reports a full batch, and drops a peer.
// Method: direct calls with small capacities where the class takes one, the
// real limits otherwise; exact contents checked after each step.
#include <gtest/gtest.h>

#include <vector>

#include "barrel/limits.h"
#include "plumtree/lazy_queue.h"
#include "plumtree/message_cache.h"
#include "plumtree/missing.h"
#include "plumtree/payload_cache.h"

namespace barrel::plumtree {
namespace {

MessageId mid(uint64_t n) {
  return MessageId{n, ~n};
}
Instant at_ms(int64_t ms) {
  return Instant::zero() + Duration::millis(ms);
}

TEST(MessageCache, ForgetsTheOldestWhenFullAndExpiresInOrder) {
  MessageCache c(3);
  for (uint64_t i = 0; i < 4; ++i)
    c.insert(mid(i), at_ms(static_cast<int64_t>(i)));
  EXPECT_EQ(c.size(), 3u);
  EXPECT_FALSE(c.contains(mid(0)));
  EXPECT_TRUE(c.contains(mid(1)) && c.contains(mid(3)));
  EXPECT_EQ(c.oldest(), at_ms(1));
  const Duration ttl = Duration::millis(10);
  EXPECT_EQ(c.expire(at_ms(10), ttl, 100), 0u);
  EXPECT_EQ(c.expire(at_ms(13), ttl, 1), 1u);  // bounded work: 1 of 3 due
  EXPECT_FALSE(c.contains(mid(1)));
  EXPECT_EQ(c.expire(at_ms(13), ttl, 100), 2u);
  EXPECT_EQ(c.size(), 0u);
  EXPECT_EQ(c.oldest(), Instant::never());
}

TEST(MessageCache, TheRealBoundHolds) {
  MessageCache c(limits::kMessageCacheMax);
  for (uint64_t i = 0; i < limits::kMessageCacheMax + 10; ++i)
    c.insert(mid(i), at_ms(0));
  EXPECT_EQ(c.size(), limits::kMessageCacheMax);
  EXPECT_FALSE(c.contains(mid(9)));
  EXPECT_TRUE(c.contains(mid(10)));
}

TEST(PayloadCache, KeepsPayloadsUntilFullOrExpired) {
  PayloadCache c(2);
  const Payload p(std::vector<uint8_t>{1, 2});
  c.insert(mid(1), {NodeId(4), 3, p, BroadcastKind::kUser, NodeId(7)}, at_ms(0));
  c.insert(mid(2), {NodeId(5), 0, p, BroadcastKind::kUser, NodeId(7)}, at_ms(1));
  ASSERT_NE(c.find(mid(1)), nullptr);
  EXPECT_EQ(c.find(mid(1))->hops, 3);
  EXPECT_EQ(c.find(mid(1))->payload, p);
  c.insert(mid(3), {NodeId(6), 1, p, BroadcastKind::kUser, NodeId(7)}, at_ms(2));
  EXPECT_EQ(c.find(mid(1)), nullptr);
  EXPECT_EQ(c.size(), 2u);
  EXPECT_EQ(c.expire(at_ms(1) + Duration::seconds(1), Duration::seconds(1), 10), 1u);
  EXPECT_EQ(c.find(mid(2)), nullptr);
  EXPECT_NE(c.find(mid(3)), nullptr);
}

TEST(Missing, AnnouncersInOrderOnceEachAndNewIdsIgnoredWhenFull) {
  Missing m(2);
  EXPECT_TRUE(m.announce(mid(1), NodeId(7), 4, at_ms(100)));
  EXPECT_TRUE(m.announce(mid(1), NodeId(3), 1, at_ms(999)));   // keeps the first timer
  EXPECT_FALSE(m.announce(mid(1), NodeId(7), 0, at_ms(999)));  // same peer again
  EXPECT_TRUE(m.announce(mid(2), NodeId(3), 0, at_ms(50)));
  EXPECT_FALSE(m.announce(mid(3), NodeId(3), 0, at_ms(10)));  // full
  EXPECT_EQ(m.size(), 2u);
  const std::vector<Missing::Announcer> a = m.announcers(mid(1));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].peer, NodeId(7));
  EXPECT_EQ(a[0].round, 4);
  EXPECT_EQ(a[1].peer, NodeId(3));
  EXPECT_EQ(m.next_deadline(), at_ms(50));
  MessageId due;
  EXPECT_FALSE(m.due(at_ms(49), &due));
  ASSERT_TRUE(m.due(at_ms(100), &due));
  EXPECT_EQ(due, mid(2));
  m.erase(mid(2));
  EXPECT_EQ(m.pop_announcer(mid(1)).peer, NodeId(7));
  m.rearm(mid(1), at_ms(600));
  EXPECT_EQ(m.next_deadline(), at_ms(600));
  EXPECT_TRUE(m.has_announcers(mid(1)));
  m.erase(mid(1));
  EXPECT_EQ(m.next_deadline(), Instant::never());
}

TEST(Missing, EqualDeadlinesFireInArrivalOrder) {
  Missing m(limits::kMissingMax);
  const std::vector<uint64_t> order = {9, 2, 7, 1};  // ids not sorted
  for (uint64_t n : order)
    ASSERT_TRUE(m.announce(mid(n), NodeId(1), 0, at_ms(5)));
  for (uint64_t n : order) {
    MessageId due;
    ASSERT_TRUE(m.due(at_ms(5), &due));
    EXPECT_EQ(due, mid(n));
    m.erase(due);
  }
}

TEST(LazyQueue, BatchesPerPeerAndReportsAFullBatch) {
  LazyQueue q;
  const IHaveEntry e{mid(1), NodeId(9), 2};
  EXPECT_FALSE(q.push(NodeId(5), e, at_ms(100)));
  EXPECT_FALSE(q.push(NodeId(2), e, at_ms(200)));  // the timer stays at the first
  EXPECT_EQ(q.deadline(), at_ms(100));
  EXPECT_EQ(q.size(), 2u);
  q.drop(NodeId(5));
  EXPECT_EQ(q.size(), 1u);
  for (size_t i = 1; i + 1 < limits::kIHaveEntriesMax; ++i)
    EXPECT_FALSE(q.push(NodeId(2), e, at_ms(300)));
  EXPECT_TRUE(q.push(NodeId(2), e, at_ms(300)));
  EXPECT_EQ(q.take(NodeId(2)).size(), limits::kIHaveEntriesMax);
  EXPECT_EQ(q.size(), 0u);
  EXPECT_EQ(q.deadline(), Instant::never());
  q.push(NodeId(3), e, at_ms(400));
  q.push(NodeId(1), e, at_ms(400));
  q.push(NodeId(3), e, at_ms(400));
  std::vector<LazyQueue::Batch> all = q.take_all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].peer, NodeId(3));  // order of first entry, not of id value
  EXPECT_EQ(all[0].entries.size(), 2u);
  EXPECT_EQ(all[1].peer, NodeId(1));
  EXPECT_EQ(q.deadline(), Instant::never());
}

}  // namespace
}  // namespace barrel::plumtree
