// anti_entropy.h — periodic digest exchange with one random active member,
// which repairs whatever registry deltas or liveness claims a node missed.
//
// Plumtree delivers deltas and claims to every connected node, but a node
// that was partitioned, restarting, or between links when a broadcast passed
// misses it for good (Plumtree only repairs within message_ttl). Anti-entropy
// closes that gap, as DESIGN.md §2 asks:
//
//   every sync_period (jittered), and at once with every new active member:
//     A -> B  SYNC_DIGEST {A's incarnations, A's suspect/dead claims (B's own
//             record first), A's OR-Map digest, want_reply}
//   B: merges the claims (a claim about B itself makes B refute), notes A is
//      alive at its incarnation, and answers
//     B -> A  SYNC_DELTA {what A lacks of B's map} if that is not empty, and
//     B -> A  SYNC_DIGEST {B's, want_reply = false} if the digests differ,
//   A: joins the delta, and answers B's digest with what B lacks.
// So one round trip and a half converge a pair; the random choice of peer
// spreads the repair epidemically (O(log N) periods to reach everyone).
//
// The exchange is stateless on both sides (no session to time out): a lost
// message is repaired by the next period. Bounded: one digest per period
// plus one per PeerUp; every answer at most sync_entries_max entries.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <span>
#include <vector>

#include "barrel/config.h"
#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/node.h"
#include "barrel/rng.h"
#include "barrel/time.h"
#include "hyparview/effect_sink.h"
#include "liveness/liveness.h"
#include "registry/registry.h"

namespace barrel::sync {

class AntiEntropy {
 public:
  // Every reference must outlive this object.
  AntiEntropy(const RegistryConfig& config, Rng& rng, hyparview::EffectSink& sink, NodeStats& stats,
              registry::Registry& registry, liveness::Liveness& liveness, Instant now);
  AntiEntropy(const AntiEntropy&) = delete;
  AntiEntropy& operator=(const AntiEntropy&) = delete;

  // A new active member: send it our digest now (it learns our incarnation,
  // and a joining node gets the registry within a round trip). Also used for
  // a revived member (liveness.h): the digest carries our claims about it.
  void on_peer_up(Instant now, NodeId peer);

  // SYNC_DIGEST / SYNC_DELTA from `from`. A body that does not decode is
  // rejected (kMalformed and friends, counted in stats); nothing changes.
  Status on_digest(Instant now, NodeId from, const SyncDigest& m);
  Status on_delta(Instant now, NodeId from, const SyncDelta& m);

  // Sends the periodic digest to one random member of `active` when due.
  void handle_timers(Instant now, std::span<const NodeId> active);
  Instant next_deadline() const { return next_sync_; }

 private:
  void send_digest(Instant now, NodeId to, bool want_reply);
  Duration jittered_period();

  const RegistryConfig& config_;
  Rng& rng_;
  hyparview::EffectSink& sink_;
  NodeStats& stats_;
  registry::Registry& registry_;
  liveness::Liveness& liveness_;
  Instant next_sync_;
};

}  // namespace barrel::sync
