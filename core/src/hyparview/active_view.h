// active_view.h — HyParView's active view: the symmetric, monitored links.
//
// At most config.active_size members (<= limits::kActiveViewSizeMax), in the
// order they were admitted. Every member has an OpenLink outstanding and has
// (or is about to have) this node in its own active view.
//
// Policy when full: admitting a node first evicts a uniformly random member
// (evict_random()); the protocol tells it with DISCONNECT and moves it to the
// passive view (hyparview.cpp).
//
// Thread-safety: none (owned by one Node).
#pragma once

#include "hyparview/bounded_view.h"

namespace barrel::hyparview {

class ActiveView : public BoundedView {
 public:
  // REQUIRES: 1 <= capacity <= limits::kActiveViewSizeMax.
  explicit ActiveView(size_t capacity);

  // Removes and returns a uniformly random member. REQUIRES: !empty().
  NodeId evict_random(Rng& rng);
};

}  // namespace barrel::hyparview
