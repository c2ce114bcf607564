// join_diff.h — what joining a delta into an OR-Map would change.
//
// The registry reports every entry a join adds or removes as an event, so it
// computes the difference before joining, from the same rule ORMap::join
// applies (ormap.h): an entry of `map` goes if `delta`'s context covers its
// dot and `delta` does not hold it; an entry of `delta` comes if `map` neither
// holds its dot nor has seen it. Computed without copying the map: removals
// by ranges of the map's dot index per version-vector entry of the delta.
//
// Thread-safety: pure function.
#pragma once

#include <vector>

#include "ormap/delta.h"
#include "ormap/ormap.h"

namespace barrel::registry {

struct JoinDiff {
  std::vector<ormap::Entry> removed;  // entries of the map that would go, by dot
  std::vector<ormap::Entry> added;    // entries of the delta that would come, by (key, dot)
  bool empty() const { return removed.empty() && added.empty(); }
};

// What map.join(delta) changes, if it succeeds.
JoinDiff join_diff(const ormap::ORMap& map, const ormap::Delta& delta);

}  // namespace barrel::registry
