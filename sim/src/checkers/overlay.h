// overlay.h — cluster-wide overlay properties, measured from outside the core
// over a snapshot of every node's views: connectivity, symmetry, view bounds
// and the minimum active degree.
//
// The snapshot is one ViewRef per node index (index == NodeId value in the
// simulator). Only *members* count: nodes that are alive and have not left.
// Links are the members' active views:
//   - connectivity: the active views as an undirected graph over the members
//     (an entry naming a non-member is ignored); "connected" means at most one
//     component (zero members count as connected).
//   - symmetry: for every member a and every b in active(a): b is a member
//     (else the entry "dangles": a crash not yet detected) and a is in
//     active(b) (else the link is "one-way"). Symmetric means neither happens;
//     this is stricter than the pairwise definition in scenario.h, on purpose:
//     an overlay still pointing at dead nodes has not healed.
//
// Cost: connectivity O(members * active) with a reused union-find; symmetry
// O(members * active^2); bounds O(members). No allocation after the first
// call at a given size.
//
// Thread-safety: one owner.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "barrel/ids.h"

namespace barrel::sim {

struct ViewRef {
  bool member = false;  // alive and not left
  std::span<const NodeId> active;
  std::span<const NodeId> passive;
};

struct ConnectivityResult {
  uint32_t members = 0;
  uint32_t components = 0;
  uint32_t largest = 0;  // members in the largest component
  bool connected() const { return components <= 1; }
};

struct SymmetryResult {
  uint64_t one_way = 0;   // b in active(a) but a not in active(b)
  uint64_t dangling = 0;  // b in active(a) but b is no member
  NodeId example_from;    // the first offending entry, if any
  NodeId example_to;
  bool symmetric() const { return one_way == 0 && dangling == 0; }
};

struct ViewBoundsResult {
  uint32_t max_active = 0;
  uint32_t max_passive = 0;
  uint32_t violations = 0;  // members above a bound
  NodeId example;           // the first member above a bound, if any
  bool within() const { return violations == 0; }
};

struct ActiveMinResult {
  uint32_t min_active = UINT32_MAX;  // UINT32_MAX when there are no members
  NodeId example;                    // a member with min_active members
};

class OverlayChecker {
 public:
  ConnectivityResult connectivity(std::span<const ViewRef> views);
  static SymmetryResult symmetry(std::span<const ViewRef> views);
  // Appends to *out the (a, b) entries that break symmetry (b in active(a) and
  // b no member, or a not in active(b)), at most `max` of them. Returns false
  // if there were more than `max`.
  static bool asymmetric_links(std::span<const ViewRef> views, size_t max,
                               std::vector<std::pair<NodeId, NodeId>>* out);
  // Whether the entry b in active(a) still breaks symmetry (false if a is no
  // longer a member or b left a's view).
  static bool still_asymmetric(std::span<const ViewRef> views, NodeId a, NodeId b);
  static ViewBoundsResult view_bounds(std::span<const ViewRef> views, uint32_t active_size,
                                      uint32_t passive_size);
  static ActiveMinResult active_min(std::span<const ViewRef> views);

 private:
  uint32_t find(uint32_t i);
  std::vector<uint32_t> parent_;  // union-find over node indices
  std::vector<uint32_t> sizes_;   // component sizes at the roots
};

}  // namespace barrel::sim
