// causal_context.h — the set of dots a replica has seen, compressed.
//
// Representation (Almeida et al., "Delta state replicated data types", §5):
// a version vector vv (replica -> n: dots (r, 1..n) all seen) plus a dot
// cloud (seen dots not contiguous with vv: gaps from out-of-order deltas, and
// the sparse contexts of deltas themselves).
//
// Canonical form, kept after every mutation (so == compares sets): no vv
// entry is 0; no cloud dot is covered by vv; no cloud dot is (r, vv[r] + 1)
// (compaction moved it into vv). Removals live only here (no tombstones):
// a dot that is covered but absent from the store was removed.
//
// Bounds (barrel/limits.h, kOrMap*): limits::kOrMapReplicasMax replicas, limits::kOrMapCloudDotsMax
// cloud dots; insert() and join() that would exceed one return kLimitExceeded and leave the context
// unchanged.
//
// Thread-safety: a plain value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <span>

#include "barrel/result.h"
#include "barrel/status.h"
#include "ormap/dot.h"

namespace barrel::ormap {

class CausalContext {
 public:
  CausalContext() = default;

  // Builds a context from its canonical parts (the decoder's entry point).
  // `vv` strictly ascending by replica, counters > 0; `cloud` strictly
  // ascending, every dot valid, not covered by vv and not vv + 1.
  // Returns kMalformed naming the first violation, kOversized over a bound.
  static Result<CausalContext> from_canonical(std::span<const Dot> vv, std::span<const Dot> cloud);

  // Whether `d` was seen. REQUIRES: d.valid().
  bool contains(Dot d) const;
  // The largest counter of `r` seen (vv or cloud), 0 if none.
  uint64_t max_counter(ReplicaId r) const;
  // Whether `r` appears in vv or cloud.
  bool knows(ReplicaId r) const;

  // Adds `d` and compacts. kLimitExceeded (unchanged) if a bound would be
  // passed. REQUIRES: d.valid().
  Status insert(Dot d);
  // Set union with `o`, compacted. kLimitExceeded (unchanged) if a bound
  // would be passed.
  Status join(const CausalContext& o);

  // The dots of replica `r` with counter <= counter_max (a projection, used
  // to cut anti-entropy answers into valid deltas).
  CausalContext project(ReplicaId r, uint64_t counter_max) const;
  // Whether the dots of `r` are the same set here and in `o`.
  bool same_replica(const CausalContext& o, ReplicaId r) const;

  const std::map<ReplicaId, uint64_t>& vv() const { return vv_; }
  const std::set<Dot>& cloud() const { return cloud_; }
  // Replicas in vv or cloud.
  size_t replica_count() const;
  bool empty() const { return vv_.empty() && cloud_.empty(); }

  bool operator==(const CausalContext&) const = default;

  // Asserts the canonical form and the bounds.
  void check_invariants() const;

 private:
  // next ∪= o, compacted, without checking bounds.
  static void join_unchecked(CausalContext& next, const CausalContext& o);
  // Moves cloud dots of `r` into vv while contiguous; drops covered ones.
  void compact(ReplicaId r);
  // OK, or kLimitExceeded if this context is over a bound.
  Status check_bounds() const;

  std::map<ReplicaId, uint64_t> vv_;
  std::set<Dot> cloud_;
};

}  // namespace barrel::ormap
