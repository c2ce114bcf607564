// member_table_test — the bounded member table: the lattice merge converges
// whatever the order of claims (commutative, idempotent), the eviction policy
// when full, dead-record expiry, suspicion deadlines, sync_claims' order and
// bound.
// Method: a property test over 200 seeds (random claims about a few nodes,
// merged in two random orders with duplicates, compared with each other and
// with a reference fold); small hand-built tables for the policies, checking
// every index with check_records() after each step.
#include "liveness/member_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "barrel/rng.h"

namespace barrel::liveness {
namespace {

constexpr MemberState kA = MemberState::kAlive;
constexpr MemberState kS = MemberState::kSuspect;
constexpr MemberState kD = MemberState::kDead;

Instant at(uint64_t s) {
  return Instant::from_us(s * 1'000'000);
}

// Merges a claim with a deadline 10 s after `now`, not originated.
MergeResult put(MemberTable& t, uint64_t now_s, MemberState s, const std::string& node,
                uint64_t boot, uint64_t inc) {
  const MergeResult r = t.merge(at(now_s), Claim{s, node, boot, inc}, at(now_s + 10), false);
  t.check_records();
  return r;
}

MemberInfo info(const std::string& node, MemberState s, uint64_t boot, uint64_t inc) {
  return MemberInfo{node, s, boot, inc};
}

std::vector<MemberInfo> all(const MemberTable& t, const std::vector<std::string>& names) {
  std::vector<MemberInfo> out;
  for (const std::string& n : names) {
    if (const Record* r = t.find(n))
      out.push_back(info(n, r->state, r->boot, r->incarnation));
  }
  return out;
}

TEST(MemberTable, MergeFollowsTheLattice) {
  MemberTable t(16);
  MergeResult r = put(t, 0, kA, "a@h", 5, 5);
  EXPECT_TRUE(r.changed);
  EXPECT_FALSE(r.became_suspect || r.became_dead);
  EXPECT_FALSE(put(t, 0, kA, "a@h", 5, 5).changed);  // idempotent
  r = put(t, 1, kS, "a@h", 5, 5);                    // same incarnation, larger state
  EXPECT_TRUE(r.changed && r.became_suspect);
  EXPECT_EQ(t.next_suspicion_deadline(), at(11));
  EXPECT_FALSE(put(t, 2, kA, "a@h", 5, 5).changed);  // smaller state: no
  r = put(t, 3, kA, "a@h", 5, 6);                    // refutation
  EXPECT_TRUE(r.changed && !r.became_suspect);
  EXPECT_EQ(t.next_suspicion_deadline(), Instant::never());
  r = put(t, 4, kD, "a@h", 5, 6);
  EXPECT_TRUE(r.changed && r.became_dead);
  r = put(t, 5, kD, "a@h", 5, 7);  // dead again, higher incarnation: not "became"
  EXPECT_TRUE(r.changed && !r.became_dead);
  // An older claim with a newer boot: only the boot merges.
  r = put(t, 6, kA, "a@h", 7, 7);
  EXPECT_TRUE(r.changed && !r.became_dead);
  EXPECT_EQ(all(t, {"a@h"}), (std::vector<MemberInfo>{info("a@h", kD, 7, 7)}));
  // A new life beats the old death.
  put(t, 7, kA, "a@h", 100, 100);
  EXPECT_EQ(all(t, {"a@h"}), (std::vector<MemberInfo>{info("a@h", kA, 100, 100)}));
}

// The property: any order of the same claims, with repeats, gives the same
// table, and it is the reference fold (max of (incarnation, state), max boot).
TEST(MemberTable, MergeIsCommutativeAndIdempotentOverRandomOrders) {
  const std::vector<std::string> names{"a@h", "b@h", "c@h", "d@h"};
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    Rng rng(seed);
    std::vector<Claim> claims;
    std::map<std::string, MemberInfo> expected;
    for (int i = 0; i < 24; ++i) {
      Claim c;
      c.node = names[rng.uniform(names.size())];
      c.state = static_cast<MemberState>(1 + rng.uniform(3));
      c.boot = rng.uniform(4);                  // few values: ties on purpose
      c.incarnation = c.boot + rng.uniform(3);  // boot <= incarnation
      claims.push_back(c);
      auto [it, fresh] = expected.try_emplace(c.node, info(c.node, c.state, c.boot, c.incarnation));
      MemberInfo& e = it->second;
      if (!fresh) {
        if (supersedes(c, e.state, e.incarnation)) {
          e.state = c.state;
          e.incarnation = c.incarnation;
        }
        e.boot = std::max(e.boot, c.boot);
      }
    }
    std::vector<MemberInfo> want;
    for (const auto& [n, e] : expected)
      want.push_back(e);

    for (int order = 0; order < 2; ++order) {
      std::vector<Claim> shuffled = claims;
      if (order == 1)  // with repeats
        shuffled.insert(shuffled.end(), claims.begin(), claims.begin() + 8);
      rng.shuffle(shuffled.data(), shuffled.size());
      MemberTable t(16);
      for (size_t i = 0; i < shuffled.size(); ++i)
        t.merge(at(i), shuffled[i], at(i + 10), false);
      t.check_records();
      ASSERT_EQ(all(t, names), want) << "seed " << seed << " order " << order;
    }
  }
}

TEST(MemberTable, FullTableForgetsTheLeastRecentlyUpdatedAliveRecord) {
  MemberTable t(3);
  put(t, 0, kA, "a@h", 1, 1);
  put(t, 0, kA, "b@h", 1, 1);
  put(t, 0, kA, "c@h", 1, 5);
  put(t, 1, kA, "a@h", 2, 2);  // a is now the most recent: b is the oldest
  EXPECT_TRUE(put(t, 2, kA, "d@h", 1, 1).changed);
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.find("b@h"), nullptr);
  EXPECT_EQ(t.evicted(), 1u);
  // Recency order is now c, a, d. An unchanged merge is no update; a
  // boot-only change is: c moves behind d, and a is the oldest.
  EXPECT_FALSE(put(t, 3, kA, "c@h", 1, 5).changed);
  EXPECT_TRUE(put(t, 3, kA, "c@h", 3, 4).changed);
  EXPECT_EQ(t.find("c@h")->boot, 3u);
  EXPECT_EQ(t.find("c@h")->incarnation, 5u);
  EXPECT_TRUE(put(t, 4, kA, "e@h", 1, 1).changed);
  EXPECT_EQ(t.find("a@h"), nullptr);
  // A suspect is never forgotten, even the least recently updated record.
  put(t, 5, kS, "c@h", 3, 5);
  put(t, 6, kA, "d@h", 1, 2);
  put(t, 6, kA, "e@h", 1, 2);
  EXPECT_TRUE(put(t, 7, kA, "f@h", 1, 1).changed);
  EXPECT_NE(t.find("c@h"), nullptr);
  EXPECT_EQ(t.find("d@h"), nullptr);
  EXPECT_EQ(t.evicted(), 3u);
}

