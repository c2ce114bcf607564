// network_parse.cpp — the `network:` section and one-way cuts (forms in
// network_parse.h).
#include "network_parse.h"

#include <cstdint>
#include <vector>

#include "barrel/assert.h"
#include "duration_parse.h"
#include "fault_parse.h"
#include "latency_model.h"
#include "selector_parse.h"

namespace barrel::sim {
namespace {

constexpr std::string_view kNetworkForm =
    "{latency, links, detection_delay, wire, loss, duplicate, reorder, bandwidth, clock} "
    "(see scenarios/README.md)";
constexpr std::string_view kLinkForm = "{from: SELECTOR, to: SELECTOR, latency: LATENCY}";
constexpr std::string_view kChanceForm =
    "a fraction in [0, 1] as a decimal or a percentage (e.g. 0.01 or \"1%\")";
constexpr std::string_view kReorderForm = "a fraction, or {fraction: F, delay: DURATION}";
constexpr std::string_view kClockForm =
    "{drift_ppm: PPM or {uniform: [PPM, PPM]}, offset: DURATION or {uniform: [D, D]}}";
constexpr std::string_view kSigmaForm = "a decimal in (0, 3], e.g. 0.5";
constexpr uint32_t kSigmaPpmMax = 3'000'000;

Status read_pair(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                 std::string_view form, YAML::Node* lo, YAML::Node* hi) {
  if (!node.IsSequence() || node.size() != 2)
    return reader.wrong_type(node, path, form);
  *lo = node[0];
  *hi = node[1];
  return Status::ok();
}

Status read_bounded_min_max(const YamlReader& reader, const MapReader& map, LatencyModel* out) {
  apply_default_bounds(out);
  if (map.has("min"))
    BARREL_SIM_TRY(
        reader.read_duration(map.get("min"), map.path_of("min"), Duration::zero(), &out->min));
  if (map.has("max"))
    BARREL_SIM_TRY(
        reader.read_duration(map.get("max"), map.path_of("max"), Duration::zero(), &out->max));
  if (out->min > out->max) {
    return reader.error(map.node(),
                        map.path() + " has min above max (with defaults " +
                            format_duration(out->min) + ", " + format_duration(out->max) + ")",
                        "min <= max");
  }
  return Status::ok();
}

Status read_sigma(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                  uint32_t* out) {
  uint64_t ppm = 0;
  BARREL_SIM_TRY(reader.read_decimal_ppm(node, path, kSigmaForm, &ppm));
  if (ppm == 0 || ppm > kSigmaPpmMax)
    return reader.error(node, path + " is " + node.Scalar() + ", outside (0, 3]", kSigmaForm);
  *out = static_cast<uint32_t>(ppm);
  return Status::ok();
}

Status parse_normal(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                    LatencyModel* out) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, "{mean: D, stddev: D, min: D, max: D}",
                          {"mean", "stddev", "min", "max"}));
  out->kind = LatencyModel::Kind::kNormal;
  YAML::Node v;
  BARREL_SIM_TRY(map.require("mean", "DURATION", &v));
  BARREL_SIM_TRY(reader.read_duration(v, map.path_of("mean"), Duration::zero(), &out->center));
  BARREL_SIM_TRY(map.require("stddev", "DURATION", &v));
  BARREL_SIM_TRY(reader.read_duration(v, map.path_of("stddev"), Duration::zero(), &out->stddev));
  return read_bounded_min_max(reader, map, out);
}

Status parse_lognormal(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                       LatencyModel* out) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, "{median: D, sigma: S, min: D, max: D}",
                          {"median", "sigma", "min", "max"}));
  out->kind = LatencyModel::Kind::kLognormal;
  YAML::Node v;
  BARREL_SIM_TRY(map.require("median", "DURATION", &v));
  BARREL_SIM_TRY(reader.read_duration(v, map.path_of("median"), Duration::micros(1), &out->center));
  BARREL_SIM_TRY(map.require("sigma", kSigmaForm, &v));
  BARREL_SIM_TRY(read_sigma(reader, v, map.path_of("sigma"), &out->sigma_ppm));
  return read_bounded_min_max(reader, map, out);
}

