// delta.h — the delta mutators of the OR-Map, and delta groups.
//
// Each mutator applies an operation to a replica's map and returns the delta
// (Almeida et al. 2018, §4): the smallest ORMap whose join into any replica
// that has seen the same past has the operation's effect. A delta is an
// ORMap, so a delta group (deltas buffered for one peer, or received ones
// being batched) is simply their join (join_delta below).
//
// The deltas, by operation:
//   add(r, k, v)       store {k: {d: v}} with d = the next dot of r; context
//                      {d} ∪ the dots of (k, v) the map held, so re-adding a
//                      value replaces its old entries (observed-remove).
//   remove(k, v)       empty store; context = the dots of (k, v) observed.
//   remove_key(k)      empty store; context = every dot under k observed.
//   remove_dots_if(p)  empty store; context = the dots of the entries p
//                      selects (the registry: all entries of a dead node).
// A remove covers only observed dots, so an add concurrent with it wins.
//
// Each mutator leaves `map` unchanged when it returns an error.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "barrel/result.h"
#include "barrel/status.h"
#include "ormap/dot.h"
#include "ormap/ormap.h"

namespace barrel::ormap {

// A delta is a (small) OR-Map; naming it documents intent at call sites.
using Delta = ORMap;

// Adds (key, value) as replica `replica` and returns the delta.
// REQUIRES: map != nullptr; `replica` is this map owner's own replica id.
// Returns kInvalidArgument (empty or too long key, too long value),
// kLimitExceeded (a bound of barrel/limits.h would be passed).
Result<Delta> add(ORMap* map, ReplicaId replica, std::string_view key, std::string_view value);

// Removes every observed entry (key, value). Returns the delta (empty store,
// context of the removed dots; an empty delta if there was none).
Result<Delta> remove(ORMap* map, std::string_view key, std::string_view value);

// Removes every observed entry under `key`.
Result<Delta> remove_key(ORMap* map, std::string_view key);

// Selects entries by (key, dot, value).
using EntryPredicate = std::function<bool(std::string_view key, Dot dot, std::string_view value)>;

// Removes at most `dots_max` entries that `pred` selects, in (key, dot) order,
// and returns their delta. Bounded work per call: a caller with more to remove
// calls again until the returned delta's context is empty.
// REQUIRES: 1 <= dots_max <= limits::kOrMapCloudDotsMax (a delta's context must fit).
Result<Delta> remove_dots_if(ORMap* map, const EntryPredicate& pred, size_t dots_max);

// Adds `delta` to a delta group (join). kLimitExceeded if the group would
// pass a bound (then it is unchanged: send the group and start a new one).
Status join_delta(Delta* group, const Delta& delta);

}  // namespace barrel::ormap
