// group_parse.cpp — the top-level `groups:` map (see group_parse.h).
#include "group_parse.h"

#include <string>

#include "barrel/assert.h"
#include "selector_parse.h"

namespace barrel::sim {
namespace {

constexpr std::string_view kGroupsForm =
    "a map of group names to members: a selector or rest (e.g. {east: {range: [1, 50]}, west: "
    "rest})";

bool valid_group_name(const std::string& name) {
  if (name.empty() || name.size() > kGroupNameBytesMax || name == "all" || name == "rest")
    return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok)
      return false;
  }
  return true;
}

Status parse_group(const YamlReader& reader, const YAML::Node& key, const YAML::Node& value,
                   NodeNames* names, NodeGroup* g) {
  const std::string name_form = "a group name of 1.." + std::to_string(kGroupNameBytesMax) +
                                " letters, digits, '-' or '_', not all or rest";
  BARREL_SIM_TRY(reader.read_string(key, "groups", name_form, &g->name));
  if (!valid_group_name(g->name))
    return reader.error(key, "'" + g->name + "' is not a valid group name", name_form);
  if (names->has_group(g->name)) {
    return reader.error(key, "group '" + g->name + "' is defined twice", "distinct group names");
  }
  g->loc = reader.loc(key);
  const std::string path = "groups." + g->name;
  if (value.IsScalar() && value.Scalar() == "rest") {
    g->rest = true;
    return Status::ok();
  }
  return parse_selector(reader, *names, value, path, &g->members);
}

}  // namespace

Status parse_groups(const YamlReader& reader, const YAML::Node& node, NodeNames* names,
                    Scenario* scenario) {
  BARREL_ASSERT(names != nullptr && scenario != nullptr);
  if (!node.IsMap())
    return reader.wrong_type(node, "groups", kGroupsForm);
  if (node.size() > kGroupsMax) {
    return reader.error(node, "groups has " + std::to_string(node.size()) + " groups",
                        "at most " + std::to_string(kGroupsMax) + " groups");
  }
  scenario->groups.clear();
  for (auto it = node.begin(); it != node.end(); ++it) {
    NodeGroup g;
    BARREL_SIM_TRY(parse_group(reader, it->first, it->second, names, &g));
    names->add_group(g.name);
    scenario->groups.push_back(std::move(g));
  }
  BARREL_ASSERT(names->groups().size() == scenario->groups.size());
  return Status::ok();
}

}  // namespace barrel::sim
