// partitions.cpp — the partitions in effect (semantics in partitions.h).
#include "partitions.h"

#include <utility>

#include "barrel/assert.h"
#include "barrel/sim/scenario.h"

namespace barrel::sim {

bool Partitions::in_effect(uint32_t serial) const {
  for (const Cut& c : cuts_) {
    if (c.serial == serial)
      return true;
  }
  return false;
}

uint32_t Partitions::add(const std::string& name, std::vector<uint16_t> group) {
  BARREL_ASSERT(cuts_.size() < kPartitionsActiveMax);
  BARREL_ASSERT(group.size() == node_count_);
  const uint32_t serial = next_serial_++;
  cuts_.push_back(Cut{serial, name, std::move(group), false});
  return serial;
}

uint32_t Partitions::add_one_way(const std::string& name, std::vector<uint16_t> side) {
  BARREL_ASSERT(cuts_.size() < kPartitionsActiveMax);
  BARREL_ASSERT(side.size() == node_count_);
  const uint32_t serial = next_serial_++;
  cuts_.push_back(Cut{serial, name, std::move(side), true});
  return serial;
}

void Partitions::heal(const std::string& name, std::vector<uint32_t>* healed) {
  BARREL_ASSERT(healed != nullptr);
  const size_t before = cuts_.size();
  size_t kept = 0;
  for (size_t i = 0; i < cuts_.size(); ++i) {
    if (name.empty() || cuts_[i].name == name) {
      healed->push_back(cuts_[i].serial);
      continue;
    }
    if (kept != i)
      cuts_[kept] = std::move(cuts_[i]);
    kept += 1;
  }
  cuts_.resize(kept);
  BARREL_ASSERT(cuts_.size() <= before);
}

}  // namespace barrel::sim