TEST(MemberTable, WithoutAliveRecordsTheOldestDeadGoesAndSuspectsStay) {
  MemberTable t(3);
  put(t, 0, kD, "a@h", 1, 1);
  put(t, 1, kS, "b@h", 1, 1);
  put(t, 2, kD, "c@h", 1, 1);
  EXPECT_TRUE(put(t, 3, kS, "d@h", 1, 1).changed);
  EXPECT_EQ(t.find("a@h"), nullptr);
  EXPECT_TRUE(put(t, 4, kA, "e@h", 1, 1).changed);
  EXPECT_EQ(t.find("c@h"), nullptr);
  // Now b, d suspect and e alive: e goes for a new suspect.
  EXPECT_TRUE(put(t, 5, kS, "f@h", 1, 1).changed);
  EXPECT_EQ(t.find("e@h"), nullptr);
  // Only suspects: the new record is ignored and counted; nothing changes.
  const MergeResult r = put(t, 6, kD, "g@h", 1, 1);
  EXPECT_TRUE(r.dropped);
  EXPECT_FALSE(r.changed);
  EXPECT_EQ(t.dropped(), 1u);
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.find("g@h"), nullptr);
  // A known record still merges.
  EXPECT_TRUE(put(t, 7, kD, "b@h", 1, 1).became_dead);
}

TEST(MemberTable, DeadRecordsAreForgottenRetentionAfterTheirLastChange) {
  const Duration retention = Duration::seconds(100);
  MemberTable t(16);
  EXPECT_EQ(t.next_dead_expiry(retention), Instant::never());
  put(t, 0, kD, "a@h", 1, 1);
  put(t, 10, kD, "b@h", 1, 1);
  put(t, 20, kA, "c@h", 1, 1);
  EXPECT_EQ(t.next_dead_expiry(retention), at(100));
  EXPECT_EQ(t.forget_dead(at(99), retention, 10), 0u);
  put(t, 50, kD, "a@h", 1, 2);  // a changed: retention restarts
  EXPECT_EQ(t.next_dead_expiry(retention), at(110));
  EXPECT_EQ(t.forget_dead(at(110), retention, 10), 1u);
  EXPECT_EQ(t.find("b@h"), nullptr);
  EXPECT_EQ(t.next_dead_expiry(retention), at(150));
  put(t, 60, kD, "d@h", 1, 1);
  EXPECT_EQ(t.forget_dead(at(1000), retention, 1), 1u);  // the per-call bound
  EXPECT_EQ(t.find("a@h"), nullptr);
  EXPECT_EQ(t.forget_dead(at(1000), retention, 1), 1u);
  EXPECT_EQ(t.size(), 1u);  // alive records do not expire
  EXPECT_EQ(t.next_dead_expiry(retention), Instant::never());
  t.check_records();
}

