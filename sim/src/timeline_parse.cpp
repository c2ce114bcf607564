// timeline_parse.cpp — timeline steps (at/every/until or between, + one action) and
// expectations.
#include "timeline_parse.h"

#include <string>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "churn_parse.h"
#include "duration_parse.h"
#include "expect_parse.h"
#include "fault_parse.h"
#include "registry_parse.h"
#include "selector_parse.h"

namespace barrel::sim {
namespace {

constexpr std::string_view kStepForm =
    "a map {at: DURATION, [every: DURATION, until: DURATION,] ACTION: ...} or {between: [T1, "
    "T2], ACTION: ...} with ACTION one of start, join, crash, leave, broadcast, partition, heal, "
    "restart, register, unregister, churn, lookup";
constexpr std::string_view kJoinForm = "{nodes: SELECTOR, contacts: [NAMES], spread: DURATION}";
constexpr std::string_view kBroadcastForm = "{from: SELECTOR, bytes: N}";
constexpr std::string_view kExpectForm =
    "a map {at: DURATION, CHECK: ...} with CHECK one of connected: true, symmetric: true, "
    "view_bounds: true, active_min: N, healed_within: DURATION, reliability: FRACTION, "
    "registry_converged: true, no_live_dead: true, msgs_per_node_per_second: {max: Y, since: "
    "DURATION} (symmetric and reliability may add settle: "
    "DURATION; reliability may add since: DURATION; registry_converged may add within: DURATION)";
constexpr std::string_view kOneAction =
    "exactly one action: start, join, crash, leave, broadcast, partition, heal, restart, "
    "register or unregister; or a process: churn, lookup";
constexpr std::string_view kBetweenForm = "[T1, T2] with T1 < T2 <= the scenario duration";

Status parse_join(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                  const std::string& path, Duration duration, Step* step) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, kJoinForm, {"nodes", "contacts", "spread"}));
  JoinAction join;
  YAML::Node value;
  BARREL_SIM_TRY(map.require("nodes", kSelectorForm, &value));
  BARREL_SIM_TRY(parse_selector(reader, names, value, map.path_of("nodes"), &join.nodes));
  BARREL_SIM_TRY(map.require("contacts", "[NAMES]", &value));
  BARREL_SIM_TRY(parse_name_list(reader, names, value, map.path_of("contacts"),
                                 limits::kContactsMax, &join.contacts));
  if (map.has("spread")) {
    const YAML::Node& spread = map.get("spread");
    BARREL_SIM_TRY(
        reader.read_duration(spread, map.path_of("spread"), Duration::zero(), &join.spread));
    if (step->between_end > step->at) {
      return reader.error(spread, map.path_of("spread") + " in a between step",
                          "either spread or between, not both");
    }
    // A repeated join spreads from its last repetition, which is at most `until`.
    const Duration last = step->every > Duration::zero() ? step->until : step->at;
    if (last + join.spread > duration) {
      return reader.error(spread,
                          map.path_of("spread") + " " + spread.Scalar() + " from " +
                              format_duration(last) + " ends beyond the scenario duration " +
                              format_duration(duration),
                          "a spread that ends by " + format_duration(duration));
    }
  }
  step->action = std::move(join);
  return Status::ok();
}

Status parse_broadcast(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                       const std::string& path, Step* step) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, kBroadcastForm, {"from", "bytes"}));
  BroadcastAction b;
  YAML::Node value;
  BARREL_SIM_TRY(map.require("from", kSelectorForm, &value));
  BARREL_SIM_TRY(parse_selector(reader, names, value, map.path_of("from"), &b.from));
  BARREL_SIM_TRY(map.require("bytes", "N", &value));
  uint64_t bytes = 0;
  BARREL_SIM_TRY(
      reader.read_uint(value, map.path_of("bytes"), 0, kBroadcastPayloadBytesMax, &bytes));
  b.bytes = static_cast<uint32_t>(bytes);
  step->action = std::move(b);
  return Status::ok();
}

