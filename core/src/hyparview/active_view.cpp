// active_view.cpp — see active_view.h.
#include "hyparview/active_view.h"

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::hyparview {

ActiveView::ActiveView(size_t capacity) : BoundedView(capacity) {
  BARREL_ASSERT(capacity <= limits::kActiveViewSizeMax);
}

NodeId ActiveView::evict_random(Rng& rng) {
  BARREL_ASSERT(!empty());
  const size_t before = size();
  const NodeId victim = remove_at(random_index(rng));
  BARREL_ASSERT(size() + 1 == before);
  return victim;
}

}  // namespace barrel::hyparview
