// yaml_schema.h — strict, typed, located access to a parsed YAML tree.
//
// The scenario loader reads yaml-cpp nodes only through these helpers, so
// every value is checked for its type and range, every map for unknown and
// duplicate keys, and every error names where it was written:
//
//   FILE:LINE:COLUMN: what is wrong; expected <form>
//
// (LINE and COLUMN 1-based, from yaml-cpp's 0-based Mark). Errors are
// Status values with Code::kParse and exactly that text as message.
//
// Scalars are read from their text, never through yaml-cpp's as<T>(), so a
// number is a plain run of digits: no sign, no exponent, no hex, no floats.
//
// yaml-cpp may throw on misuse (e.g. Mark() of an invalid node); callers
// wrap the whole load in a try block (scenario_loader.cpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "barrel/rng.h"
#include "barrel/sim/scenario.h"
#include "barrel/status.h"
#include "barrel/time.h"

// Returns from the enclosing function if `expr` (a Status) is an error.
#define BARREL_SIM_TRY(expr)          \
  do {                                \
    ::barrel::Status try_s_ = (expr); \
    if (!try_s_.is_ok())              \
      return try_s_;                  \
  } while (0)

namespace barrel::sim {

// "a map", "a list", "nothing", "'text'": what a node is, for messages.
std::string describe_node(const YAML::Node& node);

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  SourceLoc loc(const YAML::Node& node) const;

  // The located error "file:line:col: what; expected form" (Code::kParse).
  Status error(const YAML::Node& at, std::string_view what, std::string_view expected) const;
  Status error_at(const YAML::Mark& mark, std::string_view what, std::string_view expected) const;
  // "<path> is <describe_node>; expected <form>".
  Status wrong_type(const YAML::Node& at, std::string_view path, std::string_view form) const;

  // A scalar's text. A map, list or null is a wrong type.
  Status read_string(const YAML::Node& node, std::string_view path, std::string_view form,
                     std::string* out) const;
  // An unsigned integer in [min, max]; negative, zero (when min > 0) and too
  // large values each get their own message.
  Status read_uint(const YAML::Node& node, std::string_view path, uint64_t min, uint64_t max,
                   uint64_t* out) const;
  // `true` or `false`.
  Status read_bool(const YAML::Node& node, std::string_view path, bool* out) const;
  // A duration (duration_parse.h) in [min, kDurationMax].
  Status read_duration(const YAML::Node& node, std::string_view path, Duration min,
                       Duration* out) const;
  // A fraction (fraction_parse.h) in (0, 1].
  Status read_fraction(const YAML::Node& node, std::string_view path, Ppm* out) const;
  // A scalar decimal or percentage as parts per million, in no range: the
  // caller checks the range its value needs (its message names `form`).
  Status read_decimal_ppm(const YAML::Node& node, std::string_view path, std::string_view form,
                          uint64_t* ppm) const;
  // Checks that `node` is a list of at most `items_max` entries.
  Status require_list(const YAML::Node& node, std::string_view path, std::string_view form,
                      size_t items_max) const;

 private:
  std::string file_;
};

// A map whose keys were checked: scalars, each among the allowed ones, none
// twice. Lookups are by key text, in the order written.
class MapReader {
 public:
  // Checks `node` against `allowed`. `path` names the map in messages ("nodes",
  // "timeline[2]", or "the scenario" for the top level); `form` is the
  // expected form shown when `node` is not a map at all.
  Status open(const YamlReader& reader, const YAML::Node& node, std::string_view path,
              std::string_view form, std::initializer_list<std::string_view> allowed);

  bool has(std::string_view key) const;
  // REQUIRES: has(key).
  const YAML::Node& get(std::string_view key) const;
  // The value of `key`, or a "missing key" error pointing at the map.
  Status require(std::string_view key, std::string_view form, YAML::Node* out) const;
  // The keys present among `keys`, in the order written in the file.
  std::vector<std::string> present(std::initializer_list<std::string_view> keys) const;
  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  // "path.key" (or "key" at the top level), for messages.
  std::string path_of(std::string_view key) const;

 private:
  struct Entry {
    std::string key;
    YAML::Node value;
  };
  const YamlReader* reader_ = nullptr;
  YAML::Node node_;
  std::string path_;
  std::vector<Entry> entries_;
};

}  // namespace barrel::sim
