// yaml_schema.cpp — located, typed reads of yaml-cpp nodes.
#include "yaml_schema.h"

#include "barrel/assert.h"
#include "duration_parse.h"
#include "fraction_parse.h"

namespace barrel::sim {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty())
    return false;
  for (char c : s) {
    if (c < '0' || c > '9')
      return false;
  }
  return true;
}

std::string join_keys(std::initializer_list<std::string_view> keys) {
  std::string s;
  for (std::string_view k : keys) {
    if (!s.empty())
      s += ", ";
    s += k;
  }
  return s;
}

// Scalars longer than this are cut in messages.
constexpr size_t kQuotedTextMax = 60;

}  // namespace

std::string describe_node(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "empty";
    case YAML::NodeType::Undefined:
      return "missing";
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& text = node.Scalar();
  if (text.size() > kQuotedTextMax)
    return "'" + text.substr(0, kQuotedTextMax) + "...'";
  return "'" + text + "'";
}

SourceLoc YamlReader::loc(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  SourceLoc l;
  l.file = file_;
  if (mark.line >= 0 && mark.column >= 0) {
    l.line = mark.line + 1;
    l.column = mark.column + 1;
  }
  return l;
}

Status YamlReader::error(const YAML::Node& at, std::string_view what,
                         std::string_view expected) const {
  return error_at(at.Mark(), what, expected);
}

