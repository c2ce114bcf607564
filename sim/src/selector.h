// selector.h — resolving a NodeSelector to node indices.
//
// Explicit forms list their nodes: kAll every index in order, kNames the named
// ones in the order written, kRange first..last (1-based, inclusive). The
// action then decides what to do with a node that does not suit it (a crash
// skips a node that is not alive; a start of a live node fails the run).
// Random forms draw among the *eligible* nodes, which the action defines
// (crash and leave: live members; start: nodes not alive; join: nodes not
// members): kCount draws min(count, eligible) nodes, kFraction
// floor(eligible * fraction_ppm / 10^6), by a partial Fisher–Yates shuffle
// from the given Rng (the run's faults Rng), so the choice is reproducible and
// uniform, and the result is in draw order.
//
// Groups: kGroup lists the group's members in ascending index order; kCount
// and kFraction with a group draw among the group's eligible members only.
// Both need the run's GroupTable (groups.h); without one a group selector
// is invalid.
//
// Thread-safety: free functions.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "barrel/ids.h"
#include "barrel/rng.h"
#include "barrel/sim/scenario.h"
#include "barrel/status.h"

namespace barrel::sim {

class GroupTable;

// OK, or kInvalidArgument saying what is wrong (an unknown name, a range out
// of 1..node_count, a fraction above 10^6). The run validates every selector
// before it starts.
Status validate_selector(const NodeSelector& s, const NameTable& names, uint32_t node_count,
                         const GroupTable* groups = nullptr);

// Replaces *out with the selected indices. REQUIRES: validate_selector is OK.
void resolve_selector(const NodeSelector& s, const NameTable& names, uint32_t node_count,
                      const std::function<bool(uint32_t)>& eligible, Rng* rng,
                      std::vector<uint32_t>* out, const GroupTable* groups = nullptr);

}  // namespace barrel::sim