Status parse_uniform(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                     LatencyModel* out) {
  constexpr std::string_view kForm = "[MIN, MAX] with MIN <= MAX";
  YAML::Node lo, hi;
  BARREL_SIM_TRY(read_pair(reader, node, path, kForm, &lo, &hi));
  BARREL_SIM_TRY(reader.read_duration(lo, path + "[0]", Duration::zero(), &out->min));
  BARREL_SIM_TRY(reader.read_duration(hi, path + "[1]", Duration::zero(), &out->max));
  if (out->min > out->max)
    return reader.error(node, path + " has MIN above MAX", kForm);
  out->kind = LatencyModel::Kind::kUniform;
  return Status::ok();
}

Status parse_links(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                   std::vector<LinkOverride>* out) {
  BARREL_SIM_TRY(reader.require_list(node, "network.links", "a list of " + std::string(kLinkForm),
                                     kLinkOverridesMax));
  for (size_t k = 0; k < node.size(); ++k) {
    const std::string path = "network.links[" + std::to_string(k) + "]";
    MapReader map;
    BARREL_SIM_TRY(map.open(reader, node[k], path, kLinkForm, {"from", "to", "latency"}));
    LinkOverride o;
    o.loc = reader.loc(node[k]);
    YAML::Node v;
    BARREL_SIM_TRY(map.require("from", kSelectorForm, &v));
    BARREL_SIM_TRY(parse_selector(reader, names, v, map.path_of("from"), &o.from));
    BARREL_SIM_TRY(map.require("to", kSelectorForm, &v));
    BARREL_SIM_TRY(parse_selector(reader, names, v, map.path_of("to"), &o.to));
    BARREL_SIM_TRY(map.require("latency", kLatencyForm, &v));
    BARREL_SIM_TRY(parse_latency(reader, v, map.path_of("latency"), &o.latency));
    out->push_back(std::move(o));
  }
  return Status::ok();
}

Status read_chance(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                   Ppm* out) {
  uint64_t ppm = 0;
  BARREL_SIM_TRY(reader.read_decimal_ppm(node, path, kChanceForm, &ppm));
  if (ppm > kPpmOne)
    return reader.error(node, path + " is " + node.Scalar() + ", above 1", kChanceForm);
  *out = static_cast<Ppm>(ppm);
  return Status::ok();
}

Status parse_reorder(const YamlReader& reader, const YAML::Node& node, NetworkSpec* out) {
  if (node.IsScalar())
    return read_chance(reader, node, "network.reorder", &out->reorder_ppm);
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, "network.reorder", kReorderForm, {"fraction", "delay"}));
  YAML::Node v;
  BARREL_SIM_TRY(map.require("fraction", kChanceForm, &v));
  BARREL_SIM_TRY(read_chance(reader, v, map.path_of("fraction"), &out->reorder_ppm));
  if (map.has("delay")) {
    BARREL_SIM_TRY(reader.read_duration(map.get("delay"), map.path_of("delay"), Duration::micros(1),
                                        &out->reorder_delay));
  }
  return Status::ok();
}

// A signed integer within +-kClockDriftPpmMax: an optional '-', then digits.
Status read_ppm(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                int32_t* out) {
  const std::string form = "an integer in [-" + std::to_string(kClockDriftPpmMax) + ", " +
                           std::to_string(kClockDriftPpmMax) + "] (parts per million)";
  if (!node.IsScalar())
    return reader.wrong_type(node, path, form);
  const std::string& text = node.Scalar();
  const bool negative = !text.empty() && text[0] == '-';
  const size_t start = negative || (!text.empty() && text[0] == '+') ? 1 : 0;
  int64_t value = 0;
  bool ok = text.size() > start && text.size() - start <= 7;
  for (size_t i = start; ok && i < text.size(); ++i) {
    ok = text[i] >= '0' && text[i] <= '9';
    value = value * 10 + (text[i] - '0');
  }
  if (!ok || value > kClockDriftPpmMax)
    return reader.error(node, path + " is '" + text + "', not such an integer", form);
  *out = static_cast<int32_t>(negative ? -value : value);
  return Status::ok();
}

