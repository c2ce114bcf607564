// config_parse.h — a scenario's `config` block: the knobs of every node.
//
// HyParView keys sit at the top of the block, as the Erlang seed names them
// (and HyParViewConfig): active_size, passive_size, arwl, prwl, shuffle_ka,
// shuffle_kp, shuffle_ttl, repair_high_below (integers), shuffle_period,
// neighbor_timeout, repair_period, contact_retry (durations). The other
// parts of NodeConfig are sub-maps named as in config.h, keys as its fields:
//   plumtree: {ihave_timeout, graft_timeout, lazy_flush_period, message_ttl}
//   liveness: {probe_attempts, probe_timeout, probe_interval, probe_spread,
//              suspicion_min, suspicion_per_log2, dead_retention,
//              dead_reprobe_period, refute_interval}
//   registry: {sync_period, register_linger, sync_entries_max}
// (probe_attempts and sync_entries_max integers, the rest durations).
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
