// liveness_claims_test — claims and queries of Liveness: claims about self
// (current life refuted with a raise, older ones answered without one and
// rate-limited, ALIVE ignored), refute(), direct evidence (on_heard), the
// suspicion timeout against the cluster estimate, entry_is_dead's truth
// table, sync_claims, change reporting, a restart that an old DEAD must not
// kill, and the table bound for new suspicions.
// Method: one Liveness per test (liveness_harness.h; self is "n0@h", boot
// 1000), inputs fed by hand, exact broadcasts and stats checked.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/liveness/liveness_harness.h"

namespace barrel::liveness {
namespace {

using test::at_ms;
using test::Harness;

constexpr MemberState kA = MemberState::kAlive;
constexpr MemberState kS = MemberState::kSuspect;
constexpr MemberState kD = MemberState::kDead;

const std::string kSelf = Harness::name(0);
const std::string kP = Harness::name(1);
const std::string kQ = Harness::name(2);

Claim alive_self(uint64_t inc) {
  return Claim{kA, kSelf, Harness::kBoot, inc};
}

TEST(LivenessSelf, ASuspicionOfTheCurrentLifeIsRefutedWithARaise) {
  Harness h;
  EXPECT_EQ(h.live().incarnation(), 1000u);
  h.live().on_claim(at_ms(0), Claim{kS, kSelf, 1000, 1000});
  EXPECT_EQ(h.live().incarnation(), 1001u);
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{alive_self(1001)});
  // Never rate-limited: each claim at or above our incarnation is beaten.
  h.live().on_claim(at_ms(0), Claim{kD, kSelf, 1000, 1005});
  EXPECT_EQ(h.live().incarnation(), 1006u);
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{alive_self(1006)});
  EXPECT_EQ(h.stats().refutations_sent, 2u);
  EXPECT_EQ(h.live().member_count(), 0u);  // self is never in the table
  EXPECT_EQ(h.changes(), std::vector<std::string>{});
}

// After a restart the old life's DEAD is answered with the new life's ALIVE,
// without a raise, at most once per refute_interval.
TEST(LivenessSelf, AClaimAboutAnOlderLifeIsAnsweredWithoutARaiseRateLimited) {
  Harness h;
  h.live().on_claim(at_ms(0), Claim{kD, kSelf, 500, 700});
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{alive_self(1000)});
  h.live().on_claim(at_ms(999), Claim{kS, kSelf, 500, 800});
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{});
  h.live().on_claim(at_ms(1000), Claim{kD, kSelf, 0, 999});
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{alive_self(1000)});
  EXPECT_EQ(h.live().incarnation(), 1000u);
  EXPECT_EQ(h.stats().refutations_sent, 2u);
}

// An incarnation of this life we already beat: same treatment as an old life.
TEST(LivenessSelf, AnAlreadyRefutedIncarnationIsAnsweredWithoutARaise) {
  Harness h;
  h.live().on_claim(at_ms(0), Claim{kS, kSelf, 1000, 1000});
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{alive_self(1001)});
  h.live().on_claim(at_ms(500), Claim{kD, kSelf, 1000, 1000});  // within refute_interval
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{});
  h.live().on_claim(at_ms(1500), Claim{kD, kSelf, 1000, 1000});
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{alive_self(1001)});
  EXPECT_EQ(h.live().incarnation(), 1001u);
}

TEST(LivenessSelf, AnAliveAboutSelfIsIgnored) {
  Harness h;
  h.live().on_claim(at_ms(0), Claim{kA, kSelf, 1000, 5000});
  h.live().on_heard(at_ms(0), kSelf, 1000, 5000);
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{});
  EXPECT_EQ(h.live().incarnation(), 1000u);
  EXPECT_EQ(h.live().member_count(), 0u);
}

TEST(LivenessSelf, RefuteRaisesByOneAndAnnounces) {
  Harness h;
  EXPECT_EQ(h.live().refute(at_ms(0)), 1001u);
  EXPECT_EQ(h.live().refute(at_ms(0)), 1002u);
  EXPECT_EQ(h.broadcasts(), (std::vector<Claim>{alive_self(1001), alive_self(1002)}));
  EXPECT_EQ(h.live().boot(), 1000u);
  EXPECT_EQ(h.stats().refutations_sent, 2u);
}

