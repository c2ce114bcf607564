// passive_view.h — HyParView's passive view: known peers kept as replacements.
//
// At most config.passive_size members (<= limits::kPassiveViewSizeMax), in
// insertion order, disjoint from the active view and never holding the node
// itself. Filled by FORWARD_JOIN (at PRWL), by DISCONNECT and eviction from
// the active view, and by SHUFFLE exchanges.
//
// Policy when full (the paper's): adding a node evicts a uniformly random
// member; merging a SHUFFLE sample evicts first the nodes this node sent in
// the same exchange (they now live on at the other end), then random ones.
//
// Failed peers are dropped, as in the paper (on_link_failed removes them);
// there is no per-entry retry backoff, which keeps an entry at 4 bytes.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <span>

#include "hyparview/bounded_view.h"

namespace barrel::hyparview {

class PassiveView : public BoundedView {
 public:
  // REQUIRES: 1 <= capacity <= limits::kPassiveViewSizeMax.
  explicit PassiveView(size_t capacity);

  // Adds `id` unless it is `self`, in `active` or already here; when full,
  // a random member makes room. Returns whether `id` was added.
  bool add(NodeId id, NodeId self, const BoundedView& active, Rng& rng);

  // Merges a SHUFFLE / SHUFFLE_REPLY sample: each of `nodes` is added under
  // add()'s rules, except that when full the victim is the first member of
  // `sent` still here (in `sent` order), and only if none is left a random
  // member. Returns how many nodes were added.
  size_t merge(std::span<const NodeId> nodes, std::span<const NodeId> sent, NodeId self,
               const BoundedView& active, Rng& rng);

 private:
  // Frees one slot for merge(): a member of `sent` if any is here, else random.
  void evict_for_merge(std::span<const NodeId> sent, Rng& rng);
};

}  // namespace barrel::hyparview
