// liveness_probe_test — from a lost link to a suspicion and a death: PROBE
// on link loss, an ack or the peer's return ends it, failed attempts retry
// then SUSPECT at the hinted incarnation, the suspicion turns into death at
// its timeout (DEAD broadcast only by the node that raised the SUSPECT), and
// the bounds (probes in flight, broadcasts per tick).
// Method: one Liveness (liveness_harness.h), inputs fed by hand at chosen
// instants, exact messages, broadcasts, changes and stats checked.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "barrel/limits.h"
#include "core/liveness/liveness_harness.h"

namespace barrel::liveness {
namespace {

using test::at_ms;
using test::Harness;

constexpr MemberState kA = MemberState::kAlive;
constexpr MemberState kS = MemberState::kSuspect;
constexpr MemberState kD = MemberState::kDead;

const std::string kP = Harness::name(1);

TEST(LivenessProbe, LinkLostSendsAProbeAndAnAckEndsIt) {
  Harness h;
  h.live().on_link_lost(at_ms(0), h.id(1), 0);
  const uint64_t nonce = h.probe_nonce(1);
  EXPECT_EQ(h.stats().probes_sent, 1u);
  EXPECT_TRUE(h.live().is_probing(h.id(1)));
  EXPECT_EQ(h.live().next_deadline(), at_ms(5000));  // probe_timeout

  h.live().on_probe_ack(at_ms(10), h.id(1), ProbeAck{nonce + 1, 50, 60});  // wrong nonce
  h.live().on_probe_ack(at_ms(10), h.id(2), ProbeAck{nonce, 50, 60});      // wrong peer
  EXPECT_TRUE(h.live().is_probing(h.id(1)));
  EXPECT_FALSE(h.live().record(kP).has_value());

  h.live().on_probe_ack(at_ms(20), h.id(1), ProbeAck{nonce, 50, 60});
  EXPECT_FALSE(h.live().is_probing(h.id(1)));
  ASSERT_TRUE(h.live().record(kP).has_value());
  EXPECT_EQ(h.live().record(kP)->state, kA);
  EXPECT_EQ(h.live().record(kP)->boot, 50u);
  EXPECT_EQ(h.live().record(kP)->incarnation, 60u);
  EXPECT_EQ(h.changes(), std::vector<std::string>{kP});
  h.tick(at_ms(100'000));
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{});
  EXPECT_EQ(h.stats().suspicions_raised, 0u);
  EXPECT_EQ(h.live().next_deadline(), Instant::never());
}

TEST(LivenessProbe, PeerBackInTheActiveViewEndsProbing) {
  Harness h;
  h.live().on_link_lost(at_ms(0), h.id(1), 0);
  h.sends();
  h.live().on_peer_up(at_ms(1), h.id(1));
  EXPECT_FALSE(h.live().is_probing(h.id(1)));
  h.tick(at_ms(60'000));
  EXPECT_EQ(h.sends(), std::vector<Send>{});
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{});
}

// probe_attempts = 2: a failure (host report), a retry probe_interval later,
// a timeout: SUSPECT at max(record incarnation, hint).
TEST(LivenessProbe, TwoFailuresRaiseASuspicionAtTheHintedIncarnation) {
  Harness h;
  h.live().on_link_lost(at_ms(0), h.id(1), 1500);
  const uint64_t nonce = h.probe_nonce(1);
  h.live().on_link_failed(at_ms(100), h.id(2));  // another peer: no effect
  h.live().on_link_failed(at_ms(100), h.id(1));
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{});
  EXPECT_EQ(h.live().next_deadline(), at_ms(1100));  // probe_interval
  h.live().on_link_failed(at_ms(200), h.id(1));      // no probe outstanding: no effect
  h.tick(at_ms(1099));
  EXPECT_EQ(h.sends(), std::vector<Send>{});
  h.tick(at_ms(1100));
  EXPECT_EQ(h.probe_nonce(1), nonce);  // one nonce per probing
  EXPECT_EQ(h.stats().probes_sent, 2u);
  h.tick(at_ms(6099));
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{});
  h.tick(at_ms(6100));  // probe_timeout
  EXPECT_EQ(h.broadcasts(), (std::vector<Claim>{{kS, kP, 0, 1500}}));
  EXPECT_EQ(h.stats().suspicions_raised, 1u);
  EXPECT_EQ(h.stats().probes_sent, 2u);
  EXPECT_FALSE(h.live().is_probing(h.id(1)));
  EXPECT_EQ(h.live().record(kP)->state, kS);
  EXPECT_EQ(h.changes(), std::vector<std::string>{kP});
  // N = 1 member: 2 s.
  EXPECT_EQ(h.live().next_deadline(), at_ms(8100));
}

TEST(LivenessProbe, SuspicionUsesTheRecordWhenItIsNewerThanTheHint) {
  Harness h;
  h.live().on_heard(at_ms(0), kP, 1800, 2000);
  h.live().on_link_lost(at_ms(0), h.id(1), 1500);
  h.live().on_link_lost(at_ms(0), h.id(1), 1600);  // already probing: the hint rises
  h.sends();
  h.live().on_link_failed(at_ms(0), h.id(1));
  h.tick(at_ms(1000));
  h.sends();
  h.live().on_link_failed(at_ms(1000), h.id(1));
  EXPECT_EQ(h.broadcasts(), (std::vector<Claim>{{kS, kP, 1800, 2000}}));
}

TEST(LivenessProbe, NoSuspicionWhenTheRecordIsAlreadySuspectOrDeadThere) {
  LivenessConfig config;
  config.probe_attempts = 1;
  config.dead_reprobe_period = Duration::seconds(3600);  // after the retention
  Harness h(config);
  h.live().on_claim(at_ms(0), Claim{kS, kP, 10, 20});
  h.live().on_link_lost(at_ms(0), h.id(1), 20);
  h.sends();
  h.live().on_link_failed(at_ms(1), h.id(1));
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{});
  EXPECT_EQ(h.stats().suspicions_raised, 0u);
  // Someone else raised it: no DEAD broadcast from us at the timeout.
  h.tick(at_ms(2000));
  EXPECT_EQ(h.live().record(kP)->state, kD);
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{});
  EXPECT_EQ(h.stats().members_declared_dead, 1u);
}

