// group_parse.h — reading the top-level `groups:` of a scenario.
//
// Form: a map from group name to its members, in the order they resolve:
//   groups:
//     seeds: [node1@sim, node2@sim]       any selector (selector_parse.h)
//     east: {range: [1, 500]}
//     crashy: {count: 50}                 drawn among the nodes of no earlier group
//     west: rest                          the nodes of no earlier group
// A name is 1..kGroupNameBytesMax letters, digits, '-' or '_' (never `all`
// or `rest`, never twice); a selector may name groups written above it.
// After it, NodeNames knows the group names, so every selector read later
// accepts them.
#pragma once

#include <yaml-cpp/yaml.h>

#include "barrel/sim/scenario.h"
#include "barrel/status.h"
#include "node_names.h"
#include "yaml_schema.h"

namespace barrel::sim {

inline constexpr size_t kGroupNameBytesMax = 64;

Status parse_groups(const YamlReader& reader, const YAML::Node& node, NodeNames* names,
                    Scenario* scenario);

}  // namespace barrel::sim
