// timeline_parse.h — reading a scenario's `timeline` and `expect` lists.
//
// Both run after the top-level keys are read, because they check against
// them: node names against `nodes`, instants against `duration`, active_min
// against config.active_size, healed_within against the crash, restart and heal steps,
// selectors against `groups`.
//
// A step is {at: INSTANT, [every: DURATION, until: INSTANT,] ACTION} or
// {between: [T1, T2], ACTION} (each selected node acts at its own instant in
// [T1, T2); not for partition, heal or churn, not with join.spread). Actions
// are read here (start, crash, leave, join, broadcast) or by the parser of
// their family: fault_parse.h (partition, heal, restart), registry_parse.h
// (register, unregister, lookup), churn_parse.h (churn); the
// msgs_per_node_per_second check by expect_parse.h.
#pragma once

#include <yaml-cpp/yaml.h>

#include <vector>

#include "barrel/limits.h"
#include "barrel/sim/scenario.h"
#include "barrel/status.h"
#include "node_names.h"
#include "yaml_schema.h"

namespace barrel::sim {

// Steps of a timeline, and repetitions of one `every` step, are bounded so a
// typo cannot make a run schedule billions of actions.
inline constexpr size_t kTimelineStepsMax = 10'000;
inline constexpr int64_t kStepRepeatsMax = 100'000;
inline constexpr size_t kExpectationsMax = 10'000;
inline constexpr size_t kReportWindowsMax = 64;
// The largest payload a broadcast step may ask for: the core's bound.
inline constexpr uint64_t kBroadcastPayloadBytesMax = limits::kBroadcastPayloadBytesMax;

// Reads the `timeline` list into scenario->timeline. REQUIRES: the scenario's
// node_count, duration and names are already set.
Status parse_timeline(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                      Scenario* scenario);

// An instant of the run: a duration no later than `duration`.
Status read_instant(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                    Duration duration, Duration* out);

// Reads the top-level `report_windows` list (window_parse.cpp). REQUIRES:
// duration is set.
Status parse_report_windows(const YamlReader& reader, const YAML::Node& node, Scenario* scenario);

// Reads the `expect` list into scenario->expectations. REQUIRES: as above,
// and parse_timeline has run.
Status parse_expectations(const YamlReader& reader, const YAML::Node& node, Scenario* scenario);

}  // namespace barrel::sim
