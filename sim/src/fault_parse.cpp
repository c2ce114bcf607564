// fault_parse.cpp — partition, heal and restart steps, and network.loss
// (forms in fault_parse.h).
#include "fault_parse.h"

#include <cstdint>
#include <vector>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "duration_parse.h"
#include "network_parse.h"
#include "selector_parse.h"

namespace barrel::sim {
namespace {

constexpr size_t kPartitionNameBytesMax = 64;

bool plain_name(const std::string& name) {
  bool plain = !name.empty() && name.size() <= kPartitionNameBytesMax && name != "all";
  for (char c : name) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.');
  }
  return plain;
}

std::string name_form() {
  return "a name of 1.." + std::to_string(kPartitionNameBytesMax) +
         " letters, digits, '-', '_' or '.', other than all";
}

// Explicit groups (names, ranges) must be disjoint: owner[i] is 1 + the
// group that named node i+1, or 0. Random groups draw among the nodes left
// at run time, so they cannot overlap.
Status check_disjoint(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                      const std::string& path, size_t g, const NodeSelector& sel,
                      std::vector<uint16_t>* owner) {
  auto take = [&](uint32_t index_1) -> Status {
    BARREL_ASSERT(index_1 >= 1 && index_1 <= owner->size());
    uint16_t& o = (*owner)[index_1 - 1];
    if (o != 0) {
      return reader.error(node,
                          path + " names " + names.name(index_1) + ", already in groups[" +
                              std::to_string(o - 1) + "]",
                          "disjoint groups");
    }
    o = static_cast<uint16_t>(g + 1);
    return Status::ok();
  };
  if (sel.kind == NodeSelector::Kind::kNames) {
    for (const std::string& n : sel.names)
      BARREL_SIM_TRY(take(names.index_of(n)));
  } else if (sel.kind == NodeSelector::Kind::kRange) {
    for (uint32_t i = sel.first; i <= sel.last; ++i)  // bounded by count
      BARREL_SIM_TRY(take(i));
  }
  return Status::ok();
}

bool is_partition_named(const Step& s, const std::string& name) {
  const auto* p = std::get_if<PartitionAction>(&s.action);
  return p != nullptr && p->name == name;
}

}  // namespace

Status parse_partition(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                       const std::string& path, Step* step) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, kPartitionForm, {"name", "groups", "one_way"}));
  PartitionAction p;
  if (map.has("name")) {
    const YAML::Node& name = map.get("name");
    BARREL_SIM_TRY(reader.read_string(name, map.path_of("name"), name_form(), &p.name));
    if (!plain_name(p.name))
      return reader.error(name, map.path_of("name") + " is not a valid partition name",
                          name_form());
  }
  if (map.has("one_way")) {  // network_parse.h
    if (map.has("groups")) {
      return reader.error(map.get("groups"), path + " has both groups and one_way", kPartitionForm);
    }
    BARREL_SIM_TRY(
        parse_one_way_cut(reader, names, map.get("one_way"), map.path_of("one_way"), &p));
    step->action = std::move(p);
    return Status::ok();
  }
  YAML::Node groups;
  BARREL_SIM_TRY(map.require("groups", "[SELECTOR, ...]", &groups));
  const std::string groups_path = map.path_of("groups");
  BARREL_SIM_TRY(
      reader.require_list(groups, groups_path, "a list of selectors", kPartitionGroupsMax));
  if (groups.size() == 0) {
    return reader.error(groups, groups_path + " is empty",
                        "1.." + std::to_string(kPartitionGroupsMax) + " selectors");
  }
  std::vector<uint16_t> owner(names.count(), 0);
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::string gpath = groups_path + "[" + std::to_string(g) + "]";
    NodeSelector sel;
    BARREL_SIM_TRY(parse_selector(reader, names, groups[g], gpath, &sel));
    if (sel.kind == NodeSelector::Kind::kAll) {
      return reader.error(groups[g], gpath + " is all (a group of every node cuts nothing)",
                          "a selector other than all");
    }
    BARREL_SIM_TRY(check_disjoint(reader, names, groups[g], gpath, g, sel, &owner));
    p.groups.push_back(std::move(sel));
  }
  step->action = std::move(p);
  return Status::ok();
}