Status parse_drift(const YamlReader& reader, const YAML::Node& node, ClockModel* out) {
  const std::string path = "network.clock.drift_ppm";
  if (node.IsScalar()) {
    BARREL_SIM_TRY(read_ppm(reader, node, path, &out->drift_ppm_min));
    out->drift_ppm_max = out->drift_ppm_min;
    return Status::ok();
  }
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, "PPM or {uniform: [PPM, PPM]}", {"uniform"}));
  YAML::Node v, lo, hi;
  BARREL_SIM_TRY(map.require("uniform", "[PPM, PPM]", &v));
  BARREL_SIM_TRY(read_pair(reader, v, path + ".uniform", "[PPM, PPM]", &lo, &hi));
  BARREL_SIM_TRY(read_ppm(reader, lo, path + ".uniform[0]", &out->drift_ppm_min));
  BARREL_SIM_TRY(read_ppm(reader, hi, path + ".uniform[1]", &out->drift_ppm_max));
  if (out->drift_ppm_min > out->drift_ppm_max)
    return reader.error(v, path + ".uniform has its first above its second", "[LOW, HIGH]");
  return Status::ok();
}

Status parse_offset(const YamlReader& reader, const YAML::Node& node, ClockModel* out) {
  const std::string path = "network.clock.offset";
  if (node.IsScalar()) {
    BARREL_SIM_TRY(reader.read_duration(node, path, Duration::zero(), &out->offset_min));
    out->offset_max = out->offset_min;
    return Status::ok();
  }
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, "DURATION or {uniform: [D, D]}", {"uniform"}));
  YAML::Node v, lo, hi;
  BARREL_SIM_TRY(map.require("uniform", "[D, D]", &v));
  BARREL_SIM_TRY(read_pair(reader, v, path + ".uniform", "[D, D]", &lo, &hi));
  BARREL_SIM_TRY(
      reader.read_duration(lo, path + ".uniform[0]", Duration::zero(), &out->offset_min));
  BARREL_SIM_TRY(
      reader.read_duration(hi, path + ".uniform[1]", Duration::zero(), &out->offset_max));
  if (out->offset_min > out->offset_max)
    return reader.error(v, path + ".uniform has its first above its second", "[LOW, HIGH]");
  return Status::ok();
}

Status parse_clock(const YamlReader& reader, const YAML::Node& node, ClockModel* out) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, "network.clock", kClockForm, {"drift_ppm", "offset"}));
  if (map.has("drift_ppm"))
    BARREL_SIM_TRY(parse_drift(reader, map.get("drift_ppm"), out));
  if (map.has("offset"))
    BARREL_SIM_TRY(parse_offset(reader, map.get("offset"), out));
  return Status::ok();
}

// The keys beyond QUIC and the up-link: duplicate, reorder, bandwidth.
Status parse_faults(const YamlReader& reader, const MapReader& map, NetworkSpec* out) {
  if (map.has("duplicate"))
    BARREL_SIM_TRY(
        read_chance(reader, map.get("duplicate"), "network.duplicate", &out->duplicate_ppm));
  if (map.has("reorder"))
    BARREL_SIM_TRY(parse_reorder(reader, map.get("reorder"), out));
  if (map.has("bandwidth")) {
    BARREL_SIM_TRY(reader.read_uint(map.get("bandwidth"), "network.bandwidth", 1, uint64_t{1} << 40,
                                    &out->bandwidth_bytes_per_s));
  }
  return Status::ok();
}

}  // namespace

