// replica_id.h — the OR-Map replica id of a node life, and the name hash.
//
// A node's registry replica is one (node name, boot) pair: a restart boots
// with a larger boot incarnation and so becomes a new replica, whose dot
// counters start at 1 again without colliding with its previous life's
// (ormap/dot.h explains why a reused id would make new adds look removed).
//
// replica_id(name, boot) = splitmix64 over (fnv1a64(name) mixed with boot):
//   - content-based: every process computes the same id for the same life, so
//     a receiver can check that an entry's (node, boot) matches its dot's
//     replica (registry.cpp rejects a delta where it does not);
//   - unique per (name, boot) up to 64-bit hash collisions (~n^2 / 2^65 for
//     n lives; 1e-10 for 60k lives), far below every other failure rate;
//   - no NodeId handle, no Rng: both differ between processes.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "ormap/dot.h"

namespace barrel::registry {

// FNV-1a, 64-bit, of `bytes` (deterministic across platforms).
uint64_t fnv1a64(std::string_view bytes);

// The replica id of node `node_name` in its life `boot`.
ormap::ReplicaId replica_id(std::string_view node_name, uint64_t boot);

}  // namespace barrel::registry