Status parse_heal(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                  Step* step) {
  HealAction h;
  BARREL_SIM_TRY(reader.read_string(node, path, kHealForm, &h.name));
  if (h.name == "all") {
    h.name.clear();
  } else if (!plain_name(h.name)) {
    return reader.error(node, path + " is not a partition name", kHealForm);
  }
  step->action = std::move(h);
  return Status::ok();
}

Status parse_restart(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                     const std::string& path, Duration duration, Step* step) {
  MapReader map;
  BARREL_SIM_TRY(
      map.open(reader, node, path, kRestartForm, {"nodes", "after", "contacts", "identity"}));
  RestartAction r;
  YAML::Node value;
  BARREL_SIM_TRY(map.require("nodes", kSelectorForm, &value));
  BARREL_SIM_TRY(parse_selector(reader, names, value, map.path_of("nodes"), &r.nodes));
  BARREL_SIM_TRY(map.require("after", "DURATION", &value));
  BARREL_SIM_TRY(reader.read_duration(value, map.path_of("after"), Duration::zero(), &r.after));
  // A repeated restart starts its last nodes `after` its last repetition.
  const Duration last = step->every > Duration::zero() ? step->until : step->at;
  if (last + r.after > duration) {
    return reader.error(value,
                        map.path_of("after") + " " + value.Scalar() + " from " +
                            format_duration(last) + " ends beyond the scenario duration " +
                            format_duration(duration),
                        "a restart that ends by " + format_duration(duration));
  }
  BARREL_SIM_TRY(map.require("contacts", "[NAMES]", &value));
  BARREL_SIM_TRY(parse_name_list(reader, names, value, map.path_of("contacts"),
                                 limits::kContactsMax, &r.contacts));
  if (map.has("identity")) {
    const YAML::Node& identity = map.get("identity");
    std::string text;
    BARREL_SIM_TRY(reader.read_string(identity, map.path_of("identity"), "keep or new", &text));
    if (text != "keep" && text != "new") {
      return reader.error(identity, map.path_of("identity") + " is '" + text + "'", "keep or new");
    }
    r.identity = text == "new" ? RestartAction::Identity::kNew : RestartAction::Identity::kKeep;
  }
  step->action = std::move(r);
  return Status::ok();
}

Status check_fault_steps(const YamlReader& reader, const YAML::Node& timeline,
                         const Scenario& scenario) {
  const std::vector<Step>& steps = scenario.timeline;
  BARREL_ASSERT(timeline.size() == steps.size());
  // Quadratic in the fault steps only; the timeline is bounded (kTimelineStepsMax).
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string path = "timeline[" + std::to_string(i) + "]";
    if (const auto* p = std::get_if<PartitionAction>(&steps[i].action)) {
      for (size_t j = 0; j < i && !p->name.empty(); ++j) {
        if (is_partition_named(steps[j], p->name)) {
          return reader.error(timeline[i]["partition"]["name"],
                              path + ".partition.name '" + p->name + "' is used twice",
                              "distinct partition names");
        }
      }
    }
    const auto* h = std::get_if<HealAction>(&steps[i].action);
    if (h == nullptr || h->name.empty())
      continue;
    bool found = false;
    for (size_t j = 0; j < steps.size() && !found; ++j) {
      const bool earlier = steps[j].at < steps[i].at || (steps[j].at == steps[i].at && j < i);
      found = earlier && is_partition_named(steps[j], h->name);
    }
    if (!found) {
      return reader.error(timeline[i]["heal"],
                          path + ".heal '" + h->name + "' names no partition step before it",
                          kHealForm);
    }
  }
  return Status::ok();
}

Status read_loss(const YamlReader& reader, const YAML::Node& node, Ppm* out) {
  BARREL_ASSERT(out != nullptr);
  uint64_t ppm = 0;
  BARREL_SIM_TRY(reader.read_decimal_ppm(node, "network.loss", kLossForm, &ppm));
  if (ppm >= kPpmOne) {
    return reader.error(
        node, "network.loss is " + node.Scalar() + ", outside [0, 1) (nothing would arrive)",
        kLossForm);
  }
  *out = static_cast<Ppm>(ppm);
  return Status::ok();
}

}  // namespace barrel::sim
