// repair_test — the NEIGHBOR scheduler: requests up to a limit with their
// deadlines (one at a time, or several while the active view is empty), a round walks the passive
// view without repeating itself and makes at most (passive size) attempts, then cools down; a
// failed low round does not hold back a high request; an unreachable target does not count. Method:
// direct calls on Repair with fixed seeds.
#include "hyparview/repair.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

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
  EXPECT_TRUE(r.may_start(kT0, false, 1, p.size()));
  const NodeId t = r.start(kT0, p, false, kTimeout, rng);
  EXPECT_TRUE(p.contains(t));
  EXPECT_TRUE(r.pending());
  EXPECT_EQ(r.target(), t);
  EXPECT_FALSE(r.may_start(kT0, true, 1, p.size()));
  EXPECT_EQ(r.next_deadline(), kT0 + kTimeout);
  EXPECT_FALSE(r.timed_out(kT0 + kTimeout - Duration::micros(1)).valid());
  EXPECT_EQ(r.timed_out(kT0 + kTimeout), t);
  r.succeeded(t);
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
      ASSERT_TRUE(r.may_start(kT0, false, 1, p.size()));
      const NodeId t = r.start(kT0, p, false, kTimeout, rng);
      asked.insert(t.value());
      const bool over = r.failed(kT0, t, p.size(), kPeriod, false);
      EXPECT_EQ(over, i == 3);
    }
    EXPECT_EQ(asked.size(), 4u);
    EXPECT_FALSE(r.may_start(kT0, false, 1, p.size()));
    EXPECT_EQ(r.next_deadline(), kT0 + kPeriod);
    EXPECT_TRUE(r.may_start(kT0 + kPeriod, false, 1, p.size()));
    r.expire_cooldown(kT0 + kPeriod);
    EXPECT_EQ(r.next_deadline(), Instant::never());
  }
}

TEST(Repair, LowCoolDownDoesNotHoldBackHighButHighCoolDownDoes) {
  Repair r;
  Rng rng(1);
  const PassiveView p = make_passive({5});
  const NodeId low = r.start(kT0, p, false, kTimeout, rng);
  ASSERT_TRUE(r.failed(kT0, low, p.size(), kPeriod, false));
  EXPECT_FALSE(r.may_start(kT0, false, 1, p.size()));
  EXPECT_TRUE(r.may_start(kT0, true, 1, p.size()));
  const NodeId high = r.start(kT0, p, true, kTimeout, rng);
  ASSERT_TRUE(r.failed(kT0, high, p.size(), kPeriod, false));
  EXPECT_FALSE(r.may_start(kT0, true, 1, p.size()));
  EXPECT_TRUE(r.may_start(kT0 + kPeriod, true, 1, p.size()));
}

TEST(Repair, UnreachableTargetsDoNotCountAndAnEmptyViewEndsTheRound) {
  Repair r;
  Rng rng(2);
  PassiveView p = make_passive({5, 6, 7});
  const NodeId first = r.start(kT0, p, false, kTimeout, rng);
  ASSERT_TRUE(p.remove(first));
  EXPECT_FALSE(r.failed(kT0, first, p.size(), kPeriod, true));
  EXPECT_EQ(r.attempts(), 0u);
  const NodeId second = r.start(kT0, p, false, kTimeout, rng);
  ASSERT_TRUE(p.remove(second));
  EXPECT_FALSE(r.failed(kT0, second, p.size(), kPeriod, true));
  const NodeId third = r.start(kT0, p, false, kTimeout, rng);
  ASSERT_TRUE(p.remove(third));
  EXPECT_FALSE(r.failed(kT0, third, p.size(), kPeriod, true));  // no candidates: no cool-down
  EXPECT_FALSE(r.may_start(kT0, false, 1, p.size()));           // nobody to ask...
  EXPECT_TRUE(r.may_start(kT0, false, 1, 1));                   // ...but a new candidate at once
  EXPECT_EQ(std::set<uint32_t>({first.value(), second.value(), third.value()}).size(), 3u);
}

// While the active view is empty, HyParView lets several requests go out at
// once: each to a different candidate, each with its own deadline; the round
// ends (cool-down) only when the last one has failed and every candidate
// was asked; a success ends the round once nothing else is pending.
TEST(Repair, SeveralPendingAskDistinctCandidatesAndTheLastFailureEndsTheRound) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Repair r;
    Rng rng(seed);
    const PassiveView p = make_passive({5, 6, 7});
    std::set<uint32_t> asked;
    std::vector<NodeId> targets;
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(r.may_start(kT0, true, 3, p.size()));
      targets.push_back(r.start(kT0 + Duration::millis(i), p, true, kTimeout, rng));
      asked.insert(targets.back().value());
    }
    EXPECT_EQ(asked.size(), 3u);  // distinct candidates
    EXPECT_EQ(r.pending_count(), 3u);
    EXPECT_FALSE(r.may_start(kT0, true, 4, p.size()));  // every candidate is being asked
    EXPECT_EQ(r.next_deadline(), kT0 + kTimeout);       // the earliest
    EXPECT_EQ(r.timed_out(kT0 + kTimeout), targets[0]);
    EXPECT_FALSE(r.failed(kT0, targets[1], p.size(), kPeriod, false));
    EXPECT_FALSE(r.failed(kT0, targets[0], p.size(), kPeriod, false));
    EXPECT_TRUE(r.is_pending(targets[2]));
    EXPECT_FALSE(r.may_start(kT0, true, 3, p.size()));                 // all asked this round: wait
    EXPECT_TRUE(r.failed(kT0, targets[2], p.size(), kPeriod, false));  // last: cool-down
    EXPECT_FALSE(r.pending());
    EXPECT_EQ(r.next_deadline(), kT0 + kPeriod);
  }
  Repair r;
  Rng rng(1);
  const PassiveView p = make_passive({5, 6, 7});
  const NodeId a = r.start(kT0, p, true, kTimeout, rng);
  const NodeId b = r.start(kT0, p, true, kTimeout, rng);
  r.succeeded(a);
  EXPECT_EQ(r.attempts(), 2u);  // b still pending: the round goes on
  EXPECT_EQ(r.target(), b);
  r.succeeded(b);
  EXPECT_EQ(r.attempts(), 0u);
  EXPECT_EQ(r.next_deadline(), Instant::never());
}

TEST(Repair, CancelForgetsEverything) {
  Repair r;
  Rng rng(3);
  const PassiveView p = make_passive({5});
  r.start(kT0, p, true, kTimeout, rng);
  r.cancel();
  EXPECT_FALSE(r.pending());
  EXPECT_EQ(r.next_deadline(), Instant::never());
  EXPECT_TRUE(r.may_start(kT0, false, 1, p.size()));
}

}  // namespace
}  // namespace barrel::hyparview