TEST(MemberTable, SuspicionsExpireInDeadlineOrderIntoDeath) {
  MemberTable t(16);
  t.merge(at(0), Claim{kS, "a@h", 1, 3}, at(20), /*originated=*/true);
  t.merge(at(0), Claim{kS, "b@h", 0, 4}, at(10), /*originated=*/false);
  t.merge(at(0), Claim{kS, "c@h", 2, 2}, at(15), /*originated=*/false);
  t.merge(at(1), Claim{kA, "c@h", 2, 3}, at(99), false);  // refuted
  t.check_records();
  EXPECT_EQ(t.next_suspicion_deadline(), at(10));
  EXPECT_FALSE(t.expire_suspicion(at(9)).has_value());
  std::optional<ExpiredSuspicion> e = t.expire_suspicion(at(12));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->dead, (Claim{kD, "b@h", 0, 4}));
  EXPECT_FALSE(e->originated);
  EXPECT_FALSE(t.expire_suspicion(at(12)).has_value());  // c was refuted
  e = t.expire_suspicion(at(25));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->dead, (Claim{kD, "a@h", 1, 3}));
  EXPECT_TRUE(e->originated);
  EXPECT_EQ(t.next_suspicion_deadline(), Instant::never());
  EXPECT_EQ(t.not_alive(), (std::vector<MemberInfo>{info("a@h", kD, 1, 3), info("b@h", kD, 0, 4)}));
  t.check_records();
}

TEST(MemberTable, SuspectAtAHigherIncarnationGetsAFreshDeadline) {
  MemberTable t(16);
  t.merge(at(0), Claim{kS, "a@h", 1, 1}, at(10), true);
  t.merge(at(5), Claim{kS, "a@h", 1, 1}, at(15), false);  // same claim: unchanged
  EXPECT_EQ(t.next_suspicion_deadline(), at(10));
  EXPECT_TRUE(t.find("a@h")->originated);
  t.merge(at(6), Claim{kS, "a@h", 1, 2}, at(16), false);
  EXPECT_EQ(t.next_suspicion_deadline(), at(16));
  EXPECT_FALSE(t.find("a@h")->originated);
  t.merge(at(7), Claim{kS, "a@h", 2, 2}, at(17), false);  // boot only: deadline kept
  EXPECT_EQ(t.next_suspicion_deadline(), at(16));
  t.check_records();
}

TEST(MemberTable, SyncClaimsPutThePeerFirstThenNewestSuspectOrDead) {
  MemberTable t(16);
  put(t, 0, kS, "s1@h", 1, 1);
  put(t, 1, kD, "p@h", 1, 1);
  put(t, 2, kA, "a@h", 1, 1);
  put(t, 3, kD, "d1@h", 1, 1);
  put(t, 4, kS, "s2@h", 1, 1);
  put(t, 5, kD, "d2@h", 2, 2);
  const Claim p{kD, "p@h", 1, 1};
  const Claim d2{kD, "d2@h", 2, 2};
  const Claim s2{kS, "s2@h", 1, 1};
  const Claim d1{kD, "d1@h", 1, 1};
  const Claim s1{kS, "s1@h", 1, 1};
  EXPECT_EQ(t.sync_claims("p@h", 10), (std::vector<Claim>{p, d2, s2, d1, s1}));
  EXPECT_EQ(t.sync_claims("p@h", 2), (std::vector<Claim>{p, d2}));
  EXPECT_EQ(t.sync_claims("p@h", 0), std::vector<Claim>{});
  EXPECT_EQ(t.sync_claims("a@h", 10), (std::vector<Claim>{d2, s2, d1, p, s1}));
  EXPECT_EQ(t.sync_claims("x@h", 3), (std::vector<Claim>{d2, s2, d1}));
  put(t, 6, kS, "s1@h", 1, 2);  // updated: newest now
  EXPECT_EQ(t.sync_claims("x@h", 2), (std::vector<Claim>{Claim{kS, "s1@h", 1, 2}, d2}));
}

}  // namespace
}  // namespace barrel::liveness