TEST(LivenessClaims, SuspicionTimeoutGrowsWithLog2OfTheEstimate) {
  Harness h;
  EXPECT_EQ(h.live().suspicion_timeout(), Duration::seconds(2));  // no member: N = 1
  for (size_t i = 1; i <= 4; ++i)
    h.live().on_heard(at_ms(0), Harness::name(i), 1, 1);
  EXPECT_EQ(h.live().suspicion_timeout(), Duration::seconds(4));  // N = 4 members
  h.live().set_cluster_size_estimate(1);
  EXPECT_EQ(h.live().suspicion_timeout(), Duration::seconds(2));
  h.live().set_cluster_size_estimate(1000);
  EXPECT_EQ(h.live().suspicion_timeout(), Duration::seconds(11));
  h.live().set_cluster_size_estimate(100'000);
  EXPECT_EQ(h.live().suspicion_timeout(), Duration::seconds(18));
  // The deadline of a new suspicion uses it.
  h.live().on_claim(at_ms(0), Claim{kS, Harness::name(5), 1, 1});
  EXPECT_EQ(h.live().next_deadline(), at_ms(18'000));
}

TEST(LivenessClaims, ClaimsAboutOthersMergeAndReportChangesOnce) {
  Harness h;
  h.live().on_claim(at_ms(0), Claim{kS, kP, 10, 10});
  h.live().on_claim(at_ms(1), Claim{kA, kP, 10, 11});
  h.live().on_claim(at_ms(1), Claim{kA, kP, 10, 11});  // no change
  h.live().on_claim(at_ms(2), Claim{kA, kQ, 3, 4});
  h.live().on_claim(at_ms(3), Claim{kA, kP, 10, 10});  // superseded
  EXPECT_EQ(h.changes(), (std::vector<std::string>{kP, kQ}));
  EXPECT_EQ(h.changes(), std::vector<std::string>{});
  h.live().on_claim(at_ms(4), Claim{kD, kQ, 3, 4});
  EXPECT_EQ(h.changes(), std::vector<std::string>{kQ});
  EXPECT_EQ(h.stats().members_declared_dead, 1u);
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{});  // we only pass claims on through Plumtree
  EXPECT_EQ(h.live().not_alive(), (std::vector<MemberInfo>{{kQ, kD, 3, 4}}));
}

TEST(LivenessClaims, OnHeardIsAliveEvidenceAndRejectsInconsistency) {
  Harness h;
  h.live().on_claim(at_ms(0), Claim{kS, kP, 10, 12});
  h.live().on_heard(at_ms(1), kP, 10, 12);  // same incarnation: the suspicion stands
  EXPECT_EQ(h.live().record(kP)->state, kS);
  h.live().on_heard(at_ms(1), kP, 10, 13);
  EXPECT_EQ(h.live().record(kP)->state, kA);
  h.live().on_heard(at_ms(1), kQ, 14, 13);  // boot > incarnation: ignored
  h.live().on_heard(at_ms(1), "bad name", 1, 1);
  EXPECT_FALSE(h.live().record(kQ).has_value());
  EXPECT_EQ(h.live().member_count(), 1u);
}

TEST(LivenessClaims, EntryIsDeadTruthTable) {
  Harness h;
  EXPECT_FALSE(h.live().entry_is_dead(kP, 100, 120));  // no record
  h.live().on_heard(at_ms(0), kP, 100, 120);
  EXPECT_TRUE(h.live().entry_is_dead(kP, 90, 95));     // an older life
  EXPECT_FALSE(h.live().entry_is_dead(kP, 100, 100));  // alive: any incarnation of this life
  EXPECT_FALSE(h.live().entry_is_dead(kP, 100, 130));
  h.live().on_claim(at_ms(1), Claim{kS, kP, 100, 120});
  EXPECT_FALSE(h.live().entry_is_dead(kP, 100, 120));  // suspect is not dead
  h.live().on_claim(at_ms(2), Claim{kD, kP, 100, 120});
  EXPECT_TRUE(h.live().entry_is_dead(kP, 100, 120));
  EXPECT_TRUE(h.live().entry_is_dead(kP, 100, 110));
  EXPECT_FALSE(h.live().entry_is_dead(kP, 100, 121));  // written after a refutation
  EXPECT_TRUE(h.live().entry_is_dead(kP, 90, 200));    // older boot, whatever the incarnation
  // Self: only entries of an earlier life.
  EXPECT_TRUE(h.live().entry_is_dead(kSelf, 999, 999));
  EXPECT_FALSE(h.live().entry_is_dead(kSelf, 1000, 1000));
  EXPECT_FALSE(h.live().entry_is_dead(kSelf, 1000, 1))
      << "an entry of this life is never dead here";
}

TEST(LivenessClaims, SyncClaimsPeerFirstThenNewestWithinTheBound) {
  Harness h;
  h.live().on_claim(at_ms(0), Claim{kD, kP, 1, 1});
  h.live().on_claim(at_ms(1), Claim{kS, kQ, 2, 2});
  h.live().on_heard(at_ms(2), Harness::name(3), 3, 3);
  h.live().on_claim(at_ms(3), Claim{kD, Harness::name(4), 4, 4});
  EXPECT_EQ(h.live().sync_claims(at_ms(4), kP, 8),
            (std::vector<Claim>{{kD, kP, 1, 1}, {kD, Harness::name(4), 4, 4}, {kS, kQ, 2, 2}}));
  EXPECT_EQ(h.live().sync_claims(at_ms(4), Harness::name(3), 2),
            (std::vector<Claim>{{kD, Harness::name(4), 4, 4}, {kS, kQ, 2, 2}}));
  // Half a retention (5 min) later the deaths no longer spread; the
  // suspicion does (it resolves within its timeout anyway).
  const Instant late = at_ms(4) + Duration::seconds(301);
  EXPECT_EQ(h.live().sync_claims(late, kP, 8), (std::vector<Claim>{{kD, kP, 1, 1}, {kS, kQ, 2, 2}}))
      << "the peer's own record goes whatever its age: it must refute it";
  EXPECT_EQ(h.live().sync_claims(late, Harness::name(3), 8), (std::vector<Claim>{{kS, kQ, 2, 2}}));
}

// P dies (boot 1000) and restarts (boot 5000). The old DEAD, delivered late
// or by anti-entropy, cannot kill the new life, and P's old entries stay dead.
TEST(LivenessClaims, AnOldDeathNeverKillsARestartedNode) {
  Harness h;
  h.live().on_claim(at_ms(0), Claim{kD, kP, 1000, 1003});
  h.live().on_claim(at_ms(10), Claim{kA, kP, 5000, 5000});  // the new life announces itself
  EXPECT_EQ(h.live().record(kP)->state, kA);
  h.live().on_claim(at_ms(20), Claim{kD, kP, 1000, 1003});
  h.live().on_claim(at_ms(20), Claim{kS, kP, 1000, 1003});
  EXPECT_EQ(h.live().record(kP)->state, kA);
  EXPECT_EQ(h.live().record(kP)->incarnation, 5000u);
  EXPECT_TRUE(h.live().entry_is_dead(kP, 1000, 1003));
  EXPECT_FALSE(h.live().entry_is_dead(kP, 5000, 5000));
}

// The other side of the restart: the restarted node hears its old death.
TEST(LivenessClaims, ARestartedNodeAnswersItsOldDeath) {
  Harness h(LivenessConfig{}, 8, /*boot=*/5000);
  h.live().on_claim(at_ms(0), Claim{kD, kSelf, 1000, 1003});
  EXPECT_EQ(h.broadcasts(), (std::vector<Claim>{{kA, kSelf, 5000, 5000}}));
  EXPECT_EQ(h.live().incarnation(), 5000u);
}

TEST(LivenessClaims, ANewSuspectBeyondAFullTableOfSuspectsIsDropped) {
  Harness h(LivenessConfig{}, 8, Harness::kBoot, /*members_max=*/2);
  h.live().on_claim(at_ms(0), Claim{kS, kP, 1, 1});
  h.live().on_claim(at_ms(0), Claim{kS, kQ, 1, 1});
  h.changes();
  h.live().on_claim(at_ms(0), Claim{kS, Harness::name(3), 1, 1});
  EXPECT_EQ(h.live().member_count(), 2u);
  EXPECT_EQ(h.live().claims_dropped(), 1u);
  EXPECT_EQ(h.changes(), std::vector<std::string>{});
  EXPECT_FALSE(h.live().record(Harness::name(3)).has_value());
}

// on_heard by handle skips the merge only when the lattice says it would
// change nothing, judged against the record as it is now; a record forgotten
// since is learned again, not read through a stale pointer.
TEST(LivenessClaims, OnHeardByHandleMergesAsByName) {
  Harness h;
  h.live().on_heard(at_ms(0), h.id(1), 10, 12);
  EXPECT_EQ(h.changes(), std::vector<std::string>{kP});
  h.live().on_heard(at_ms(1), h.id(1), 10, 12);  // the same again: nothing
  EXPECT_EQ(h.changes(), std::vector<std::string>{});
  h.live().on_claim(at_ms(2), Claim{kS, kP, 10, 12});
  h.changes();
  h.live().on_heard(at_ms(3), h.id(1), 10, 12);  // same incarnation: the suspicion stands
  EXPECT_EQ(h.live().record(kP)->state, kS);
  h.live().on_heard(at_ms(3), h.id(1), 11, 12);  // a newer boot is a change
  EXPECT_EQ(h.live().record(kP)->boot, 11u);
  EXPECT_EQ(h.live().record(kP)->state, kS);
  h.live().on_heard(at_ms(3), h.id(1), 11, 13);
  EXPECT_EQ(h.live().record(kP)->state, kA);
  EXPECT_EQ(h.changes(), std::vector<std::string>{kP});
  h.live().on_heard(at_ms(4), h.id(0), 1, 1);  // self: ignored
  h.live().on_heard(at_ms(4), NodeId::invalid(), 1, 1);
  h.live().on_heard(at_ms(4), h.id(2), 14, 13);  // boot > incarnation: ignored
  EXPECT_EQ(h.live().member_count(), 1u);
}

TEST(LivenessClaims, OnHeardByHandleRelearnsAnEvictedRecord) {
  Harness h(LivenessConfig{}, 8, Harness::kBoot, /*members_max=*/2);
  h.live().on_heard(at_ms(0), h.id(1), 1, 1);
  h.live().on_heard(at_ms(0), h.id(2), 1, 1);
  h.live().on_heard(at_ms(0), h.id(3), 1, 1);  // evicts the least recent alive: kP
  EXPECT_FALSE(h.live().record(kP).has_value());
  h.live().on_heard(at_ms(1), h.id(1), 1, 1);  // its cached record is gone: merged anew
  ASSERT_TRUE(h.live().record(kP).has_value());
  EXPECT_EQ(h.live().record(kP)->state, kA);
  EXPECT_EQ(h.live().member_count(), 2u);
}

TEST(LivenessClaims, SyncClaimsByHandleAreTheClaimsByName) {
  Harness h;
  h.live().on_heard(at_ms(0), h.id(1), 1, 1);
  EXPECT_EQ(h.live().sync_claims(at_ms(1), h.id(1), 8), std::vector<Claim>{});
  h.live().on_claim(at_ms(1), Claim{kS, kP, 1, 1});
  h.live().on_claim(at_ms(1), Claim{kD, kQ, 2, 2});
  for (size_t peer : {1u, 2u, 3u}) {
    EXPECT_EQ(h.live().sync_claims(at_ms(2), h.id(peer), 8),
              h.live().sync_claims(at_ms(2), Harness::name(peer), 8))
        << peer;
  }
  EXPECT_EQ(h.live().sync_claims(at_ms(2), h.id(3), 8).size(), 2u);
}

}  // namespace
}  // namespace barrel::liveness
