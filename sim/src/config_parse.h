// config_parse.h — a scenario's `config` block: the HyParView knobs of every node.
//
// Keys are the Erlang seed's (and HyParViewConfig's) names: active_size,
// passive_size, arwl, prwl, shuffle_ka, shuffle_kp, shuffle_ttl (integers),
// shuffle_period, neighbor_timeout, repair_period, contact_retry (durations).
// Keys left out keep NodeConfig's defaults. The result must pass
// NodeConfig::validate(); when it does not, the error points at the key the
// validation names (or at the block when it names no single key).
#pragma once

#include <yaml-cpp/yaml.h>

#include "barrel/config.h"
#include "barrel/status.h"
#include "yaml_schema.h"

namespace barrel::sim {

Status parse_config(const YamlReader& reader, const YAML::Node& node, NodeConfig* out);

}  // namespace barrel::sim
