// groups.h — the scenario's node groups, resolved once when a run is set up.
//
// A group (NodeGroup in scenario.h) is resolved in the order written: an
// explicit selector lists its nodes (it may name an earlier group); a random
// one (count, fraction) draws among the nodes no earlier group holds, from
// the groups Rng, so random groups are disjoint, unless it names a group
// ({group: G, count: N}: a subset of G); `rest` takes every node no earlier group holds. Members
// are kept in ascending index order, once each.
//
// Cost: O(node_count) per group at setup (a bitmap of taken nodes), then a
// lookup by name is a scan of at most kGroupsMax names, done once per step.
//
// Thread-safety: one owner.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/ids.h"
#include "barrel/rng.h"
#include "barrel/sim/scenario.h"
#include "barrel/status.h"

namespace barrel::sim {

class GroupTable {
 public:
  // Resolves `groups`; kInvalidArgument naming the group when one is invalid
  // (an unknown node or group, a range out of 1..node_count, a name twice).
  Status resolve(const std::vector<NodeGroup>& groups, const NameTable& names, uint32_t node_count,
                 Rng* rng);

  // The members of `name` in ascending index order, or null when no group has it.
  const std::vector<uint32_t>* members(std::string_view name) const;
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<uint32_t>> members_;
};

}  // namespace barrel::sim