Status parse_latency(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                     LatencyModel* out) {
  if (node.IsScalar()) {
    out->kind = LatencyModel::Kind::kConstant;
    BARREL_SIM_TRY(reader.read_duration(node, path, Duration::zero(), &out->min));
    out->max = out->min;
    return Status::ok();
  }
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, kLatencyForm, {"uniform", "normal", "lognormal"}));
  const std::vector<std::string> kinds = map.present({"uniform", "normal", "lognormal"});
  if (kinds.size() != 1) {
    return reader.error(node, path + " names " + std::to_string(kinds.size()) + " distributions",
                        kLatencyForm);
  }
  const YAML::Node& v = map.get(kinds[0]);
  const std::string sub = map.path_of(kinds[0]);
  if (kinds[0] == "uniform")
    return parse_uniform(reader, v, sub, out);
  if (kinds[0] == "normal")
    return parse_normal(reader, v, sub, out);
  return parse_lognormal(reader, v, sub, out);
}

Status parse_network(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                     NetworkSpec* out) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, "network", kNetworkForm,
                          {"latency", "detection_delay", "wire", "loss", "links", "duplicate",
                           "reorder", "bandwidth", "clock"}));
  if (map.has("latency"))
    BARREL_SIM_TRY(parse_latency(reader, map.get("latency"), "network.latency", &out->latency));
  if (map.has("links"))
    BARREL_SIM_TRY(parse_links(reader, names, map.get("links"), &out->links));
  if (map.has("detection_delay")) {
    BARREL_SIM_TRY(reader.read_duration(map.get("detection_delay"), "network.detection_delay",
                                        Duration::micros(1), &out->detection_delay));
  }
  if (map.has("wire"))
    BARREL_SIM_TRY(reader.read_bool(map.get("wire"), "network.wire", &out->wire_mode));
  if (map.has("loss"))
    BARREL_SIM_TRY(read_loss(reader, map.get("loss"), &out->loss_ppm));
  BARREL_SIM_TRY(parse_faults(reader, map, out));
  if (map.has("clock"))
    BARREL_SIM_TRY(parse_clock(reader, map.get("clock"), &out->clock));
  return Status::ok();
}

Status parse_one_way_cut(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                         const std::string& path, PartitionAction* p) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, kOneWayForm, {"from", "to"}));
  YAML::Node v[2];
  NodeSelector* sides[2] = {&p->from, &p->to};
  const char* keys[2] = {"from", "to"};
  for (int k = 0; k < 2; ++k) {
    BARREL_SIM_TRY(map.require(keys[k], kSelectorForm, &v[k]));
    BARREL_SIM_TRY(parse_selector(reader, names, v[k], map.path_of(keys[k]), sides[k]));
    if (sides[k]->kind == NodeSelector::Kind::kAll) {
      return reader.error(v[k], map.path_of(keys[k]) + " is all (the other side would be empty)",
                          "a selector other than all");
    }
  }
  // Explicit sides must not share a node (random ones cannot: `to` draws
  // among the nodes `from` did not take).
  std::vector<uint8_t> owner(names.count(), 0);
  for (int k = 0; k < 2; ++k) {
    const NodeSelector& s = *sides[k];
    std::vector<uint32_t> indexes;
    if (s.kind == NodeSelector::Kind::kNames) {
      for (const std::string& n : s.names)
        indexes.push_back(names.index_of(n));
    } else if (s.kind == NodeSelector::Kind::kRange) {
      for (uint32_t i = s.first; i <= s.last; ++i)  // bounded by the node count
        indexes.push_back(i);
    }
    for (uint32_t i : indexes) {
      BARREL_ASSERT(i >= 1 && i <= owner.size());
      if (owner[i - 1] != 0 && k == 1) {
        return reader.error(
            v[1],
            map.path_of("to") + " names " + names.name(i) + ", already in " + map.path_of("from"),
            "disjoint sides");
      }
      owner[i - 1] = 1;
    }
  }
  p->one_way = true;
  return Status::ok();
}

}  // namespace barrel::sim
