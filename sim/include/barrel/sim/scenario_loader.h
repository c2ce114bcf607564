// scenario_loader.h — turns a scenario YAML file into a Scenario.
//
// The language is documented in scenarios/README.md. The loader is strict:
// an unknown key, a value of the wrong type or out of range, a name that is
// not a scenario node, a step with zero or two actions, an instant beyond the
// scenario's duration, a config that NodeConfig::validate() rejects: each is
// an error, never a silent default or a clamp.
//
// Errors are returned, never thrown (yaml-cpp's exceptions are caught inside),
// as a Status whose message has the form
//
//   FILE:LINE:COLUMN: what is wrong; expected <form>
//
// with LINE and COLUMN 1-based (Code::kParse; YAML syntax errors too). A file
// that cannot be read gives "FILE: cannot open: <strerror>" (Code::kIo).
//
// Thread-safety: the functions share no state; call them from any thread.
#pragma once

#include <string>
#include <string_view>

#include "barrel/result.h"
#include "barrel/sim/scenario.h"

namespace barrel::sim {

// Files larger than this are rejected (Code::kIo) before they are parsed.
inline constexpr size_t kScenarioFileBytesMax = 4u << 20;

// Reads and parses the file at `path`; `path` is the FILE of every message.
// The scenario's name defaults to the file's stem.
Result<Scenario> load_scenario_file(const std::string& path);

// Parses `yaml`, naming it `file_label` in messages and in Scenario::loc; the
// name defaults to the label's stem ("dir/x.yaml" -> "x").
Result<Scenario> parse_scenario(std::string_view yaml, const std::string& file_label);

}  // namespace barrel::sim
