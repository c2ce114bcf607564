// node_names.h — the names of a scenario's nodes, from a pattern.
//
// A scenario names its nodes by a pattern holding "{i}" exactly once, e.g.
// "node{i}@sim": node i (1-based) is the pattern with "{i}" replaced by the
// decimal i. Since "{i}" occurs once, the mapping is one-to-one and a name is
// mapped back to its index by matching the fixed prefix and suffix, without
// building a table of every name (scenarios may have 10^5 nodes or more).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace barrel::sim {

class NodeNames {
 public:
  // Checks that `pattern` holds "{i}" once and that names 1 and `count` (the
  // shortest and the longest) are valid node names (validate_node_name).
  // Returns false and sets *why on failure. REQUIRES: count >= 1.
  static bool make(std::string_view pattern, uint32_t count, NodeNames* out, std::string* why);

  uint32_t count() const { return count_; }
  // REQUIRES: 1 <= index <= count().
  std::string name(uint32_t index) const;
  // The 1-based index of `name`, or 0 when it is not a node of the scenario.
  uint32_t index_of(std::string_view name) const;
  // "node1@sim .. node1000@sim", for messages.
  std::string describe() const;

  // The scenario's group names (top-level `groups:`), known to selectors
  // read after them. Bounded by kGroupsMax (the loader checks).
  void add_group(std::string name) { groups_.push_back(std::move(name)); }
  bool has_group(std::string_view name) const {
    for (const std::string& g : groups_) {
      if (g == name)
        return true;
    }
    return false;
  }
  const std::vector<std::string>& groups() const { return groups_; }

 private:
  std::vector<std::string> groups_;
  std::string prefix_;
  std::string suffix_;
  uint32_t count_ = 0;
};

}  // namespace barrel::sim
