// passive_view.cpp — see passive_view.h.
#include "hyparview/passive_view.h"

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::hyparview {

PassiveView::PassiveView(size_t capacity) : BoundedView(capacity) {
  BARREL_ASSERT(capacity <= limits::kPassiveViewSizeMax);
}

bool PassiveView::add(NodeId id, NodeId self, const BoundedView& active, Rng& rng) {
  BARREL_ASSERT(id.valid());
  if (id == self || active.contains(id) || contains(id))
    return false;
  if (full())
    remove_at(random_index(rng));
  insert(id);
  BARREL_ASSERT(size() <= capacity());
  return true;
}

size_t PassiveView::merge(std::span<const NodeId> nodes, std::span<const NodeId> sent, NodeId self,
                          const BoundedView& active, Rng& rng) {
  BARREL_ASSERT(nodes.size() <= limits::kShuffleNodesMax);
  size_t added = 0;
  for (NodeId id : nodes) {
    BARREL_ASSERT(id.valid());
    if (id == self || active.contains(id) || contains(id))
      continue;
    if (full())
      evict_for_merge(sent, rng);
    insert(id);
    ++added;
  }
  BARREL_ASSERT(added <= nodes.size());
  return added;
}

void PassiveView::evict_for_merge(std::span<const NodeId> sent, Rng& rng) {
  BARREL_ASSERT(full());
  for (NodeId id : sent) {
    if (remove(id))
      return;
  }
  remove_at(random_index(rng));
}

}  // namespace barrel::hyparview
