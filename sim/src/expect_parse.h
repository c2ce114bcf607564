// expect_parse.h — reading the msgs_per_node_per_second check of `expect`.
//
// Form (in an expect entry, beside `at`):
//   msgs_per_node_per_second: {max: Y, since: DURATION}   since optional (0)
//   msgs_per_node_per_second: Y                           since 0
// Y is a decimal in (0, 1000]. The check passes when the messages sent in
// [since, at], divided by the live-node seconds over [since, at] (the
// integral of the number of running nodes), is at most Y. since < at.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "barrel/sim/scenario.h"
#include "barrel/status.h"
#include "yaml_schema.h"

namespace barrel::sim {

inline constexpr std::string_view kMsgsForm = "{max: Y, since: DURATION} (since optional) or Y";

// REQUIRES: e->at is set.
Status parse_msgs_check(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                        Expectation* e);

}  // namespace barrel::sim