TEST(LivenessProbe, TheSuspecterBroadcastsDeadAtTheTimeout) {
  LivenessConfig config;
  config.probe_attempts = 1;
  config.dead_reprobe_period = Duration::seconds(3600);  // after the retention
  Harness h(config);
  h.live().on_link_lost(at_ms(0), h.id(1), 7);
  h.sends();
  h.tick(at_ms(5000));  // the only probe times out
  EXPECT_EQ(h.broadcasts(), (std::vector<Claim>{{kS, kP, 0, 7}}));
  h.changes();
  h.tick(at_ms(6999));
  EXPECT_EQ(h.live().record(kP)->state, kS);
  h.tick(at_ms(7000));
  EXPECT_EQ(h.broadcasts(), (std::vector<Claim>{{kD, kP, 0, 7}}));
  EXPECT_EQ(h.live().record(kP)->state, kD);
  EXPECT_EQ(h.changes(), std::vector<std::string>{kP});
  EXPECT_EQ(h.stats().members_declared_dead, 1u);
  EXPECT_TRUE(h.live().entry_is_dead(kP, 0, 7));
  // Our own DEAD comes back through Plumtree: nothing changes.
  h.live().on_claim(at_ms(7001), Claim{kD, kP, 0, 7});
  EXPECT_EQ(h.changes(), std::vector<std::string>{});
  EXPECT_EQ(h.stats().members_declared_dead, 1u);
  // The record is forgotten dead_retention later, silently.
  EXPECT_EQ(h.live().next_deadline(), at_ms(7000) + config.dead_retention);
  h.tick(at_ms(7000) + config.dead_retention);
  EXPECT_FALSE(h.live().record(kP).has_value());
  EXPECT_EQ(h.changes(), std::vector<std::string>{});
  EXPECT_EQ(h.live().next_deadline(), Instant::never());
}

