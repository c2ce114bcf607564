// fault_parse.h — reading the fault actions of a timeline step (partition,
// heal, restart), the network's `loss`, and the checks that span steps
// (partition names distinct, every heal naming an earlier partition).
//
// Forms:
//   partition: {name: NAME, groups: [SELECTOR, ...]}   name optional
//   partition: {name: NAME, one_way: {from: SEL, to: SEL}}   (network_parse.h)
//   heal: NAME | all
//   restart: {nodes: SELECTOR, after: DURATION, contacts: [NAMES], identity: keep|new}
//            (identity optional, default keep; see RestartAction)
//   network.loss: FRACTION in [0, 1)
// A partition's groups are 1..kPartitionGroupsMax selectors, none `all`, and
// explicit ones (names, ranges) must not share a node. Partition and heal
// steps take no every/until.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "barrel/sim/scenario.h"
#include "barrel/status.h"
#include "node_names.h"
#include "yaml_schema.h"

namespace barrel::sim {

inline constexpr std::string_view kPartitionForm =
    "{name: NAME, groups: [SELECTOR, ...]} or {name: NAME, one_way: {from: SELECTOR, to: "
    "SELECTOR}} (name optional)";
inline constexpr std::string_view kHealForm = "all or the name of an earlier partition step";
inline constexpr std::string_view kRestartForm =
    "{nodes: SELECTOR, after: DURATION, contacts: [NAMES], identity: keep|new} (identity "
    "optional)";
inline constexpr std::string_view kLossForm =
    "a fraction in [0, 1) as a decimal or a percentage (e.g. 0.01 or \"1%\")";

Status parse_partition(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                       const std::string& path, Step* step);
Status parse_heal(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                  Step* step);
// REQUIRES: step->at, every, until are set (the restart must end by `duration`).
Status parse_restart(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                     const std::string& path, Duration duration, Step* step);

// After the whole timeline is read: partition names are distinct, and each
// named heal follows (by instant, then file order) a partition of that name.
// `timeline` is the YAML list the steps came from, for error locations.
Status check_fault_steps(const YamlReader& reader, const YAML::Node& timeline,
                         const Scenario& scenario);

Status read_loss(const YamlReader& reader, const YAML::Node& node, Ppm* out);

}  // namespace barrel::sim
