// network_parse.h — reading the `network:` section of a scenario, and the
// one-way form of a partition step.
//
// Forms (every key optional; scenarios/README.md has an example of each):
//   network:
//     latency: LATENCY
//     links: [{from: SELECTOR, to: SELECTOR, latency: LATENCY}, ...]   1..16
//     detection_delay: DURATION
//     wire: BOOL
//     loss: FRACTION in [0, 1)
//     duplicate: FRACTION in [0, 1]
//     reorder: FRACTION in [0, 1] | {fraction: F, delay: DURATION}
//     bandwidth: BYTES_PER_SECOND (an integer >= 1)
//     clock: {drift_ppm: PPM | {uniform: [PPM, PPM]},
//             offset: DURATION | {uniform: [DURATION, DURATION]}}
//   LATENCY :=
//     DURATION                                        constant
//     {uniform: [MIN, MAX]}
//     {normal: {mean: D, stddev: D, min: D, max: D}}  min, max optional
//     {lognormal: {median: D, sigma: S, min: D, max: D}}
// S is a decimal in (0, 3] (the standard deviation of ln latency; mu is
// ln(median)). Without min and max the defaults of latency_model.h apply; a
// draw is clamped to [min, max]. PPM is a signed integer within
// +-kClockDriftPpmMax.
//
// One-way cut (a timeline `partition:` with `one_way` instead of `groups`):
//   partition: {name: NAME, one_way: {from: SELECTOR, to: SELECTOR}}
// Neither selector is `all`; explicit selectors must not share a node.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "barrel/sim/scenario.h"
#include "barrel/status.h"
#include "node_names.h"
#include "yaml_schema.h"

namespace barrel::sim {

inline constexpr std::string_view kLatencyForm =
    "a duration (e.g. 50ms), {uniform: [MIN, MAX]}, {normal: {mean: D, stddev: D}} or "
    "{lognormal: {median: D, sigma: S}} (min and max optional)";
inline constexpr std::string_view kOneWayForm = "{from: SELECTOR, to: SELECTOR}";

Status parse_network(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                     NetworkSpec* out);

Status parse_latency(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                     LatencyModel* out);

// The value of a partition's `one_way` key into *p (one_way, from, to).
Status parse_one_way_cut(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                         const std::string& path, PartitionAction* p);

}  // namespace barrel::sim
