// churn_parse.cpp — the churn step and its session model (forms in churn_parse.h).
#include "churn_parse.h"

#include <string>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "duration_parse.h"
#include "fraction_parse.h"
#include "selector_parse.h"

namespace barrel::sim {
namespace {

constexpr uint64_t kArrivalsPerSecondMaxPpm = 1000 * kPpmOne;
constexpr uint64_t kSigmaMaxPpm = 10 * kPpmOne;
constexpr std::string_view kLognormalForm = "{median: DURATION, sigma: S} with S in (0, 10]";

Status parse_lognormal(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                       SessionModel* out) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, kLognormalForm, {"median", "sigma"}));
  YAML::Node value;
  BARREL_SIM_TRY(map.require("median", "DURATION", &value));
  BARREL_SIM_TRY(
      reader.read_duration(value, map.path_of("median"), Duration::micros(1), &out->mean));
  BARREL_SIM_TRY(map.require("sigma", "S", &value));
  uint64_t sigma = 0;
  BARREL_SIM_TRY(read_decimal_ppm(reader, value, map.path_of("sigma"), kSigmaMaxPpm, &sigma));
  out->sigma_ppm = static_cast<Ppm>(sigma);
  out->kind = SessionModel::Kind::kLognormal;
  return Status::ok();
}

Status parse_session(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                     SessionModel* out) {
  if (node.IsScalar()) {
    out->kind = SessionModel::Kind::kConstant;
    return reader.read_duration(node, path, Duration::micros(1), &out->mean);
  }
  MapReader map;
  BARREL_SIM_TRY(
      map.open(reader, node, path, kSessionForm, {"exponential", "uniform", "lognormal"}));
  const std::vector<std::string> forms = map.present({"exponential", "uniform", "lognormal"});
  if (forms.size() != 1) {
    return reader.error(node, path + " has " + std::to_string(forms.size()) + " distributions",
                        kSessionForm);
  }
  const YAML::Node& value = map.get(forms[0]);
  const std::string value_path = map.path_of(forms[0]);
  if (forms[0] == "exponential") {
    out->kind = SessionModel::Kind::kExponential;
    return reader.read_duration(value, value_path, Duration::micros(1), &out->mean);
  }
  if (forms[0] == "lognormal")
    return parse_lognormal(reader, value, value_path, out);
  if (!value.IsSequence() || value.size() != 2)
    return reader.wrong_type(value, value_path, "[A, B] with A <= B");
  BARREL_SIM_TRY(
      reader.read_duration(value[0], value_path + "[0]", Duration::micros(1), &out->min));
  BARREL_SIM_TRY(
      reader.read_duration(value[1], value_path + "[1]", Duration::micros(1), &out->max));
  if (out->min > out->max)
    return reader.error(value, value_path + " has A above B", "[A, B] with A <= B");
  out->kind = SessionModel::Kind::kUniform;
  return Status::ok();
}

Status parse_departure(const YamlReader& reader, const MapReader& map, ChurnAction* c) {
  if (!map.has("departure"))
    return Status::ok();
  const YAML::Node& value = map.get("departure");
  std::string text;
  BARREL_SIM_TRY(reader.read_string(value, map.path_of("departure"), "crash or leave", &text));
  if (text != "crash" && text != "leave")
    return reader.error(value, map.path_of("departure") + " is '" + text + "'", "crash or leave");
  c->departure = text == "leave" ? ChurnAction::Departure::kLeave : ChurnAction::Departure::kCrash;
  return Status::ok();
}

// until in [at, duration], and the expected arrivals within the bound.
Status parse_until(const YamlReader& reader, const MapReader& map, Duration at, Duration duration,
                   ChurnAction* c) {
  YAML::Node value;
  BARREL_SIM_TRY(map.require("until", "DURATION", &value));
  BARREL_SIM_TRY(reader.read_duration(value, map.path_of("until"), at, &c->until));
  if (c->until > duration) {
    return reader.error(value, map.path_of("until") + " is beyond the scenario duration",
                        "an instant between at and " + format_duration(duration));
  }
  const auto span_us = static_cast<unsigned __int128>((c->until - at).us());
  const unsigned __int128 expected = c->arrivals_per_second_ppm * span_us / 1'000'000'000'000ull;
  if (expected > kChurnArrivalsMax / 2) {
    return reader.error(
        map.get("arrivals_per_second"),
        map.path() + " expects more than " + std::to_string(kChurnArrivalsMax / 2) + " arrivals",
        "arrivals_per_second x (until - at) of at most " + std::to_string(kChurnArrivalsMax / 2));
  }
  return Status::ok();
}

}  // namespace

Status read_decimal_ppm(const YamlReader& reader, const YAML::Node& node, std::string_view path,
                        uint64_t max_ppm, uint64_t* out) {
  const std::string form = "a decimal in (0, " + format_ppm(max_ppm) + "], e.g. 0.5 or 2";
  std::string text;
  BARREL_SIM_TRY(reader.read_string(node, path, form, &text));
  std::string why;
  if (text.empty() || text.back() == '%' || !parse_fraction_ppm(text, out, &why))
    return reader.error(node, std::string(path) + " is '" + text + "', not a decimal", form);
  if (*out == 0 || *out > max_ppm)
    return reader.error(node, std::string(path) + " is " + text + ", out of range", form);
  return Status::ok();
}

Status parse_churn(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                   const std::string& path, Duration duration, Step* step) {
  MapReader map;
  BARREL_SIM_TRY(
      map.open(reader, node, path, kChurnForm,
               {"nodes", "arrivals_per_second", "session", "until", "contacts", "departure"}));
  ChurnAction c;
  // One Node per key: assigning a yaml-cpp Node that already refers to a
  // value re-points that value in the tree, and parse_until re-reads one.
  YAML::Node nodes, rate, session, contacts;
  BARREL_SIM_TRY(map.require("nodes", kSelectorForm, &nodes));
  BARREL_SIM_TRY(parse_selector(reader, names, nodes, map.path_of("nodes"), &c.nodes));
  BARREL_SIM_TRY(map.require("arrivals_per_second", "R", &rate));
  BARREL_SIM_TRY(read_decimal_ppm(reader, rate, map.path_of("arrivals_per_second"),
                                  kArrivalsPerSecondMaxPpm, &c.arrivals_per_second_ppm));
  BARREL_SIM_TRY(map.require("session", kSessionForm, &session));
  BARREL_SIM_TRY(parse_session(reader, session, map.path_of("session"), &c.session));
  BARREL_SIM_TRY(parse_until(reader, map, step->at, duration, &c));
  BARREL_SIM_TRY(map.require("contacts", "[NAMES]", &contacts));
  BARREL_SIM_TRY(parse_name_list(reader, names, contacts, map.path_of("contacts"),
                                 limits::kContactsMax, &c.contacts));
  BARREL_SIM_TRY(parse_departure(reader, map, &c));
  step->action = std::move(c);
  return Status::ok();
}

}  // namespace barrel::sim
