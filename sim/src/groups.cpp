// groups.cpp — resolving the scenario's node groups (see groups.h).
#include "groups.h"

#include <algorithm>

#include "barrel/assert.h"
#include "selector.h"

namespace barrel::sim {

Status GroupTable::resolve(const std::vector<NodeGroup>& groups, const NameTable& names,
                           uint32_t node_count, Rng* rng) {
  BARREL_ASSERT(rng != nullptr);
  BARREL_ASSERT(groups.size() <= kGroupsMax);
  names_.clear();
  members_.clear();
  std::vector<bool> taken(node_count, false);
  std::vector<uint32_t> selected;
  for (const NodeGroup& g : groups) {
    if (members(g.name) != nullptr)
      return Status::invalid_argument("group '" + g.name + "' is defined twice");
    selected.clear();
    if (g.rest) {
      for (uint32_t i = 0; i < node_count; ++i) {
        if (!taken[i])
          selected.push_back(i);
      }
    } else {
      if (Status s = validate_selector(g.members, names, node_count, this); !s.is_ok())
        return Status::invalid_argument("group '" + g.name + "': " + std::string(s.message()));
      // An unqualified random draw avoids the earlier groups; a draw within
      // a named group draws among that group's members.
      const bool within = !g.members.group.empty();
      resolve_selector(
          g.members, names, node_count,
          [&taken, within](uint32_t i) { return within || !taken[i]; }, rng, &selected, this);
      std::sort(selected.begin(), selected.end());
      selected.erase(std::unique(selected.begin(), selected.end()), selected.end());
    }
    for (uint32_t i : selected)
      taken[i] = true;
    names_.push_back(g.name);
    members_.push_back(selected);
  }
  BARREL_ASSERT(names_.size() == members_.size());
  return Status::ok();
}

const std::vector<uint32_t>* GroupTable::members(std::string_view name) const {
  for (size_t g = 0; g < names_.size(); ++g) {
    if (names_[g] == name)
      return &members_[g];
  }
  return nullptr;
}

}  // namespace barrel::sim
