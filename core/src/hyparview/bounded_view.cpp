// bounded_view.cpp — see bounded_view.h.
#include "hyparview/bounded_view.h"

#include <algorithm>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::hyparview {

BoundedView::BoundedView(size_t capacity) : capacity_(static_cast<uint32_t>(capacity)) {
  BARREL_ASSERT(capacity >= 1);
  BARREL_ASSERT(capacity <= limits::kPassiveViewSizeMax);
  members_.reserve(capacity);
}

bool BoundedView::contains(NodeId id) const {
  return std::find(members_.begin(), members_.end(), id) != members_.end();
}

NodeId BoundedView::at(size_t i) const {
  BARREL_ASSERT(i < members_.size());
  return members_[i];
}

void BoundedView::insert(NodeId id) {
  BARREL_ASSERT(id.valid());
  BARREL_ASSERT(!full());
  BARREL_ASSERT(!contains(id));
  members_.push_back(id);
  ++version_;
}

bool BoundedView::remove(NodeId id) {
  auto it = std::find(members_.begin(), members_.end(), id);
  if (it == members_.end())
    return false;
  members_.erase(it);
  ++version_;
  BARREL_ASSERT(!contains(id));
  return true;
}

NodeId BoundedView::remove_at(size_t i) {
  BARREL_ASSERT(i < members_.size());
  const NodeId id = members_[i];
  members_.erase(members_.begin() + static_cast<std::ptrdiff_t>(i));
  ++version_;
  return id;
}

size_t BoundedView::random_index(Rng& rng) const {
  BARREL_ASSERT(!members_.empty());
  return static_cast<size_t>(rng.uniform(members_.size()));
}

NodeId BoundedView::random_member_except(Rng& rng, NodeId a, NodeId b) const {
  size_t eligible = 0;
  for (NodeId m : members_)
    eligible += (m != a && m != b) ? 1 : 0;
  if (eligible == 0)
    return NodeId::invalid();
  // The k-th eligible member in insertion order: one draw, whatever the
  // positions of the excluded ones.
  size_t k = static_cast<size_t>(rng.uniform(eligible));
  for (NodeId m : members_) {
    if (m == a || m == b)
      continue;
    if (k == 0)
      return m;
    --k;
  }
  BARREL_ASSERT(false);  // unreachable: k < eligible
  return NodeId::invalid();
}

void BoundedView::check_invariants() const {
  BARREL_ASSERT(members_.size() <= capacity_);
  if constexpr (kVerify) {  // O(n^2); add() already refuses a member twice
    for (size_t i = 0; i < members_.size(); ++i) {
      BARREL_ASSERT(members_[i].valid());
      for (size_t j = i + 1; j < members_.size(); ++j)
        BARREL_ASSERT(members_[i] != members_[j]);
    }
  }
}

}  // namespace barrel::hyparview
