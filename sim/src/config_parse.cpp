// config_parse.cpp — typed reads of the HyParView knobs, then NodeConfig::validate().
#include "config_parse.h"

#include <limits>
#include <string>

#include "barrel/assert.h"

namespace barrel::sim {
namespace {

constexpr std::string_view kConfigForm =
    "{active_size: N, passive_size: N, arwl: N, prwl: N, shuffle_ka: N, shuffle_kp: N, "
    "shuffle_ttl: N, shuffle_period: DURATION, neighbor_timeout: DURATION, repair_period: "
    "DURATION, repair_high_below: N, contact_retry: DURATION}";

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

// validate() says "hyparview.FIELD out of range (RANGE)": point at FIELD's
// value when the block sets it, and name RANGE as the expected form.
Status locate_invalid(const YamlReader& reader, const MapReader& map, const Status& invalid) {
  const std::string msg(invalid.message());
  const std::string prefix = "hyparview.";
  std::string field;
  if (msg.compare(0, prefix.size(), prefix) == 0) {
    const size_t end = msg.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", prefix.size());
    field = msg.substr(prefix.size(), end == std::string::npos ? end : end - prefix.size());
  }
  std::string range = "values that NodeConfig::validate() accepts";
  const size_t open = msg.rfind('(');
  const size_t close = msg.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    range = msg.substr(open + 1, close - open - 1);
    if (range.find("<=") == std::string::npos && !field.empty())
      range = field + " in " + range;
  }
  const YAML::Node& at = !field.empty() && map.has(field) ? map.get(field) : map.node();
  return reader.error(at, "config: " + msg, range);
}

}  // namespace

Status parse_config(const YamlReader& reader, const YAML::Node& node, NodeConfig* out) {
  BARREL_ASSERT(out != nullptr);
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, "config", kConfigForm,
                          {"active_size", "passive_size", "arwl", "prwl", "shuffle_ka",
                           "shuffle_kp", "shuffle_ttl", "shuffle_period", "neighbor_timeout",
                           "repair_period", "repair_high_below", "contact_retry"}));
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
  BARREL_SIM_TRY(read_duration_key(reader, map, "contact_retry", &h.contact_retry));
  const Status valid = out->validate();
  if (!valid.is_ok())
    return locate_invalid(reader, map, valid);
  return Status::ok();
}

}  // namespace barrel::sim
