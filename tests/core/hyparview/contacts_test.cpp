// contacts_test — the contact list: deduplicated, bounded by
// limits::kContactsMax (kLimitExceeded beyond, nothing changed), round robin
// starting after the contact last given; the retry timer arms once.
// Method: direct calls.
#include "hyparview/contacts.h"

#include <gtest/gtest.h>

#include "barrel/limits.h"

namespace barrel::hyparview {
namespace {

TEST(Contacts, RoundRobinStartsAfterTheLastOneGiven) {
  Contacts c;
  ASSERT_TRUE(c.add(NodeId(1)).is_ok());
  ASSERT_TRUE(c.add(NodeId(2)).is_ok());
  ASSERT_TRUE(c.add(NodeId(3)).is_ok());
  EXPECT_EQ(c.next(), NodeId(1));
  EXPECT_EQ(c.next(), NodeId(2));
  ASSERT_TRUE(c.add(NodeId(1)).is_ok());  // known: the round robin restarts after it
  EXPECT_EQ(c.size(), 3u);
  EXPECT_EQ(c.next(), NodeId(2));
  EXPECT_EQ(c.next(), NodeId(3));
  EXPECT_EQ(c.next(), NodeId(1));
}

TEST(Contacts, BoundedByContactsMax) {
  Contacts c;
  for (uint32_t i = 0; i < limits::kContactsMax; ++i)
    ASSERT_TRUE(c.add(NodeId(i)).is_ok());
  const Status s = c.add(NodeId(1000));
  EXPECT_EQ(s.code(), Code::kLimitExceeded);
  EXPECT_EQ(c.size(), limits::kContactsMax);
  EXPECT_TRUE(c.add(NodeId(0)).is_ok());
}

TEST(Contacts, ArmKeepsARunningTimerRearmRestartsIt) {
  Contacts c;
  const Duration period = Duration::seconds(5);
  EXPECT_EQ(c.retry_at(), Instant::never());
  c.arm(Instant::from_us(10), period);
  c.arm(Instant::from_us(20), period);
  EXPECT_EQ(c.retry_at(), Instant::from_us(10) + period);
  EXPECT_FALSE(c.due(Instant::from_us(10)));
  EXPECT_TRUE(c.due(Instant::from_us(10) + period));
  c.rearm(Instant::from_us(20), period);
  EXPECT_EQ(c.retry_at(), Instant::from_us(20) + period);
  c.disarm();
  EXPECT_FALSE(c.due(Instant::never()));
}

}  // namespace
}  // namespace barrel::hyparview
