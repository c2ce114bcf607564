// selector_parse.cpp — node selectors and name lists, checked against the scenario's nodes.
#include "selector_parse.h"

#include <set>

#include "barrel/assert.h"

namespace barrel::sim {
namespace {

constexpr std::string_view kNameListForm = "a non-empty list of distinct scenario node names";

Status parse_name(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                  std::string_view path, uint32_t* index) {
  std::string name;
  BARREL_SIM_TRY(reader.read_string(node, path, "a scenario node name", &name));
  *index = names.index_of(name);
  if (*index == 0) {
    return reader.error(node, "unknown node name '" + name + "' in " + std::string(path),
                        "a scenario node name: " + names.describe());
  }
  return Status::ok();
}

Status parse_range(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                   std::string_view path, NodeSelector* out) {
  const std::string form = "[A, B] with 1 <= A <= B <= " + std::to_string(names.count());
  if (!node.IsSequence() || node.size() != 2)
    return reader.wrong_type(node, path, form);
  uint64_t bounds[2] = {0, 0};
  for (size_t i = 0; i < 2; ++i) {
    const std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
    BARREL_SIM_TRY(reader.read_uint(node[i], item_path, 1, names.count(), &bounds[i]));
  }
  if (bounds[0] > bounds[1]) {
    return reader.error(node,
                        std::string(path) + " is [" + std::to_string(bounds[0]) + ", " +
                            std::to_string(bounds[1]) + "], an empty range",
                        form);
  }
  out->kind = NodeSelector::Kind::kRange;
  out->first = static_cast<uint32_t>(bounds[0]);
  out->last = static_cast<uint32_t>(bounds[1]);
  return Status::ok();
}

Status parse_selector_map(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                          std::string_view path, NodeSelector* out) {
  MapReader map;
  BARREL_SIM_TRY(
      map.open(reader, node, path, kSelectorForm, {"range", "count", "fraction", "group"}));
  if (map.has("group"))
    BARREL_SIM_TRY(parse_group_name(reader, names, map.get("group"), map.path_of("group"), out));
  const std::vector<std::string> forms = map.present({"range", "count", "fraction"});
  if (map.has("group") && forms.empty()) {
    out->kind = NodeSelector::Kind::kGroup;
    return Status::ok();
  }
  if (map.has("group") && forms.size() == 1 && forms[0] == "range") {
    return reader.error(map.get("range"), map.path_of("range") + " with a group",
                        "{group: NAME} alone, or with count: N or fraction: F");
  }
  if (forms.size() != 1) {
    return reader.error(
        node, std::string(path) + " has " + std::to_string(forms.size()) + " selector forms",
        "exactly one of range, count, fraction");
  }
  const std::string& form = forms[0];
  const YAML::Node& value = map.get(form);
  if (form == "range")
    return parse_range(reader, names, value, map.path_of("range"), out);
  if (form == "count") {
    uint64_t count = 0;
    BARREL_SIM_TRY(reader.read_uint(value, map.path_of("count"), 1, names.count(), &count));
    out->kind = NodeSelector::Kind::kCount;
    out->count = static_cast<uint32_t>(count);
    return Status::ok();
  }
  BARREL_ASSERT(form == "fraction");
  out->kind = NodeSelector::Kind::kFraction;
  return reader.read_fraction(value, map.path_of("fraction"), &out->fraction_ppm);
}

}  // namespace

Status parse_group_name(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                        std::string_view path, NodeSelector* out) {
  std::string group;
  BARREL_SIM_TRY(reader.read_string(node, path, "a group name", &group));
  if (!names.has_group(group)) {
    std::string known;
    for (const std::string& g : names.groups())
      known += (known.empty() ? "" : ", ") + g;
    return reader.error(node, "unknown group '" + group + "' in " + std::string(path),
                        known.empty() ? std::string("a group defined under groups: (none is)")
                                      : "a group defined before: " + known);
  }
  out->group = group;
  return Status::ok();
}

Status parse_name_list(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                       std::string_view path, size_t items_max, std::vector<std::string>* out) {
  BARREL_ASSERT(out != nullptr);
  BARREL_ASSERT(items_max >= 1);
  BARREL_SIM_TRY(reader.require_list(node, path, kNameListForm, items_max));
  if (node.size() == 0)
    return reader.error(node, std::string(path) + " is an empty list", kNameListForm);
  std::set<uint32_t> seen;  // ordered set: only membership is asked
  out->clear();
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
    uint32_t index = 0;
    BARREL_SIM_TRY(parse_name(reader, names, node[i], item_path, &index));
    if (!seen.insert(index).second) {
      return reader.error(node[i],
                          "duplicate node name '" + node[i].Scalar() + "' in " + std::string(path),
                          kNameListForm);
    }
    out->push_back(node[i].Scalar());
  }
  BARREL_ASSERT(out->size() == node.size());
  return Status::ok();
}

Status parse_selector(const YamlReader& reader, const NodeNames& names, const YAML::Node& node,
                      std::string_view path, NodeSelector* out) {
  BARREL_ASSERT(out != nullptr);
  *out = NodeSelector{};
  if (node.IsScalar()) {
    if (node.Scalar() == "all") {
      out->kind = NodeSelector::Kind::kAll;
      return Status::ok();
    }
    if (names.has_group(node.Scalar())) {
      out->kind = NodeSelector::Kind::kGroup;
      out->group = node.Scalar();
      return Status::ok();
    }
    uint32_t index = 0;
    BARREL_SIM_TRY(parse_name(reader, names, node, path, &index));
    out->kind = NodeSelector::Kind::kNames;
    out->names = {node.Scalar()};
    return Status::ok();
  }
  if (node.IsSequence()) {
    out->kind = NodeSelector::Kind::kNames;
    return parse_name_list(reader, names, node, path, names.count(), &out->names);
  }
  if (node.IsMap())
    return parse_selector_map(reader, names, node, path, out);
  return reader.wrong_type(node, path, kSelectorForm);
}

}  // namespace barrel::sim