Status parse_action(const YamlReader& reader, const NodeNames& names, const MapReader& map,
                    const std::string& action, Duration duration, Step* step) {
  const YAML::Node& value = map.get(action);
  const std::string path = map.path_of(action);
  if (action == "join")
    return parse_join(reader, names, value, path, duration, step);
  if (action == "broadcast")
    return parse_broadcast(reader, names, value, path, step);
  const bool whole = action == "partition" || action == "heal" || action == "churn";
  if (whole && step->between_end > step->at) {
    // These act on the network or a process, not node by node.
    return reader.error(map.get("between"), path + " with between",
                        "a " + action + " step with at (between spreads node actions only)");
  }
  if (action == "churn") {
    if (step->every > Duration::zero()) {
      return reader.error(map.get("every"), path + " with every/until",
                          "a churn step without every and until (churn has its own until)");
    }
    return parse_churn(reader, names, value, path, duration, step);
  }
  if (action == "lookup")
    return parse_lookup(reader, names, value, path, step);
  if (action == "partition" || action == "heal") {
    // A partition is named and healed once; repeating it would reuse its name.
    if (step->every > Duration::zero()) {
      return reader.error(map.get("every"), path + " with every/until",
                          "a " + action + " step without every and until");
    }
    return action == "partition" ? parse_partition(reader, names, value, path, step)
                                 : parse_heal(reader, value, path, step);
  }
  if (action == "restart")
    return parse_restart(reader, names, value, path, duration, step);
  if (action == "register")
    return parse_register(reader, names, value, path, step);
  if (action == "unregister")
    return parse_unregister(reader, names, value, path, step);
  NodeSelector selector;
  BARREL_SIM_TRY(parse_selector(reader, names, value, path, &selector));
  if (action == "start") {
    step->action = StartAction{std::move(selector)};
  } else if (action == "crash") {
    step->action = CrashAction{std::move(selector)};
  } else {
    BARREL_ASSERT(action == "leave");
    step->action = LeaveAction{std::move(selector)};
  }
  return Status::ok();
}

// `every` and `until` come together; until lies in [at, duration].
Status parse_repeat(const YamlReader& reader, const MapReader& map, Duration duration, Step* step) {
  if (!map.has("every") && !map.has("until"))
    return Status::ok();
  if (!map.has("every") || !map.has("until")) {
    const char* missing = map.has("every") ? "until" : "every";
    return reader.error(
        map.node(),
        map.path() + " has " + (map.has("every") ? "every" : "until") + " without " + missing,
        "both every: DURATION and until: DURATION");
  }
  BARREL_SIM_TRY(reader.read_duration(map.get("every"), map.path_of("every"), Duration::micros(1),
                                      &step->every));
  const YAML::Node& until = map.get("until");
  BARREL_SIM_TRY(read_instant(reader, until, map.path_of("until"), duration, &step->until));
  if (step->until < step->at) {
    return reader.error(until, map.path_of("until") + " is before at",
                        "an instant between at and the scenario duration");
  }
  if ((step->until - step->at).us() / step->every.us() >= kStepRepeatsMax) {
    return reader.error(map.get("every"), map.path_of("every") + " repeats the step too often",
                        "at most " + std::to_string(kStepRepeatsMax) + " repetitions");
  }
  return Status::ok();
}

// `between: [T1, T2]` instead of at (and of every/until): T1 < T2 <= duration.
Status parse_between(const YamlReader& reader, const MapReader& map, Duration duration,
                     Step* step) {
  const YAML::Node& between = map.get("between");
  const std::string path = map.path_of("between");
  for (const char* other : {"at", "every", "until"}) {
    if (map.has(other)) {
      return reader.error(map.get(other), map.path_of(other) + " beside between",
                          "either at (with every/until) or between: [T1, T2]");
    }
  }
  if (!between.IsSequence() || between.size() != 2)
    return reader.wrong_type(between, path, kBetweenForm);
  BARREL_SIM_TRY(read_instant(reader, between[0], path + "[0]", duration, &step->at));
  BARREL_SIM_TRY(read_instant(reader, between[1], path + "[1]", duration, &step->between_end));
  if (step->between_end <= step->at)
    return reader.error(between, path + " is an empty window", kBetweenForm);
  return Status::ok();
}

