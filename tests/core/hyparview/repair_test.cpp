// repair_test — the NEIGHBOR scheduler: one request at a time with its
// deadline, a round walks the passive view without repeating itself and
// makes at most (passive size) attempts, then cools down; a failed low round
// does not hold back a high request; an unreachable target does not count.
// Method: direct calls on Repair with fixed seeds.
#include "hyparview/repair.h"

#include <gtest/gtest.h>

#include <set>

namespace barrel::hyparview {
namespace {

const Duration kTimeout = Duration::seconds(5);
const Duration kPeriod = Duration::seconds(1);
const Instant kT0 = Instant::from_us(100);

PassiveView make_passive(std::initializer_list<uint32_t> ids) {
  PassiveView p(8);
  for (uint32_t id : ids)
    p.insert(NodeId(id));
  return p;
}

TEST(Repair, OneRequestAtATimeWithItsDeadline) {
  Repair r;
  Rng rng(1);
  const PassiveView p = make_passive({5, 6});
  EXPECT_EQ(r.next_deadline(), Instant::never());
  EXPECT_TRUE(r.may_start(kT0, false));
  const NodeId t = r.start(kT0, p, false, kTimeout, rng);
  EXPECT_TRUE(p.contains(t));
  EXPECT_TRUE(r.pending());
  EXPECT_EQ(r.target(), t);
  EXPECT_FALSE(r.may_start(kT0, true));
  EXPECT_EQ(r.next_deadline(), kT0 + kTimeout);
  EXPECT_FALSE(r.timed_out(kT0 + kTimeout - Duration::micros(1)));
  EXPECT_TRUE(r.timed_out(kT0 + kTimeout));
  r.succeeded();
  EXPECT_FALSE(r.pending());
  EXPECT_EQ(r.attempts(), 0u);
  EXPECT_EQ(r.next_deadline(), Instant::never());
}

TEST(Repair, ARoundAsksEachCandidateOnceThenCoolsDown) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Repair r;
    Rng rng(seed);
    const PassiveView p = make_passive({5, 6, 7, 8});
    std::set<uint32_t> asked;
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(r.may_start(kT0, false));
      asked.insert(r.start(kT0, p, false, kTimeout, rng).value());
      const bool over = r.failed(kT0, p.size(), kPeriod, false);
      EXPECT_EQ(over, i == 3);
    }
    EXPECT_EQ(asked.size(), 4u);
    EXPECT_FALSE(r.may_start(kT0, false));
    EXPECT_EQ(r.next_deadline(), kT0 + kPeriod);
    EXPECT_TRUE(r.may_start(kT0 + kPeriod, false));
    r.expire_cooldown(kT0 + kPeriod);
    EXPECT_EQ(r.next_deadline(), Instant::never());
  }
}

TEST(Repair, LowCoolDownDoesNotHoldBackHighButHighCoolDownDoes) {
  Repair r;
  Rng rng(1);
  const PassiveView p = make_passive({5});
  r.start(kT0, p, false, kTimeout, rng);
  ASSERT_TRUE(r.failed(kT0, p.size(), kPeriod, false));
  EXPECT_FALSE(r.may_start(kT0, false));
  EXPECT_TRUE(r.may_start(kT0, true));
  r.start(kT0, p, true, kTimeout, rng);
  ASSERT_TRUE(r.failed(kT0, p.size(), kPeriod, false));
  EXPECT_FALSE(r.may_start(kT0, true));
  EXPECT_TRUE(r.may_start(kT0 + kPeriod, true));
}

TEST(Repair, UnreachableTargetsDoNotCountAndAnEmptyViewEndsTheRound) {
  Repair r;
  Rng rng(2);
  PassiveView p = make_passive({5, 6, 7});
  const NodeId first = r.start(kT0, p, false, kTimeout, rng);
  ASSERT_TRUE(p.remove(first));
  EXPECT_FALSE(r.failed(kT0, p.size(), kPeriod, true));
  EXPECT_EQ(r.attempts(), 0u);
  const NodeId second = r.start(kT0, p, false, kTimeout, rng);
  ASSERT_TRUE(p.remove(second));
  EXPECT_FALSE(r.failed(kT0, p.size(), kPeriod, true));
  const NodeId third = r.start(kT0, p, false, kTimeout, rng);
  ASSERT_TRUE(p.remove(third));
  EXPECT_FALSE(r.failed(kT0, p.size(), kPeriod, true));  // no candidates: no cool-down
  EXPECT_TRUE(r.may_start(kT0, false));
  EXPECT_EQ(std::set<uint32_t>({first.value(), second.value(), third.value()}).size(), 3u);
}

TEST(Repair, CancelForgetsEverything) {
  Repair r;
  Rng rng(3);
  const PassiveView p = make_passive({5});
  r.start(kT0, p, true, kTimeout, rng);
  r.cancel();
  EXPECT_FALSE(r.pending());
  EXPECT_EQ(r.next_deadline(), Instant::never());
  EXPECT_TRUE(r.may_start(kT0, false));
}

}  // namespace
}  // namespace barrel::hyparview
