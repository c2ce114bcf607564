// config_parse.cpp — typed reads of the HyParView, Plumtree, liveness and
// registry knobs, then NodeConfig::validate().
#include "config_parse.h"

#include <limits>
#include <string>

#include "barrel/assert.h"

namespace barrel::sim {
namespace {

constexpr std::string_view kConfigForm =
    "{active_size: N, passive_size: N, arwl: N, prwl: N, shuffle_ka: N, shuffle_kp: N, "
    "shuffle_ttl: N, shuffle_period: DURATION, neighbor_timeout: DURATION, repair_period: "
    "DURATION, repair_high_below: N, repair_parallel: N, contact_retry: DURATION, plumtree: {...}, "
    "liveness: {...}, "
    "registry: {...}}";
constexpr std::string_view kPlumtreeForm =
    "{ihave_timeout: DURATION, graft_timeout: DURATION, lazy_flush_period: DURATION, "
    "message_ttl: DURATION}";
constexpr std::string_view kLivenessForm =
    "{probe_attempts: N, probe_timeout: DURATION, probe_interval: DURATION, probe_spread: "
    "DURATION, suspicion_min: DURATION, suspicion_per_log2: DURATION, dead_retention: DURATION, "
    "dead_reprobe_period: DURATION, refute_interval: DURATION}";
constexpr std::string_view kRegistryForm =
    "{sync_period: DURATION, register_linger: DURATION, sync_entries_max: N}";

// The block and its sub-maps (open ones only), for locating a validation error.
struct ConfigMaps {
  MapReader top, plumtree, liveness, registry;
};

// Reads an integer key into a field of type T; the read range is T's, and
// validate() checks the real range afterwards so the message names it.
template <typename T>
Status read_int_key(const YamlReader& reader, const MapReader& map, std::string_view key, T* out) {
  if (!map.has(key))
    return Status::ok();
  uint64_t v = 0;
  const uint64_t max = std::numeric_limits<T>::max();
  BARREL_SIM_TRY(reader.read_uint(map.get(key), map.path_of(key), 0, max, &v));
  *out = static_cast<T>(v);
  return Status::ok();
}

Status read_duration_key(const YamlReader& reader, const MapReader& map, std::string_view key,
                         Duration* out) {
  if (!map.has(key))
    return Status::ok();
  return reader.read_duration(map.get(key), map.path_of(key), Duration::zero(), out);
}

// validate() says "SECTION.FIELD out of range (RANGE)": point at FIELD's
// value when the block sets it (hyparview fields at the top, the others in
// their sub-map), and name RANGE as the expected form.
Status locate_invalid(const YamlReader& reader, const ConfigMaps& maps, const Status& invalid) {
  const std::string msg(invalid.message());
  const size_t dot = msg.find('.');
  const std::string section = dot == std::string::npos ? "" : msg.substr(0, dot);
  std::string field;
  if (dot != std::string::npos) {
    const size_t end = msg.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789", dot + 1);
    field = msg.substr(dot + 1, end == std::string::npos ? end : end - dot - 1);
  }
  const MapReader* map = section == "plumtree"   ? &maps.plumtree
                         : section == "liveness" ? &maps.liveness
                         : section == "registry" ? &maps.registry
                                                 : &maps.top;
  if (map->node().IsNull() || !map->node().IsDefined())
    map = &maps.top;  // the sub-map is not written: point at the block
  std::string range = "values that NodeConfig::validate() accepts";
  const size_t open = msg.rfind('(');
  const size_t close = msg.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    range = msg.substr(open + 1, close - open - 1);
    if (range.find("<=") == std::string::npos && !field.empty())
      range = field + " in " + range;
  }
  const YAML::Node& at = !field.empty() && map->has(field) ? map->get(field) : map->node();
  return reader.error(at, "config: " + msg, range);
}

Status parse_plumtree(const YamlReader& reader, const YAML::Node& node, MapReader* map,
                      PlumtreeConfig* p) {
  BARREL_SIM_TRY(map->open(reader, node, "config.plumtree", kPlumtreeForm,
                           {"ihave_timeout", "graft_timeout", "lazy_flush_period", "message_ttl"}));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "ihave_timeout", &p->ihave_timeout));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "graft_timeout", &p->graft_timeout));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "lazy_flush_period", &p->lazy_flush_period));
  return read_duration_key(reader, *map, "message_ttl", &p->message_ttl);
}

