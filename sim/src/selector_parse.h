// selector_parse.h — reading node selectors and node-name lists of a scenario.
//
// Selector forms (exactly one):
//   all                       every node
//   "node3@sim"               one node, by name
//   [node1@sim, node2@sim]    a list of names (non-empty, no duplicates)
//   {range: [A, B]}           nodes A..B by 1-based index, 1 <= A <= B <= count
//   {count: N}                N nodes drawn at random, 1 <= N <= count
//   {fraction: F}             a fraction of the eligible nodes, 0 < F <= 1
//   GROUP or {group: GROUP}   every node of a group (top-level `groups:`)
//   {group: GROUP, count: N} or {group: GROUP, fraction: F}
//                             a draw among the eligible nodes of the group
// Every name must be a node of the scenario, every group one defined before
// (NodeNames knows both).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "barrel/sim/scenario.h"
#include "barrel/status.h"
#include "node_names.h"
#include "yaml_schema.h"

namespace barrel::sim {

inline constexpr std::string_view kSelectorForm =
    "all, a node name, a group name, a list of node names, {range: [A, B]}, {count: N}, "
    "{fraction: F} or {group: NAME} (with count: N or fraction: F to draw within it)";

Status parse_selector(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                      std::string_view path, NodeSelector* out);

// A group name defined before, into out->group.
Status parse_group_name(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                        std::string_view path, NodeSelector* out);

// A non-empty list of distinct scenario node names, at most `items_max`.
Status parse_name_list(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                       std::string_view path, size_t items_max, std::vector<std::string>* out);

}  // namespace barrel::sim
