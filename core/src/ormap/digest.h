// digest.h — the anti-entropy digest of an OR-Map, and delta_since().
//
// Why the digest is more than the causal context: a removal mints no dot, it
// only makes the store lack a dot the context covers. Two replicas can thus
// have equal contexts and different stores (one saw a remove delta, the
// other did not), and a context-only digest cannot show it. So the digest is
// the causal context plus, per replica r, a hash of the live dots of r (the
// store's dots of r): a replica whose context part and live hash both match
// is in sync; any other differs.
//
// delta_since(state, peer_digest) answers with, for every replica r that
// differs, the projection of our state onto the dots of r: all our entries
// with dots of r and our context restricted to r. A projection of a state is
// a valid delta (the state is the join of its projections over replicas), so
// its join at the peer adds what the peer lacks AND removes what we removed,
// without touching other replicas' dots. Sending only the entries the peer
// lacks with our whole context would be smaller but wrong: the peer would
// delete every entry our context covers that we did not resend.
//
// Trade-offs, written down: (a) a differing replica costs all its entries,
// not only the missing ones (a replica owns a node's few registrations, so
// this is small); (b) the live hash is a 64-bit sum of mixed dots (order-free
// and cheap), so two different live sets collide with probability ~2^-64 per
// comparison; a collision delays repair of that replica until its next
// change; (c) answers are cut at `entries_max` entries at replica
// boundaries (a replica's projection is never split: a partial projection
// with its full context would delete the unsent entries at the peer, and one
// cut by counter range could not make progress on a removal-only
// difference), so a far-behind peer catches up over several rounds, each
// answer a valid delta that makes at least one more replica equal. The first
// differing replica always goes whole, so an answer holds at most
// max(entries_max, limits::kOrMapEntriesPerReplicaMax) entries.
//
// Thread-safety: plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>

#include "barrel/result.h"
#include "ormap/causal_context.h"
#include "ormap/delta.h"
#include "ormap/ormap.h"

namespace barrel::ormap {

struct Digest {
  CausalContext context;
  // Replica -> hash of its live dots; replicas with no live dot are absent.
  std::map<ReplicaId, uint64_t> live_hash;
  bool operator==(const Digest&) const = default;
};

// The digest of `state`. O(entries).
Digest digest_of(const ORMap& state);

// The hash of one live dot; a replica's live hash is the wrapping sum of it
// over its live dots.
uint64_t live_dot_hash(Dot d);

// What `peer` (summarised by its digest) lacks of `state`: a delta of at most
// max(entries_max, limits::kOrMapEntriesPerReplicaMax) entries; an empty delta when in sync.
// Joining successive answers (each against the peer's then-current digest) converges the peer.
// REQUIRES: 1 <= entries_max <= limits::kOrMapDeltaEntriesMax.
Delta delta_since(const ORMap& state, const Digest& peer, size_t entries_max);
// The same with `ours` = digest_of(state) given by the caller, who caches it:
// computing it walks every entry (10k entries per received digest was the
// registry's hottest loop in registry-1k). REQUIRES: ours == digest_of(state).
Delta delta_since(const ORMap& state, const Digest& ours, const Digest& peer, size_t entries_max);

}  // namespace barrel::ormap
