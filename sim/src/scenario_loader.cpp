// scenario_loader.cpp — the top level of a scenario file: bounds, nodes, config
// (the network section is read by network_parse.cpp).
//
// Keys are read in dependency order, not file order: duration, nodes and
// config first, because timeline and expect are checked against them.
#include "barrel/sim/scenario_loader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "barrel/assert.h"
#include "config_parse.h"
#include "duration_parse.h"
#include "fault_parse.h"
#include "group_parse.h"
#include "network_parse.h"
#include "node_names.h"
#include "timeline_parse.h"
#include "yaml_schema.h"

namespace barrel::sim {
namespace {

// More nodes than this is a typo, not a scenario (the design aims at 10^5).
constexpr uint64_t kNodeCountMax = 1'000'000;
constexpr size_t kNameBytesMax = 128;
constexpr size_t kDescriptionBytesMax = 4096;

constexpr std::string_view kScenarioForm = "a map of scenario keys (see scenarios/README.md)";
constexpr std::string_view kNodesForm = "{count: N, name: PATTERN with {i}}";
std::string stem_of(const std::string& label) {
  const size_t slash = label.find_last_of('/');
  std::string base = slash == std::string::npos ? label : label.substr(slash + 1);
  const size_t dot = base.find_last_of('.');
  if (dot != std::string::npos && dot > 0)
    base.resize(dot);
  return base.empty() ? std::string("scenario") : base;
}

Status read_text(const YamlReader& reader, const YAML::Node& node, const std::string& path,
                 size_t bytes_max, std::string* out) {
  const std::string form = "text of at most " + std::to_string(bytes_max) + " printable bytes";
  BARREL_SIM_TRY(reader.read_string(node, path, form, out));
  bool printable = true;
  for (char c : *out)
    printable = printable && (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t');
  if (out->size() > bytes_max || !printable || (path == "name" && out->empty()))
    return reader.error(node, path + " is not a valid text", form);
  return Status::ok();
}

Status parse_nodes(const YamlReader& reader, const YAML::Node& node, Scenario* s,
                   NodeNames* names) {
  MapReader map;
  BARREL_SIM_TRY(map.open(reader, node, "nodes", kNodesForm, {"count", "name"}));
  YAML::Node count;
  BARREL_SIM_TRY(map.require("count", "N", &count));
  uint64_t n = 0;
  BARREL_SIM_TRY(reader.read_uint(count, "nodes.count", 1, kNodeCountMax, &n));
  s->node_count = static_cast<uint32_t>(n);
  if (map.has("name")) {
    BARREL_SIM_TRY(reader.read_string(map.get("name"), "nodes.name", "a name pattern with {i}",
                                      &s->name_pattern));
  }
  std::string why;
  if (!NodeNames::make(s->name_pattern, s->node_count, names, &why)) {
    const YAML::Node& at = map.has("name") ? map.get("name") : node;
    return reader.error(at, why, "a pattern like node{i}@sim giving valid names (name@host)");
  }
  return Status::ok();
}

// The scalar keys of the top level (everything but nodes, config, network,
// timeline and expect).
Status parse_run_keys(const YamlReader& reader, const MapReader& map, Scenario* s) {
  if (map.has("name"))
    BARREL_SIM_TRY(read_text(reader, map.get("name"), "name", kNameBytesMax, &s->name));
  if (map.has("description")) {
    BARREL_SIM_TRY(read_text(reader, map.get("description"), "description", kDescriptionBytesMax,
                             &s->description));
  }
  if (map.has("seed"))
    BARREL_SIM_TRY(reader.read_uint(map.get("seed"), "seed", 0, UINT64_MAX, &s->seed));
  if (map.has("duration")) {
    BARREL_SIM_TRY(
        reader.read_duration(map.get("duration"), "duration", Duration::micros(1), &s->duration));
  }
  if (map.has("max_events")) {
    BARREL_SIM_TRY(
        reader.read_uint(map.get("max_events"), "max_events", 1, UINT64_MAX, &s->max_events));
  }
  if (map.has("probe_period")) {
    BARREL_SIM_TRY(reader.read_duration(map.get("probe_period"), "probe_period", Duration::zero(),
                                        &s->probe_period));
  }
  return Status::ok();
}

Status parse_document(const YamlReader& reader, const YAML::Node& root, Scenario* s) {
  MapReader map;
  BARREL_SIM_TRY(
      map.open(reader, root, "", kScenarioForm,
               {"name", "description", "seed", "duration", "max_events", "probe_period", "nodes",
                "groups", "config", "network", "timeline", "expect", "report_windows"}));
  BARREL_SIM_TRY(parse_run_keys(reader, map, s));
  YAML::Node nodes;
  BARREL_SIM_TRY(map.require("nodes", kNodesForm, &nodes));
  NodeNames names;
  BARREL_SIM_TRY(parse_nodes(reader, nodes, s, &names));
  if (map.has("groups"))
    BARREL_SIM_TRY(parse_groups(reader, map.get("groups"), &names, s));
  if (map.has("config"))
    BARREL_SIM_TRY(parse_config(reader, map.get("config"), &s->node_config));
  if (map.has("network"))
    BARREL_SIM_TRY(parse_network(reader, names, map.get("network"), &s->network));
  if (map.has("timeline"))
    BARREL_SIM_TRY(parse_timeline(reader, names, map.get("timeline"), s));
  if (map.has("expect"))
    BARREL_SIM_TRY(parse_expectations(reader, map.get("expect"), s));
  if (map.has("report_windows"))
    BARREL_SIM_TRY(parse_report_windows(reader, map.get("report_windows"), s));
  BARREL_ASSERT(s->node_count >= 1);
  BARREL_ASSERT(s->node_config.validate().is_ok());
  return Status::ok();
}

Status syntax_error(const std::string& file, const YAML::Mark& mark, const std::string& msg) {
  YamlReader reader(file);
  return reader.error_at(mark, "YAML syntax error: " + msg, "well-formed YAML");
}

}  // namespace

Result<Scenario> parse_scenario(std::string_view yaml, const std::string& file_label) {
  const YamlReader reader(file_label);
  Scenario s;
  s.name = stem_of(file_label);
  s.loc.file = file_label;
  s.loc.line = 1;
  s.loc.column = 1;
  // yaml-cpp reports syntax errors, and misuse, by exceptions: none leaves here.
  try {
    const std::vector<YAML::Node> docs = YAML::LoadAll(std::string(yaml));
    if (docs.empty()) {
      return reader.error_at(YAML::Mark(), "the scenario is empty", kScenarioForm);
    }
    if (docs.size() > 1) {
      return reader.error(docs[1], "a second YAML document", "one document per scenario file");
    }
    Status st = parse_document(reader, docs[0], &s);
    if (!st.is_ok())
      return st;
  } catch (const YAML::ParserException& e) {
    return syntax_error(file_label, e.mark, e.msg);
  } catch (const YAML::Exception& e) {
    // Not expected (the readers never convert through yaml-cpp), but a
    // malformed document must not escape as an exception.
    return reader.error_at(e.mark, "cannot read the scenario: " + e.msg, kScenarioForm);
  } catch (const std::exception& e) {
    return reader.error_at(YAML::Mark::null_mark(),
                           std::string("cannot read the scenario: ") + e.what(), kScenarioForm);
  }
  return s;
}

Result<Scenario> load_scenario_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr)
    return Status(Code::kIo, path + ": cannot open: " + std::strerror(errno));
  std::string text;
  char buf[64 * 1024];
  bool too_large = false;
  // Bounded by kScenarioFileBytesMax.
  for (;;) {
    const size_t n = std::fread(buf, 1, sizeof buf, f);
    text.append(buf, n);
    if (text.size() > kScenarioFileBytesMax) {
      too_large = true;
      break;
    }
    if (n < sizeof buf)
      break;
  }
  const int read_errno = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (read_errno != 0)
    return Status(Code::kIo, path + ": cannot open: " + std::strerror(read_errno));
  if (too_large) {
    return Status(Code::kIo, path + ": cannot open: larger than " +
                                 std::to_string(kScenarioFileBytesMax) + " bytes");
  }
  return parse_scenario(text, path);
}

}  // namespace barrel::sim