Status parse_liveness(const YamlReader& reader, const YAML::Node& node, MapReader* map,
                      LivenessConfig* l) {
  BARREL_SIM_TRY(map->open(
      reader, node, "config.liveness", kLivenessForm,
      {"probe_attempts", "probe_timeout", "probe_interval", "probe_spread", "suspicion_min",
       "suspicion_per_log2", "dead_retention", "dead_reprobe_period", "refute_interval"}));
  BARREL_SIM_TRY(read_int_key(reader, *map, "probe_attempts", &l->probe_attempts));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "probe_timeout", &l->probe_timeout));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "probe_interval", &l->probe_interval));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "probe_spread", &l->probe_spread));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "suspicion_min", &l->suspicion_min));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "suspicion_per_log2", &l->suspicion_per_log2));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "dead_retention", &l->dead_retention));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "dead_reprobe_period", &l->dead_reprobe_period));
  return read_duration_key(reader, *map, "refute_interval", &l->refute_interval);
}

Status parse_registry(const YamlReader& reader, const YAML::Node& node, MapReader* map,
                      RegistryConfig* r) {
  BARREL_SIM_TRY(map->open(reader, node, "config.registry", kRegistryForm,
                           {"sync_period", "register_linger", "sync_entries_max"}));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "sync_period", &r->sync_period));
  BARREL_SIM_TRY(read_duration_key(reader, *map, "register_linger", &r->register_linger));
  return read_int_key(reader, *map, "sync_entries_max", &r->sync_entries_max);
}

}  // namespace

Status parse_config(const YamlReader& reader, const YAML::Node& node, NodeConfig* out) {
  BARREL_ASSERT(out != nullptr);
  ConfigMaps maps;
  MapReader& map = maps.top;
  BARREL_SIM_TRY(map.open(
      reader, node, "config", kConfigForm,
      {"active_size", "passive_size", "arwl", "prwl", "shuffle_ka", "shuffle_kp", "shuffle_ttl",
       "shuffle_period", "neighbor_timeout", "repair_period", "repair_high_below",
       "repair_parallel", "contact_retry", "plumtree", "liveness", "registry"}));
  HyParViewConfig& h = out->hyparview;
  BARREL_SIM_TRY(read_int_key(reader, map, "active_size", &h.active_size));
  BARREL_SIM_TRY(read_int_key(reader, map, "passive_size", &h.passive_size));
  BARREL_SIM_TRY(read_int_key(reader, map, "arwl", &h.arwl));
  BARREL_SIM_TRY(read_int_key(reader, map, "prwl", &h.prwl));
  BARREL_SIM_TRY(read_int_key(reader, map, "shuffle_ka", &h.shuffle_ka));
  BARREL_SIM_TRY(read_int_key(reader, map, "shuffle_kp", &h.shuffle_kp));
  BARREL_SIM_TRY(read_int_key(reader, map, "shuffle_ttl", &h.shuffle_ttl));
  BARREL_SIM_TRY(read_duration_key(reader, map, "shuffle_period", &h.shuffle_period));
  BARREL_SIM_TRY(read_duration_key(reader, map, "neighbor_timeout", &h.neighbor_timeout));
  BARREL_SIM_TRY(read_duration_key(reader, map, "repair_period", &h.repair_period));
  BARREL_SIM_TRY(read_int_key(reader, map, "repair_high_below", &h.repair_high_below));
  BARREL_SIM_TRY(read_int_key(reader, map, "repair_parallel", &h.repair_parallel));
  BARREL_SIM_TRY(read_duration_key(reader, map, "contact_retry", &h.contact_retry));
  if (map.has("plumtree"))
    BARREL_SIM_TRY(parse_plumtree(reader, map.get("plumtree"), &maps.plumtree, &out->plumtree));
  if (map.has("liveness"))
    BARREL_SIM_TRY(parse_liveness(reader, map.get("liveness"), &maps.liveness, &out->liveness));
  if (map.has("registry"))
    BARREL_SIM_TRY(parse_registry(reader, map.get("registry"), &maps.registry, &out->registry));
  const Status valid = out->validate();
  if (!valid.is_ok())
    return locate_invalid(reader, maps, valid);
  return Status::ok();
}

}  // namespace barrel::sim
