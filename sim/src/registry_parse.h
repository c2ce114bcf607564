// registry_parse.h — reading the registry steps of a timeline and the
// registry checks of `expect`.
//
// Forms:
//   register: {nodes: SELECTOR, service: PATTERN, count: K, metadata: {KEY: VALUE, ...}}
//   unregister: {nodes: SELECTOR, service: PATTERN, count: K}
//   lookup: {from: SELECTOR, service: PATTERN, count: N}
//     (each selected member looks up N names: "{i}" a random node index,
//     "{k}" 1..N; N is 1..kLookupsPerNodeMax, default 1)
//   expect: registry_converged: true [within: DURATION] | no_live_dead: true
// PATTERN is a service name in which "{i}" stands for the node's 1-based
// index and "{k}" for 1..K (service_pattern.h); every expansion must be
// 1..limits::kOrMapKeyBytesMax bytes. K (count) is 1..limits::kLocalServicesMax,
// default 1. Metadata (optional) is a flat map of text to text within the
// core's bounds (limits::kMetadata*).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "barrel/sim/scenario.h"
#include "barrel/status.h"
#include "node_names.h"
#include "yaml_schema.h"

namespace barrel::sim {

inline constexpr std::string_view kRegisterForm =
    "{nodes: SELECTOR, service: PATTERN, count: N, metadata: {KEY: VALUE, ...}} (count, "
    "metadata optional)";
inline constexpr std::string_view kUnregisterForm =
    "{nodes: SELECTOR, service: PATTERN, count: N} (count optional)";
inline constexpr std::string_view kLookupForm =
    "{from: SELECTOR, service: PATTERN, count: N} (count optional)";
// Lookups one node makes in one lookup step.
inline constexpr uint64_t kLookupsPerNodeMax = 10'000;

Status parse_register(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                      const std::string& path, Step* step);
Status parse_unregister(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                        const std::string& path, Step* step);

Status parse_lookup(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                    const std::string& path, Step* step);

// `check` is registry_converged or no_live_dead; reads its value (true) and,
// for registry_converged, the optional `within` of the map.
Status parse_registry_check(const YamlReader& reader, const MapReader& map,
                            const std::string& check, const Scenario& scenario, Expectation* e);

}  // namespace barrel::sim