TEST(LivenessProbe, ARefutationBeforeTheTimeoutCancelsTheSuspicion) {
  LivenessConfig config;
  config.probe_attempts = 1;
  Harness h(config);
  h.live().on_link_lost(at_ms(0), h.id(1), 7);
  h.sends();
  h.live().on_link_failed(at_ms(0), h.id(1));
  EXPECT_EQ(h.broadcasts().size(), 1u);
  h.live().on_claim(at_ms(1500), Claim{kA, kP, 0, 8});
  EXPECT_EQ(h.live().record(kP)->state, kA);
  EXPECT_EQ(h.live().next_deadline(), Instant::never());
  h.tick(at_ms(10'000));
  EXPECT_EQ(h.live().record(kP)->state, kA);
  EXPECT_EQ(h.broadcasts(), std::vector<Claim>{});
  EXPECT_EQ(h.stats().members_declared_dead, 0u);
}

TEST(LivenessProbe, ProbesBeyondTheBoundAreSkipped) {
  Harness h(LivenessConfig{}, limits::kProbesMax + 3);
  for (size_t i = 1; i <= limits::kProbesMax + 1; ++i)
    h.live().on_link_lost(at_ms(0), h.id(i), 0);
  EXPECT_EQ(h.sends().size(), limits::kProbesMax);
  EXPECT_EQ(h.live().probing(), limits::kProbesMax);
  EXPECT_EQ(h.stats().probes_skipped, 1u);
  EXPECT_FALSE(h.live().is_probing(h.id(limits::kProbesMax + 1)));
  h.live().on_peer_up(at_ms(1), h.id(1));  // room again
  h.live().on_link_lost(at_ms(1), h.id(limits::kProbesMax + 2), 0);
  EXPECT_EQ(h.sends().size(), 1u);
  EXPECT_EQ(h.stats().probes_skipped, 1u);
}

// 20 probes time out at once: a tick raises kTickBroadcastsMax suspicions
// and stays due for the rest; their deadlines likewise for the DEADs.
TEST(LivenessProbe, OneTickBroadcastsAtMostTheBound) {
  LivenessConfig config;
  config.probe_attempts = 1;
  Harness h(config, 22);
  for (size_t i = 1; i <= 20; ++i)
    h.live().on_link_lost(at_ms(0), h.id(i), 1);
  h.sends();
  h.live().set_cluster_size_estimate(1);
  h.tick(at_ms(5000));
  EXPECT_EQ(h.broadcasts().size(), kTickBroadcastsMax);
  EXPECT_LE(h.live().next_deadline(), at_ms(5000));
  h.tick(at_ms(5000));
  EXPECT_EQ(h.broadcasts().size(), 20 - kTickBroadcastsMax);
  EXPECT_EQ(h.stats().suspicions_raised, 20u);
  EXPECT_EQ(h.live().next_deadline(), at_ms(7000));
  h.tick(at_ms(7000));
  EXPECT_EQ(h.broadcasts().size(), kTickBroadcastsMax);
  h.tick(at_ms(7000));
  EXPECT_EQ(h.broadcasts().size(), 20 - kTickBroadcastsMax);
  EXPECT_EQ(h.stats().members_declared_dead, 20u);
  EXPECT_EQ(h.changes().size(), 20u);  // deduped: each name once
}

TEST(LivenessProbe, AProbeIsAnsweredWithTheCurrentIncarnation) {
  Harness h;
  h.live().on_probe(at_ms(0), h.id(3), Probe{77});
  EXPECT_EQ(h.sends(), (std::vector<Send>{Send{h.id(3), ProbeAck{77, 1000, 1000}}}));
  h.live().refute(at_ms(1));
  h.live().on_probe(at_ms(2), h.id(3), Probe{78});
  EXPECT_EQ(h.sends(), (std::vector<Send>{Send{h.id(3), ProbeAck{78, 1000, 1001}}}));
}

// With probe_spread, the first probe waits a random time within the spread,
// so a crashed node's neighbours do not all probe (and suspect) together.
TEST(LivenessProbe, TheFirstProbeIsSpread) {
  LivenessConfig config;
  config.probe_spread = Duration::seconds(2);  // not the default: the harness keeps it
  Harness h(config);
  h.live().on_link_lost(at_ms(100), h.id(1), 0);
  EXPECT_TRUE(h.sends().empty());
  const Instant first = h.live().next_deadline();
  EXPECT_GE(first, at_ms(100));
  EXPECT_LT(first, at_ms(2100));
  h.tick(first);
  EXPECT_NE(h.probe_nonce(1), 0u);
}

}  // namespace
}  // namespace barrel::liveness
