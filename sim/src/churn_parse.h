// churn_parse.h — reading a churn step (the model: churn.h, ChurnAction).
//
// Form:
//   churn:
//     nodes: SELECTOR                 the pool (resolved at the step's instant)
//     arrivals_per_second: R          a decimal in (0, 1000], e.g. 2 or 0.5
//     session: SESSION                how long each arrival lives
//     until: DURATION                 the last instant an arrival may happen
//     contacts: [NAMES]               each arrival joins through one of them
//     departure: crash | leave        optional, default crash
//   SESSION := DURATION               every session that long
//            | {exponential: MEAN}    exponential of mean MEAN
//            | {uniform: [A, B]}      uniform in [A, B]
//            | {lognormal: {median: DURATION, sigma: S}}   S a decimal in (0, 10]
// The expected arrivals R x (until - at) must be at most kChurnArrivalsMax / 2
// (the run caps each churn step at kChurnArrivalsMax). A churn step takes no
// every/until/between of its own.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "barrel/sim/scenario.h"
#include "barrel/status.h"
#include "node_names.h"
#include "yaml_schema.h"

namespace barrel::sim {

inline constexpr std::string_view kChurnForm =
    "{nodes: SELECTOR, arrivals_per_second: R, session: SESSION, until: DURATION, contacts: "
    "[NAMES], departure: crash|leave} (departure optional)";
inline constexpr std::string_view kSessionForm =
    "a duration, {exponential: MEAN}, {uniform: [A, B]} or {lognormal: {median: DURATION, "
    "sigma: S}}";

// REQUIRES: step->at is set.
Status parse_churn(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                   const std::string& path, Duration duration, Step* step);

// A positive decimal (fraction_parse.h grammar, no '%') of at most `max_ppm`
// millionths, into *out in millionths.
Status read_decimal_ppm(const YamlReader& reader, const YAML::Node& node, std::string_view path,
                        uint64_t max_ppm, uint64_t* out);

}  // namespace barrel::sim