Status parse_step(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                  const std::string& path, Duration duration, Step* step) {
  MapReader map;
  BARREL_SIM_TRY(
      map.open(reader, node, path, kStepForm,
               {"at", "between", "every", "until", "start", "join", "crash", "leave", "broadcast",
                "partition", "heal", "restart", "register", "unregister", "churn", "lookup"}));
  step->loc = reader.loc(node);
  if (map.has("between")) {
    BARREL_SIM_TRY(parse_between(reader, map, duration, step));
  } else {
    YAML::Node at;
    BARREL_SIM_TRY(map.require("at", "DURATION (or between: [T1, T2])", &at));
    BARREL_SIM_TRY(read_instant(reader, at, map.path_of("at"), duration, &step->at));
    BARREL_SIM_TRY(parse_repeat(reader, map, duration, step));
  }
  const std::vector<std::string> actions =
      map.present({"start", "join", "crash", "leave", "broadcast", "partition", "heal", "restart",
                   "register", "unregister", "churn", "lookup"});
  if (actions.empty())
    return reader.error(node, path + " has no action", kOneAction);
  if (actions.size() > 1) {
    std::string list;
    for (const std::string& a : actions)
      list += (list.empty() ? "" : ", ") + a;
    return reader.error(node,
                        path + " has " + std::to_string(actions.size()) + " actions (" + list + ")",
                        kOneAction);
  }
  return parse_action(reader, names, map, actions[0], duration, step);
}

// A step that starts a healing record: crash, restart or heal.
bool has_disruption_by(const Scenario& scenario, Duration at) {
  for (const Step& s : scenario.timeline) {
    const bool disrupts = std::holds_alternative<CrashAction>(s.action) ||
                          std::holds_alternative<RestartAction>(s.action) ||
                          std::holds_alternative<HealAction>(s.action);
    if (disrupts && s.at <= at)
      return true;
  }
  return false;
}

Status parse_check(const YamlReader& reader, const MapReader& map, const std::string& check,
                   const Scenario& scenario, Expectation* e) {
  const YAML::Node& value = map.get(check);
  const std::string path = map.path_of(check);
  if (check == "active_min") {
    const uint32_t active_size = scenario.node_config.hyparview.active_size;
    uint64_t count = 0;
    BARREL_SIM_TRY(reader.read_uint(value, path, 1, active_size, &count));
    e->kind = Expectation::Kind::kActiveMin;
    e->count = static_cast<uint32_t>(count);
    return Status::ok();
  }
  if (check == "healed_within") {
    BARREL_SIM_TRY(reader.read_duration(value, path, Duration::micros(1), &e->within));
    if (!has_disruption_by(scenario, e->at)) {
      return reader.error(
          value,
          path + " with no crash, restart or heal step at or before " + format_duration(e->at),
          "a crash, restart or heal step in the timeline before a healed_within "
          "check");
    }
    if (scenario.probe_period == Duration::zero()) {
      return reader.error(value, path + " with probe_period 0s (healing is never measured)",
                          "probe_period above 0s for a healed_within check");
    }
    e->kind = Expectation::Kind::kHealedWithin;
    return Status::ok();
  }
  if (check == "registry_converged" || check == "no_live_dead")
    return parse_registry_check(reader, map, check, scenario, e);
  if (check == "msgs_per_node_per_second")
    return parse_msgs_check(reader, value, path, e);
  if (check == "reliability") {
    BARREL_SIM_TRY(reader.read_fraction(value, path, &e->reliability_ppm));
    e->kind = Expectation::Kind::kReliability;
    return Status::ok();
  }
  bool flag = false;
  BARREL_SIM_TRY(reader.read_bool(value, path, &flag));
  if (!flag)
    return reader.error(value, path + " is false (a check states what must hold)", "true");
  e->kind = check == "connected"   ? Expectation::Kind::kConnected
            : check == "symmetric" ? Expectation::Kind::kSymmetric
                                   : Expectation::Kind::kViewBounds;
  BARREL_ASSERT(check == "connected" || check == "symmetric" || check == "view_bounds");
  return Status::ok();
}

