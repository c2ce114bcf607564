// window_parse.cpp — the top-level `report_windows` list (named intervals of
// broadcast metrics), checked against the scenario's duration.
#include <string>

#include "barrel/assert.h"
#include "timeline_parse.h"

namespace barrel::sim {
namespace {

constexpr std::string_view kWindowForm = "{name: TEXT, from: DURATION, to: DURATION}";
constexpr size_t kWindowNameBytesMax = 64;

Status parse_window(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                    const Scenario& scenario, ReportWindow* w) {
  const Duration duration = scenario.duration;
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, path, kWindowForm, {"name", "from", "to"}));
  w->loc = reader.loc(node);
  YAML::Node value;
  BARREL_SIM_TRY(map.require("name", "TEXT", &value));
  const std::string name_form =
      "a name of 1.." + std::to_string(kWindowNameBytesMax) + " letters, digits, '-', '_' or '.'";
  BARREL_SIM_TRY(reader.read_string(value, map.path_of("name"), name_form, &w->name));
  bool plain = !w->name.empty() && w->name.size() <= kWindowNameBytesMax;
  for (char c : w->name) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.');
  }
  if (!plain)
    return reader.error(value, map.path_of("name") + " is not a valid window name", name_form);
  for (const ReportWindow& other : scenario.report_windows) {
    if (other.name == w->name) {
      return reader.error(value, map.path_of("name") + " '" + w->name + "' is used twice",
                          "distinct window names");
    }
  }
  BARREL_SIM_TRY(map.require("from", "DURATION", &value));
  BARREL_SIM_TRY(read_instant(reader, value, map.path_of("from"), duration, &w->from));
  BARREL_SIM_TRY(map.require("to", "DURATION", &value));
  BARREL_SIM_TRY(read_instant(reader, value, map.path_of("to"), duration, &w->to));
  if (w->to <= w->from) {
    return reader.error(value, map.path_of("to") + " is not after from",
                        "an instant after from, at most the scenario duration");
  }
  return Status::ok();
}

}  // namespace

Status parse_report_windows(const YamlReader& reader, const YAML::Node& node, Scenario* scenario) {
  BARREL_ASSERT(scenario != nullptr);
  BARREL_SIM_TRY(
      reader.require_list(node, "report_windows", "a list of windows", kReportWindowsMax));
  scenario->report_windows.clear();
  for (size_t i = 0; i < node.size(); ++i) {
    ReportWindow w;
    const std::string path = "report_windows[" + std::to_string(i) + "]";
    BARREL_SIM_TRY(parse_window(reader, node[i], path, *scenario, &w));
    scenario->report_windows.push_back(std::move(w));
  }
  return Status::ok();
}

}  // namespace barrel::sim
