// local_views.cpp — per-node view invariants (see local_views.h).
#include "checkers/local_views.h"

#include "barrel/assert.h"

namespace barrel::sim {

LocalViewChecker::LocalViewChecker(const NameTable& names, uint32_t node_count)
    : names_(names), node_count_(node_count) {}

namespace {

// A member's bit in the 1024-bit filter: the top 10 bits of a multiplicative
// hash, so neighbouring ids spread.
uint32_t filter_bit(NodeId m) {
  return (m.value() * 0x9E3779B1u) >> 22;
}

bool contains(std::span<const NodeId> view, size_t end, NodeId m) {
  for (size_t k = 0; k < end; ++k) {
    if (view[k] == m)
      return true;
  }
  return false;
}

}  // namespace

bool LocalViewChecker::check(NodeId self, std::span<const NodeId> active,
                             std::span<const NodeId> passive, uint32_t active_size,
                             uint32_t passive_size, std::string* what) {
  BARREL_ASSERT(what != nullptr);
  BARREL_ASSERT(self.valid() && self.value() < node_count_);
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
  uint64_t filter[16] = {};
  // The active view first, then the passive one: the same first violation,
  // and the same sentence, as a check of the views in that order.
  for (int passive_side = 0; passive_side < 2; ++passive_side) {
    const std::span<const NodeId> view = passive_side != 0 ? passive : active;
    const char* name = passive_side != 0 ? "passive" : "active";
    for (size_t k = 0; k < view.size(); ++k) {
      const NodeId m = view[k];
      if (!m.valid() || m.value() >= node_count_) {
        *what = std::string(name) + " view holds an unknown node id " + std::to_string(m.value());
        return false;
      }
      if (m == self) {
        *what = std::string(name) + " view holds the node itself";
        return false;
      }
      const uint32_t bit = filter_bit(m);
      uint64_t& word = filter[bit / 64];
      const uint64_t mask = uint64_t{1} << (bit % 64);
      if ((word & mask) != 0) {  // maybe seen: look
        if (passive_side != 0 && contains(active, active.size(), m)) {
          *what = std::string(names_.name(m)) + " is in both the active and the passive view";
          return false;
        }
        if (contains(view, k, m)) {
          *what = std::string(name) + " view holds " + std::string(names_.name(m)) + " twice";
          return false;
        }
      }
      word |= mask;
    }
  }
  return true;
}

}  // namespace barrel::sim