// `settle` (symmetric, reliability) and `since` (reliability).
Status parse_check_options(const YamlReader& reader, const MapReader& map, const std::string& check,
                           const Scenario& scenario, Expectation* e) {
  const bool reliability = e->kind == Expectation::Kind::kReliability;
  if (map.has("within") && e->kind != Expectation::Kind::kRegistryConverged) {
    return reader.error(map.get("within"), map.path_of("within") + " on a " + check + " check",
                        "within only with registry_converged: true");
  }
  if (map.has("settle")) {
    const YAML::Node& settle = map.get("settle");
    if (e->kind != Expectation::Kind::kSymmetric && !reliability) {
      return reader.error(settle, map.path_of("settle") + " on a " + check + " check",
                          "settle only with symmetric: true or reliability: FRACTION");
    }
    BARREL_SIM_TRY(
        reader.read_duration(settle, map.path_of("settle"), Duration::micros(1), &e->settle));
  }
  if (map.has("since")) {
    const YAML::Node& since = map.get("since");
    if (!reliability) {
      return reader.error(since, map.path_of("since") + " on a " + check + " check",
                          "since only with reliability: FRACTION");
    }
    BARREL_SIM_TRY(read_instant(reader, since, map.path_of("since"), scenario.duration, &e->since));
  }
  if (!reliability)
    return Status::ok();
  const Duration settle = e->settle > Duration::zero() ? e->settle : kReliabilitySettleDefault;
  if (e->since + settle > e->at) {
    return reader.error(map.node(),
                        map.path() + " judges no broadcast: since " + format_duration(e->since) +
                            " + settle " + format_duration(settle) + " is after at " +
                            format_duration(e->at),
                        "since + settle <= at");
  }
  return Status::ok();
}

Status parse_expectation(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                         const Scenario& scenario, Expectation* e) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, kExpectForm,
                          {"at", "connected", "symmetric", "view_bounds", "active_min",
                           "healed_within", "reliability", "registry_converged", "no_live_dead",
                           "msgs_per_node_per_second", "settle", "since", "within"}));
  e->loc = reader.loc(node);
  YAML::Node at;
  BARREL_SIM_TRY(map.require("at", "DURATION", &at));
  BARREL_SIM_TRY(read_instant(reader, at, map.path_of("at"), scenario.duration, &e->at));
  const std::vector<std::string> checks = map.present(
      {"connected", "symmetric", "view_bounds", "active_min", "healed_within", "reliability",
       "registry_converged", "no_live_dead", "msgs_per_node_per_second"});
  if (checks.size() != 1) {
    return reader.error(node, path + " has " + std::to_string(checks.size()) + " checks",
                        "exactly one check: connected, symmetric, view_bounds, active_min, "
                        "healed_within, reliability, registry_converged, no_live_dead or "
                        "msgs_per_node_per_second");
  }
  BARREL_SIM_TRY(parse_check(reader, map, checks[0], scenario, e));
  return parse_check_options(reader, map, checks[0], scenario, e);
}

}  // namespace

Status read_instant(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                    Duration duration, Duration* out) {
  BARREL_SIM_TRY(reader.read_duration(node, path, Duration::zero(), out));
  if (*out > duration) {
    return reader.error(node,
                        path + " is " + node.Scalar() + ", beyond the scenario duration " +
                            format_duration(duration),
                        "an instant of at most " + format_duration(duration));
  }
  return Status::ok();
}

Status parse_timeline(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                      Scenario* scenario) {
  BARREL_ASSERT(scenario != nullptr);
  BARREL_ASSERT(names.count() == scenario->node_count);
  BARREL_SIM_TRY(reader.require_list(node, "timeline", "a list of steps", kTimelineStepsMax));
  scenario->timeline.clear();
  for (size_t i = 0; i < node.size(); ++i) {
    Step step;
    const std::string path = "timeline[" + std::to_string(i) + "]";
    BARREL_SIM_TRY(parse_step(reader, names, node[i], path, scenario->duration, &step));
    scenario->timeline.push_back(std::move(step));
  }
  return check_fault_steps(reader, node, *scenario);
}

Status parse_expectations(const YamlReader& reader, const YAML::Node& node, Scenario* scenario) {
  BARREL_ASSERT(scenario != nullptr);
  BARREL_SIM_TRY(reader.require_list(node, "expect", "a list of checks", kExpectationsMax));
  scenario->expectations.clear();
  for (size_t i = 0; i < node.size(); ++i) {
    Expectation e;
    const std::string path = "expect[" + std::to_string(i) + "]";
    BARREL_SIM_TRY(parse_expectation(reader, node[i], path, *scenario, &e));
    scenario->expectations.push_back(std::move(e));
  }
  return Status::ok();
}

}  // namespace barrel::sim