Status YamlReader::error_at(const YAML::Mark& mark, std::string_view what,
                            std::string_view expected) const {
  BARREL_ASSERT(!what.empty());
  BARREL_ASSERT(!expected.empty());
  std::string m = file_;
  // A null mark (-1) has no position; say so rather than print 0:0.
  if (mark.line >= 0 && mark.column >= 0) {
    m += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  m += ": ";
  m += what;
  m += "; expected ";
  m += expected;
  return Status(Code::kParse, m);
}

Status YamlReader::wrong_type(const YAML::Node& at, std::string_view path,
                              std::string_view form) const {
  return error(at, std::string(path) + " is " + describe_node(at), form);
}

Status YamlReader::read_string(const YAML::Node& node, std::string_view path, std::string_view form,
                               std::string* out) const {
  BARREL_ASSERT(out != nullptr);
  if (!node.IsScalar())
    return wrong_type(node, path, form);
  *out = node.Scalar();
  return Status::ok();
}

Status YamlReader::read_uint(const YAML::Node& node, std::string_view path, uint64_t min,
                             uint64_t max, uint64_t* out) const {
  BARREL_ASSERT(out != nullptr);
  BARREL_ASSERT(min <= max);
  const std::string form = "an integer in " + std::to_string(min) + ".." + std::to_string(max);
  if (!node.IsScalar())
    return wrong_type(node, path, form);
  const std::string& text = node.Scalar();
  const std::string p(path);
  if (!text.empty() && text[0] == '-' && all_digits(text.substr(1))) {
    return error(node, p + " is negative (" + text + ")", form);
  }
  if (!all_digits(text))
    return error(node, p + " is '" + text + "', not an integer", form);
  uint64_t v = 0;
  for (char c : text) {
    const auto d = static_cast<uint64_t>(c - '0');
    if (d > max || v > (max - d) / 10)  // v * 10 + d would exceed max
      return error(node, p + " is too large (" + text + ")", form);
    v = v * 10 + d;
  }
  if (v == 0 && min > 0)
    return error(node, p + " is zero", form);
  if (v < min)
    return error(node, p + " is " + text + ", below " + std::to_string(min), form);
  BARREL_ASSERT(v <= max);
  *out = v;
  return Status::ok();
}

Status YamlReader::read_bool(const YAML::Node& node, std::string_view path, bool* out) const {
  BARREL_ASSERT(out != nullptr);
  if (!node.IsScalar())
    return wrong_type(node, path, "true or false");
  const std::string& text = node.Scalar();
  if (text != "true" && text != "false")
    return wrong_type(node, path, "true or false");
  *out = text == "true";
  return Status::ok();
}

Status YamlReader::read_duration(const YAML::Node& node, std::string_view path, Duration min,
                                 Duration* out) const {
  BARREL_ASSERT(out != nullptr);
  BARREL_ASSERT(min >= Duration::zero());
  if (!node.IsScalar())
    return wrong_type(node, path, kDurationForm);
  std::string why;
  Duration d;
  if (!parse_duration(node.Scalar(), &d, &why))
    return error(node, std::string(path) + ": " + why, kDurationForm);
  if (d < min) {
    return error(node,
                 std::string(path) + " is " + node.Scalar() + ", below " + format_duration(min),
                 std::string(kDurationForm) + " of at least " + format_duration(min));
  }
  *out = d;
  return Status::ok();
}

Status YamlReader::read_decimal_ppm(const YAML::Node& node, std::string_view path,
                                    std::string_view form, uint64_t* ppm) const {
  BARREL_ASSERT(ppm != nullptr);
  if (!node.IsScalar())
    return wrong_type(node, path, form);
  std::string why;
  if (!parse_fraction_ppm(node.Scalar(), ppm, &why))
    return error(node, std::string(path) + ": " + why, form);
  return Status::ok();
}

Status YamlReader::read_fraction(const YAML::Node& node, std::string_view path, Ppm* out) const {
  BARREL_ASSERT(out != nullptr);
  uint64_t ppm = 0;
  BARREL_SIM_TRY(read_decimal_ppm(node, path, kFractionForm, &ppm));
  if (ppm == 0 || ppm > kPpmOne) {
    return error(node, std::string(path) + " is " + node.Scalar() + ", outside (0, 1]",
                 kFractionForm);
  }
  *out = static_cast<Ppm>(ppm);
  return Status::ok();
}

Status YamlReader::require_list(const YAML::Node& node, std::string_view path,
                                std::string_view form, size_t items_max) const {
  if (!node.IsSequence())
    return wrong_type(node, path, form);
  if (node.size() > items_max) {
    return error(node,
                 std::string(path) + " has " + std::to_string(node.size()) + " entries, above " +
                     std::to_string(items_max),
                 std::string(form) + " of at most " + std::to_string(items_max) + " entries");
  }
  return Status::ok();
}

Status MapReader::open(const YamlReader& reader, const YAML::Node& node, std::string_view path,
                       std::string_view form, std::initializer_list<std::string_view> allowed) {
  reader_ = &reader;
  node_ = node;
  path_ = std::string(path);
  entries_.clear();
  const std::string where = path_.empty() ? "the scenario" : path_;
  if (!node.IsMap())
    return reader.wrong_type(node, path_.empty() ? "the scenario" : path_, form);
  for (auto it = node.begin(); it != node.end(); ++it) {
    // Copies: yaml-cpp's iterator hands out proxies that die with the expression.
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar())
      return reader.error(key, "a key in " + where + " is " + describe_node(key), "a plain key");
    const std::string& text = key.Scalar();
    bool known = false;
    for (std::string_view a : allowed)
      known = known || a == text;
    if (!known) {
      return reader.error(key, "unknown key '" + text + "' in " + where,
                          "one of: " + join_keys(allowed));
    }
    if (has(text))
      return reader.error(key, "duplicate key '" + text + "' in " + where, "each key once");
    entries_.push_back(Entry{text, value});
  }
  BARREL_ASSERT(entries_.size() <= allowed.size());
  return Status::ok();
}

bool MapReader::has(std::string_view key) const {
  for (const Entry& e : entries_) {
    if (e.key == key)
      return true;
  }
  return false;
}

const YAML::Node& MapReader::get(std::string_view key) const {
  for (const Entry& e : entries_) {
    if (e.key == key)
      return e.value;
  }
  BARREL_ASSERT(false && "MapReader::get of an absent key");
  return entries_.front().value;
}

Status MapReader::require(std::string_view key, std::string_view form, YAML::Node* out) const {
  BARREL_ASSERT(reader_ != nullptr);
  BARREL_ASSERT(out != nullptr);
  if (!has(key)) {
    const std::string where = path_.empty() ? "the scenario" : path_;
    return reader_->error(node_, "missing key '" + std::string(key) + "' in " + where,
                          std::string(key) + ": " + std::string(form));
  }
  *out = get(key);
  return Status::ok();
}

std::vector<std::string> MapReader::present(std::initializer_list<std::string_view> keys) const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) {
    for (std::string_view k : keys) {
      if (e.key == k)
        out.push_back(e.key);
    }
  }
  return out;
}

std::string MapReader::path_of(std::string_view key) const {
  if (path_.empty())
    return std::string(key);
  return path_ + "." + std::string(key);
}

}  // namespace barrel::sim
