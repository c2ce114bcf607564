// local_views.cpp — per-node view invariants (see local_views.h).
#include "checkers/local_views.h"

#include "barrel/assert.h"

namespace barrel::sim {

LocalViewChecker::LocalViewChecker(const NameTable& names, uint32_t node_count)
    : names_(names), marks_(node_count, 0) {}

bool LocalViewChecker::check(NodeId self, std::span<const NodeId> active,
                             std::span<const NodeId> passive, uint32_t active_size,
                             uint32_t passive_size, std::string* what) {
  BARREL_ASSERT(what != nullptr);
  BARREL_ASSERT(self.valid() && self.value() < marks_.size());
  if (active.size() > active_size) {
    *what = "active view holds " + std::to_string(active.size()) + " members, bound " +
            std::to_string(active_size);
    return false;
  }
  if (passive.size() > passive_size) {
    *what = "passive view holds " + std::to_string(passive.size()) + " members, bound " +
            std::to_string(passive_size);
    return false;
  }
  // Two stamps per check: 2g marks "in active", 2g + 1 "in passive".
  generation_ += 1;
  const uint64_t stamp = 2 * generation_;
  return mark_view(self, active, stamp, false, what) &&
         mark_view(self, passive, stamp + 1, true, what);
}

bool LocalViewChecker::mark_view(NodeId self, std::span<const NodeId> view, uint64_t stamp,
                                 bool passive, std::string* what) {
  const char* name = passive ? "passive" : "active";
  for (NodeId m : view) {
    if (!m.valid() || m.value() >= marks_.size()) {
      *what = std::string(name) + " view holds an unknown node id " + std::to_string(m.value());
      return false;
    }
    if (m == self) {
      *what = std::string(name) + " view holds the node itself";
      return false;
    }
    uint64_t& mark = marks_[m.value()];
    if (mark == stamp) {
      *what = std::string(name) + " view holds " + std::string(names_.name(m)) + " twice";
      return false;
    }
    if (passive && mark == stamp - 1) {
      *what = std::string(names_.name(m)) + " is in both the active and the passive view";
      return false;
    }
    mark = stamp;
  }
  return true;
}

}  // namespace barrel::sim
