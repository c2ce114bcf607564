// registry_parse.cpp — register and unregister steps, and the registry
// checks (forms in registry_parse.h).
#include "registry_parse.h"

#include <cstdint>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "selector_parse.h"
#include "service_pattern.h"

namespace barrel::sim {
namespace {

constexpr std::string_view kMetadataForm =
    "a map of text to text, at most 32 pairs, keys of 1..64 bytes, values of at most 255 bytes";

Status parse_service(const YamlReader& reader, const NodeNames& names, const MapReader& map,
                     uint32_t count, std::string* out) {
  YAML::Node value;
  const std::string form = "a service name of 1.." + std::to_string(limits::kOrMapKeyBytesMax) +
                           " bytes once {i} and {k} are replaced";
  BARREL_SIM_TRY(map.require("service", form, &value));
  BARREL_SIM_TRY(reader.read_string(value, map.path_of("service"), form, out));
  bool printable = !out->empty();
  for (char c : *out)
    printable = printable && static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
  if (!printable) {
    return reader.error(value, map.path_of("service") + " is empty or has spaces or controls",
                        form);
  }
  const size_t longest = service_bytes_max(*out, names.count(), count);
  if (longest > limits::kOrMapKeyBytesMax) {
    return reader.error(
        value, map.path_of("service") + " expands to " + std::to_string(longest) + " bytes", form);
  }
  return Status::ok();
}

Status parse_count(const YamlReader& reader, const MapReader& map, uint32_t* out,
                   uint64_t max = limits::kLocalServicesMax) {
  *out = 1;
  if (!map.has("count"))
    return Status::ok();
  uint64_t count = 0;
  BARREL_SIM_TRY(reader.read_uint(map.get("count"), map.path_of("count"), 1, max, &count));
  *out = static_cast<uint32_t>(count);
  return Status::ok();
}

Status parse_metadata(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                      Metadata* out) {
  if (!node.IsMap())
    return reader.wrong_type(node, path, kMetadataForm);
  if (node.size() > limits::kMetadataPairsMax) {
    return reader.error(node, path + " has " + std::to_string(node.size()) + " pairs",
                        kMetadataForm);
  }
  size_t bytes = 0;
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::string key, value;
    BARREL_SIM_TRY(reader.read_string(it->first, path + " key", kMetadataForm, &key));
    const std::string key_path = path + "." + key;
    BARREL_SIM_TRY(reader.read_string(it->second, key_path, kMetadataForm, &value));
    if (key.empty() || key.size() > limits::kMetadataKeyBytesMax ||
        value.size() > limits::kMetadataValueBytesMax) {
      return reader.error(it->first, key_path + " is beyond the metadata bounds", kMetadataForm);
    }
    bytes += key.size() + value.size();
    if (!out->emplace(key, value).second)
      return reader.error(it->first, key_path + " is given twice", "distinct metadata keys");
  }
  if (bytes > limits::kMetadataBytesMax) {
    return reader.error(node, path + " holds " + std::to_string(bytes) + " bytes",
                        "metadata of at most " + std::to_string(limits::kMetadataBytesMax) +
                            " bytes of keys and values");
  }
  return Status::ok();
}

}  // namespace

Status parse_register(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                      const std::string& path, Step* step) {
  MapReader map;
  BARREL_SIM_TRY(
      map.open(reader, node, path, kRegisterForm, {"nodes", "service", "count", "metadata"}));
  RegisterAction r;
  YAML::Node value;
  BARREL_SIM_TRY(map.require("nodes", kSelectorForm, &value));
  BARREL_SIM_TRY(parse_selector(reader, names, value, map.path_of("nodes"), &r.nodes));
  BARREL_SIM_TRY(parse_count(reader, map, &r.count));
  BARREL_SIM_TRY(parse_service(reader, names, map, r.count, &r.service));
  if (map.has("metadata"))
    BARREL_SIM_TRY(
        parse_metadata(reader, map.get("metadata"), map.path_of("metadata"), &r.metadata));
  step->action = std::move(r);
  return Status::ok();
}

Status parse_unregister(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                        const std::string& path, Step* step) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, kUnregisterForm, {"nodes", "service", "count"}));
  UnregisterAction u;
  YAML::Node value;
  BARREL_SIM_TRY(map.require("nodes", kSelectorForm, &value));
  BARREL_SIM_TRY(parse_selector(reader, names, value, map.path_of("nodes"), &u.nodes));
  BARREL_SIM_TRY(parse_count(reader, map, &u.count));
  BARREL_SIM_TRY(parse_service(reader, names, map, u.count, &u.service));
  step->action = std::move(u);
  return Status::ok();
}

Status parse_lookup(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                    const std::string& path, Step* step) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, kLookupForm, {"from", "service", "count"}));
  LookupAction l;
  YAML::Node value;
  BARREL_SIM_TRY(map.require("from", kSelectorForm, &value));
  BARREL_SIM_TRY(parse_selector(reader, names, value, map.path_of("from"), &l.from));
  BARREL_SIM_TRY(parse_count(reader, map, &l.count, kLookupsPerNodeMax));
  BARREL_SIM_TRY(parse_service(reader, names, map, l.count, &l.service));
  step->action = std::move(l);
  return Status::ok();
}

Status parse_registry_check(const YamlReader& reader, const MapReader& map,
                            const std::string& check, const Scenario& scenario, Expectation* e) {
  BARREL_ASSERT(check == "registry_converged" || check == "no_live_dead");
  const YAML::Node& value = map.get(check);
  bool flag = false;
  BARREL_SIM_TRY(reader.read_bool(value, map.path_of(check), &flag));
  if (!flag) {
    return reader.error(value, map.path_of(check) + " is false (a check states what must hold)",
                        "true");
  }
  e->kind = check == "no_live_dead" ? Expectation::Kind::kNoLiveDead
                                    : Expectation::Kind::kRegistryConverged;
  if (!map.has("within"))
    return Status::ok();
  const YAML::Node& within = map.get("within");
  if (e->kind != Expectation::Kind::kRegistryConverged) {
    return reader.error(within, map.path_of("within") + " on a " + check + " check",
                        "within only with registry_converged: true");
  }
  BARREL_SIM_TRY(
      reader.read_duration(within, map.path_of("within"), Duration::micros(1), &e->within));
  if (scenario.probe_period == Duration::zero()) {
    return reader.error(
        within, map.path_of("within") + " with probe_period 0s (agreement is never sampled)",
        "probe_period above 0s for registry_converged with within");
  }
  return Status::ok();
}

}  // namespace barrel::sim
