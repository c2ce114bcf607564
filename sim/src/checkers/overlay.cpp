// overlay.cpp — connectivity, symmetry, view bounds, minimum degree of the
// members' active views (see overlay.h).
#include "checkers/overlay.h"

#include <algorithm>

#include "barrel/assert.h"

namespace barrel::sim {
namespace {

bool is_member(std::span<const ViewRef> views, NodeId id) {
  return id.valid() && id.value() < views.size() && views[id.value()].member;
}

bool holds(std::span<const NodeId> view, NodeId id) {
  return std::find(view.begin(), view.end(), id) != view.end();
}

}  // namespace

uint32_t OverlayChecker::find(uint32_t i) {
  // Path halving: every step points a node at its grandparent.
  while (parent_[i] != i) {
    parent_[i] = parent_[parent_[i]];
    i = parent_[i];
  }
  return i;
}

ConnectivityResult OverlayChecker::connectivity(std::span<const ViewRef> views) {
  const auto n = static_cast<uint32_t>(views.size());
  parent_.resize(n);
  for (uint32_t i = 0; i < n; ++i)
    parent_[i] = i;
  ConnectivityResult r;
  for (uint32_t a = 0; a < n; ++a) {
    if (!views[a].member)
      continue;
    r.members += 1;
    for (NodeId b : views[a].active) {
      if (!is_member(views, b))
        continue;
      const uint32_t ra = find(a);
      const uint32_t rb = find(b.value());
      if (ra != rb)
        parent_[std::max(ra, rb)] = std::min(ra, rb);
    }
  }
  // Component sizes, counted at the roots in a second pass.
  std::vector<uint32_t>& sizes = sizes_;
  sizes.assign(n, 0);
  for (uint32_t a = 0; a < n; ++a) {
    if (!views[a].member)
      continue;
    uint32_t& s = sizes[find(a)];
    if (s == 0)
      r.components += 1;
    s += 1;
    r.largest = std::max(r.largest, s);
  }
  BARREL_ASSERT(r.components <= r.members);
  BARREL_ASSERT(r.largest <= r.members);
  return r;
}

SymmetryResult OverlayChecker::symmetry(std::span<const ViewRef> views) {
  SymmetryResult r;
  for (uint32_t a = 0; a < views.size(); ++a) {
    if (!views[a].member)
      continue;
    for (NodeId b : views[a].active) {
      const bool dangling = !is_member(views, b);
      const bool one_way = !dangling && !holds(views[b.value()].active, NodeId(a));
      if (!dangling && !one_way)
        continue;
      r.dangling += dangling ? 1 : 0;
      r.one_way += one_way ? 1 : 0;
      if (!r.example_from.valid()) {
        r.example_from = NodeId(a);
        r.example_to = b;
      }
    }
  }
  return r;
}

bool OverlayChecker::asymmetric_links(std::span<const ViewRef> views, size_t max,
                                      std::vector<std::pair<NodeId, NodeId>>* out) {
  BARREL_ASSERT(out != nullptr);
  for (uint32_t a = 0; a < views.size(); ++a) {
    if (!views[a].member)
      continue;
    for (NodeId b : views[a].active) {
      if (!still_asymmetric(views, NodeId(a), b))
        continue;
      if (out->size() >= max)
        return false;
      out->emplace_back(NodeId(a), b);
    }
  }
  return true;
}

bool OverlayChecker::still_asymmetric(std::span<const ViewRef> views, NodeId a, NodeId b) {
  BARREL_ASSERT(a.valid() && a.value() < views.size());
  const ViewRef& va = views[a.value()];
  if (!va.member || !holds(va.active, b))
    return false;
  return !is_member(views, b) || !holds(views[b.value()].active, a);
}

ViewBoundsResult OverlayChecker::view_bounds(std::span<const ViewRef> views, uint32_t active_size,
                                             uint32_t passive_size) {
  ViewBoundsResult r;
  for (uint32_t a = 0; a < views.size(); ++a) {
    if (!views[a].member)
      continue;
    const auto act = static_cast<uint32_t>(views[a].active.size());
    const auto pas = static_cast<uint32_t>(views[a].passive.size());
    r.max_active = std::max(r.max_active, act);
    r.max_passive = std::max(r.max_passive, pas);
    if (act > active_size || pas > passive_size) {
      if (r.violations == 0)
        r.example = NodeId(a);
      r.violations += 1;
    }
  }
  return r;
}

ActiveMinResult OverlayChecker::active_min(std::span<const ViewRef> views) {
  ActiveMinResult r;
  for (uint32_t a = 0; a < views.size(); ++a) {
    if (!views[a].member)
      continue;
    const auto act = static_cast<uint32_t>(views[a].active.size());
    if (act < r.min_active) {
      r.min_active = act;
      r.example = NodeId(a);
    }
  }
  return r;
}

}  // namespace barrel::sim
