// node_config.cpp — strict, located parsing of barrel-node's YAML file.
//
// The approach is the simulator's (sim/src/yaml_schema.h), not its code (tools
// must not depend on barrel_sim): scalars are read from their text, never
// through yaml-cpp's as<T>(), and every error carries the Mark of the node it
// is about.
#include "node/node_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <fstream>
#include <sstream>
#include <utility>

#include "barrel/assert.h"
#include "barrel/ids.h"
#include "barrel/limits.h"

// Returns from the enclosing function if `expr` (a Status) is an error.
#define BARREL_NODE_TRY(expr)         \
  do {                                \
    ::barrel::Status try_s_ = (expr); \
    if (!try_s_.is_ok())              \
      return try_s_;                  \
  } while (0)

namespace barrel::node {
namespace {

// Bounds on what a file may list (the daemon keeps all of it in memory).
constexpr size_t kStaticNodesMax = 4096;
constexpr size_t kContactNodesMax = 256;
constexpr size_t kPathBytesMax = 4096;
constexpr size_t kHostBytesMax = 253;        // a DNS name
constexpr uint64_t kMillisMax = 86'400'000;  // one day
// Scalars longer than this are cut in messages.
constexpr size_t kQuotedTextMax = 60;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_' || c == ':';
}

std::string quoted(std::string_view text) {
  if (text.size() > kQuotedTextMax)
    return "'" + std::string(text.substr(0, kQuotedTextMax)) + "...'";
  return "'" + std::string(text) + "'";
}

// "a map", "a list", "empty", "'text'": what a node is, for messages.
std::string describe(const YAML::Node& node) {
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
  return quoted(node.Scalar());
}

// Levenshtein distance, for "did you mean". Keys are short (< 32 bytes) and
// the unknown key is cut to kQuotedTextMax, so the table stays small.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// One key of the file: where it and its value were written.
struct Field {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  // "file:line:col: what; expected form" (Code::kParse).
  Status error_at(YAML::Mark mark, std::string_view what, std::string_view expected) const {
    BARREL_ASSERT(!what.empty());
    BARREL_ASSERT(!expected.empty());
    // A node built without a position (an empty document) points at the start.
    if (mark.is_null() || mark.line < 0 || mark.column < 0)
      mark = YAML::Mark();
    std::string m = file_ + ":" + std::to_string(mark.line + 1) + ":" +
                    std::to_string(mark.column + 1) + ": " + std::string(what) + "; expected " +
                    std::string(expected);
    return Status(Code::kParse, m);
  }
  // At the value of `f`, or at its key when the value has no position.
  Status error(const Field& f, std::string_view what, std::string_view expected) const {
    return error_at(
        f.value.IsNull() || f.value.Mark().is_null() ? f.key_node.Mark() : f.value.Mark(), what,
        expected);
  }
  // yaml-cpp places an empty value (`key:` and nothing) at the next token,
  // often on a later line: point at the key being read instead.
  Status error(const YAML::Node& at, std::string_view what, std::string_view expected) const {
    return error_at(at.IsNull() || at.Mark().is_null() ? current_key_ : at.Mark(), what, expected);
  }
  // The key whose value is being read (for errors about empty values).
  void set_current_key(const YAML::Node& key) const { current_key_ = key.Mark(); }
  Status wrong_type(const YAML::Node& at, std::string_view path, std::string_view form) const {
    return error(at, std::string(path) + " is " + describe(at), form);
  }

  Status read_string(const YAML::Node& node, std::string_view path, std::string_view form,
                     size_t bytes_max, std::string* out) const {
    BARREL_ASSERT(out != nullptr);
    if (!node.IsScalar())
      return wrong_type(node, path, form);
    if (node.Scalar().size() > bytes_max) {
      return error(node,
                   std::string(path) + " is " + std::to_string(node.Scalar().size()) +
                       " bytes long, above " + std::to_string(bytes_max),
                   form);
    }
    *out = node.Scalar();
    return Status::ok();
  }

  // A run of digits in [min, max]; negative, non-numeric and too large values
  // each get their own message.
  Status read_uint(const YAML::Node& node, std::string_view path, uint64_t min, uint64_t max,
                   uint64_t* out) const {
    BARREL_ASSERT(out != nullptr);
    BARREL_ASSERT(min <= max);
    const std::string form = "an integer in " + std::to_string(min) + ".." + std::to_string(max);
    if (!node.IsScalar())
      return wrong_type(node, path, form);
    const std::string& text = node.Scalar();
    const std::string p(path);
    if (text.size() > 1 && text[0] == '-' && all_digits(text.substr(1)))
      return error(node, p + " is negative (" + text + ")", form);
    if (!all_digits(text))
      return error(node, p + " is " + quoted(text) + ", not an integer", form);
    uint64_t v = 0;
    for (char c : text) {
      const auto d = static_cast<uint64_t>(c - '0');
      if (d > max || v > (max - d) / 10)  // v * 10 + d would exceed max
        return error(node, p + " is too large (" + text + ")", form);
      v = v * 10 + d;
    }
    if (v < min)
      return error(node, p + " is " + text + ", below " + std::to_string(min), form);
    BARREL_ASSERT(v <= max);
    *out = v;
    return Status::ok();
  }

  Status read_bool(const YAML::Node& node, std::string_view path, bool* out) const {
    BARREL_ASSERT(out != nullptr);
    if (!node.IsScalar() || (node.Scalar() != "true" && node.Scalar() != "false"))
      return wrong_type(node, path, "true or false");
    *out = node.Scalar() == "true";
    return Status::ok();
  }

  // One of `names` (scalar text); the index of the match in *out.
  template <size_t N>
  Status read_choice(const YAML::Node& node, std::string_view path,
                     const std::array<std::string_view, N>& names, size_t* out) const {
    std::string form;
    for (size_t i = 0; i < N; ++i)
      form += std::string(i == 0 ? "" : (i + 1 == N ? " or " : ", ")) + std::string(names[i]);
    if (!node.IsScalar())
      return wrong_type(node, path, form);
    for (size_t i = 0; i < N; ++i) {
      if (node.Scalar() == names[i]) {
        *out = i;
        return Status::ok();
      }
    }
    return wrong_type(node, path, form);
  }

  Status read_node_name(const YAML::Node& node, std::string_view path, std::string* out) const {
    constexpr std::string_view kForm = "a node name name@host ([A-Za-z0-9_.-]+@[A-Za-z0-9_.:-]+)";
    BARREL_NODE_TRY(read_string(node, path, kForm, kPathBytesMax, out));
    const Status valid = validate_node_name(*out);
    if (!valid.is_ok())
      return error(node,
                   std::string(path) + " " + quoted(*out) + ": " + std::string(valid.message()),
                   kForm);
    return Status::ok();
  }

 private:
  const std::string& file_;
  mutable YAML::Mark current_key_ = YAML::Mark::null_mark();
};

// --- One handler per key ------------------------------------------------------

using Handler = Status (*)(const Reader&, const Field&, NodeFileConfig*);

template <typename T>
Status read_into(const Reader& r, const Field& f, uint64_t min, uint64_t max, T* out) {
  uint64_t v = 0;
  BARREL_NODE_TRY(r.read_uint(f.value, f.key, min, max, &v));
  *out = static_cast<T>(v);
  return Status::ok();
}

Status read_millis(const Reader& r, const Field& f, uint64_t min, Duration* out) {
  uint64_t ms = 0;
  BARREL_NODE_TRY(r.read_uint(f.value, f.key, min, kMillisMax, &ms));
  *out = Duration::millis(static_cast<int64_t>(ms));
  return Status::ok();
}

Status read_path(const Reader& r, const Field& f, std::string* out) {
  constexpr std::string_view kForm = "a non-empty path";
  BARREL_NODE_TRY(r.read_string(f.value, f.key, kForm, kPathBytesMax, out));
  if (out->empty())
    return r.error(f, f.key + " is empty", kForm);
  return Status::ok();
}

// A host to dial: a DNS name or an address, [A-Za-z0-9_.:-]+.
Status check_host(const Reader& r, const YAML::Node& at, std::string_view path,
                  std::string_view host, std::string_view form) {
  if (host.empty())
    return r.error(at, std::string(path) + " has an empty host", form);
  if (host.size() > kHostBytesMax) {
    return r.error(
        at, std::string(path) + " has a host above " + std::to_string(kHostBytesMax) + " bytes",
        form);
  }
  for (char c : host) {
    if (!host_char(c)) {
      return r.error(
          at, std::string(path) + " has a host with the character '" + std::string(1, c) + "'",
          form);
    }
  }
  return Status::ok();
}

// "host:port" or "[v6]:port", port 1..65535.
Status parse_host_port(const Reader& r, const YAML::Node& at, std::string_view path,
                       HostPort* out) {
  constexpr std::string_view kForm = "\"host:port\" (\"[v6 address]:port\"), port in 1..65535";
  std::string text;
  BARREL_NODE_TRY(r.read_string(at, path, kForm, kHostBytesMax + 8, &text));
  std::string host;
  std::string port;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return r.error(at, std::string(path) + " is " + quoted(text) + ", no ']:port'", kForm);
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos)
      return r.error(at, std::string(path) + " is " + quoted(text) + ", no ':port'", kForm);
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string::npos) {
      return r.error(
          at, std::string(path) + " is " + quoted(text) + ", an IPv6 address without brackets",
          kForm);
    }
  }
  BARREL_NODE_TRY(check_host(r, at, path, host, kForm));
  uint64_t p = 0;
  if (!all_digits(port) || port.size() > 5 || (p = std::stoull(port)) < 1 || p > 65535)
    return r.error(at, std::string(path) + " has the port " + quoted(port), kForm);
  out->host = std::move(host);
  out->port = static_cast<uint16_t>(p);
  return Status::ok();
}

Status parse_name(const Reader& r, const Field& f, NodeFileConfig* c) {
  return r.read_node_name(f.value, f.key, &c->name);
}
Status parse_active_size(const Reader& r, const Field& f, NodeFileConfig* c) {
  return read_into(r, f, 1, limits::kActiveViewSizeMax, &c->active_size);
}
Status parse_passive_size(const Reader& r, const Field& f, NodeFileConfig* c) {
  return read_into(r, f, 1, limits::kPassiveViewSizeMax, &c->passive_size);
}
Status parse_listen_address(const Reader& r, const Field& f, NodeFileConfig* c) {
  constexpr std::string_view kForm = "an IP address such as 127.0.0.1, 0.0.0.0 or ::";
  std::string text;
  BARREL_NODE_TRY(r.read_string(f.value, f.key, kForm, kHostBytesMax, &text));
  boost::system::error_code ec;
  boost::asio::ip::make_address(text, ec);
  if (ec)
    return r.error(f, f.key + " is " + quoted(text) + ", not an IP address", kForm);
  c->listen_address = std::move(text);
  return Status::ok();
}
Status parse_listen_port(const Reader& r, const Field& f, NodeFileConfig* c) {
  return read_into(r, f, 0, 65535, &c->listen_port);
}
Status parse_advertise_host(const Reader& r, const Field& f, NodeFileConfig* c) {
  constexpr std::string_view kForm = "a host name or address ([A-Za-z0-9_.:-]+)";
  std::string text;
  BARREL_NODE_TRY(r.read_string(f.value, f.key, kForm, kPathBytesMax, &text));
  BARREL_NODE_TRY(check_host(r, f.value, f.key, text, kForm));
  c->advertise_host = std::move(text);
  return Status::ok();
}
Status parse_auth_enabled(const Reader& r, const Field& f, NodeFileConfig* c) {
  return r.read_bool(f.value, f.key, &c->auth_enabled);
}
Status parse_auth_trust_mode(const Reader& r, const Field& f, NodeFileConfig* c) {
  constexpr std::array<std::string_view, 2> kModes = {"tofu", "strict"};
  size_t i = 0;
  BARREL_NODE_TRY(r.read_choice(f.value, f.key, kModes, &i));
  c->auth_trust_mode = i == 0 ? TrustMode::kTofu : TrustMode::kStrict;
  return Status::ok();
}
Status parse_discovery_backends(const Reader& r, const Field& f, NodeFileConfig* c) {
  constexpr std::array<std::string_view, 3> kNames = {"static", "file", "dns"};
  constexpr std::array<DiscoveryBackend, 3> kValues = {
      DiscoveryBackend::kStatic, DiscoveryBackend::kFile, DiscoveryBackend::kDns};
  constexpr std::string_view kForm = "a list of static, file, dns (each at most once)";
  if (!f.value.IsSequence())
    return r.wrong_type(f.value, f.key, kForm);
  if (f.value.size() > kNames.size()) {
    return r.error(f, f.key + " has " + std::to_string(f.value.size()) + " entries", kForm);
  }
  std::vector<DiscoveryBackend> out;
  for (size_t i = 0; i < f.value.size(); ++i) {
    const YAML::Node item = f.value[i];
    const std::string path = f.key + "[" + std::to_string(i) + "]";
    size_t which = 0;
    BARREL_NODE_TRY(r.read_choice(item, path, kNames, &which));
    if (std::find(out.begin(), out.end(), kValues[which]) != out.end())
      return r.error(item, path + " repeats " + std::string(kNames[which]), kForm);
    out.push_back(kValues[which]);
  }
  c->discovery_backends = std::move(out);
  return Status::ok();
}
Status parse_discovery_dir(const Reader& r, const Field& f, NodeFileConfig* c) {
  return read_path(r, f, &c->discovery_dir);
}
Status parse_nodes(const Reader& r, const Field& f, NodeFileConfig* c) {
  constexpr std::string_view kForm = "a map of node name -> \"host:port\"";
  if (f.value.IsNull())  // `nodes:` with nothing: an empty table
    return Status::ok();
  if (!f.value.IsMap())
    return r.wrong_type(f.value, f.key, kForm);
  if (f.value.size() > kStaticNodesMax) {
    return r.error(f,
                   f.key + " has " + std::to_string(f.value.size()) + " entries, above " +
                       std::to_string(kStaticNodesMax),
                   kForm);
  }
  for (auto it = f.value.begin(); it != f.value.end(); ++it) {
    // Copies: yaml-cpp's iterator hands out proxies that die with the expression.
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    std::string name;
    BARREL_NODE_TRY(r.read_node_name(key, "a key of nodes", &name));
    if (c->nodes.count(name) != 0)
      return r.error(key, "nodes lists " + quoted(name) + " twice", "each node once");
    HostPort at;
    r.set_current_key(key);
    BARREL_NODE_TRY(parse_host_port(r, value, "nodes." + name, &at));
    c->nodes.emplace(std::move(name), std::move(at));
  }
  return Status::ok();
}
Status parse_contact_nodes(const Reader& r, const Field& f, NodeFileConfig* c) {
  constexpr std::string_view kForm = "a list of node names";
  if (f.value.IsNull())
    return Status::ok();
  if (!f.value.IsSequence())
    return r.wrong_type(f.value, f.key, kForm);
  if (f.value.size() > kContactNodesMax) {
    return r.error(f,
                   f.key + " has " + std::to_string(f.value.size()) + " entries, above " +
                       std::to_string(kContactNodesMax),
                   kForm);
  }
  for (size_t i = 0; i < f.value.size(); ++i) {
    const YAML::Node item = f.value[i];
    const std::string path = f.key + "[" + std::to_string(i) + "]";
    std::string name;
    BARREL_NODE_TRY(r.read_node_name(item, path, &name));
    if (std::find(c->contact_nodes.begin(), c->contact_nodes.end(), name) !=
        c->contact_nodes.end()) {
      return r.error(item, path + " repeats " + quoted(name), "each node once");
    }
    c->contact_nodes.push_back(std::move(name));
  }
  return Status::ok();
}
Status parse_contact_retry_ms(const Reader& r, const Field& f, NodeFileConfig* c) {
  uint64_t ms = 0;
  BARREL_NODE_TRY(r.read_uint(f.value, f.key, 10, 3'600'000, &ms));
  c->contact_retry = Duration::millis(static_cast<int64_t>(ms));
  return Status::ok();
}
Status parse_cookie(const Reader& r, const Field& f, NodeFileConfig* c) {
  return r.read_string(f.value, f.key, "a string of at most 1024 bytes (\"\" for none)",
                       limits::kAuthCookieBytesMax, &c->cookie);
}
Status parse_data_dir(const Reader& r, const Field& f, NodeFileConfig* c) {
  return read_path(r, f, &c->data_dir);
}
Status parse_log_level(const Reader& r, const Field& f, NodeFileConfig* c) {
  constexpr std::array<std::string_view, 4> kLevels = {"debug", "info", "warn", "error"};
  constexpr std::array<LogLevel, 4> kValues = {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn,
                                               LogLevel::kError};
  size_t i = 0;
  BARREL_NODE_TRY(r.read_choice(f.value, f.key, kLevels, &i));
  c->log_level = kValues[i];
  return Status::ok();
}
Status parse_metrics_port(const Reader& r, const Field& f, NodeFileConfig* c) {
  return read_into(r, f, 0, 65535, &c->metrics_port);
}
Status parse_idle_timeout_ms(const Reader& r, const Field& f, NodeFileConfig* c) {
  return read_millis(r, f, 100, &c->idle_timeout);
}
Status parse_keep_alive_ms(const Reader& r, const Field& f, NodeFileConfig* c) {
  return read_millis(r, f, 0, &c->keep_alive);
}
Status parse_initial_rtt_ms(const Reader& r, const Field& f, NodeFileConfig* c) {
  uint64_t ms = 0;
  BARREL_NODE_TRY(r.read_uint(f.value, f.key, 1, 60'000, &ms));
  c->initial_rtt = Duration::millis(static_cast<int64_t>(ms));
  return Status::ok();
}
Status parse_transient_idle_ms(const Reader& r, const Field& f, NodeFileConfig* c) {
  return read_millis(r, f, 100, &c->transient_idle);
}

struct KeySpec {
  std::string_view key;
  Handler parse;
};

constexpr std::array<KeySpec, 21> kKeys = {{
    {"name", parse_name},
    {"active_size", parse_active_size},
    {"passive_size", parse_passive_size},
    {"listen_address", parse_listen_address},
    {"listen_port", parse_listen_port},
    {"advertise_host", parse_advertise_host},
    {"auth_enabled", parse_auth_enabled},
    {"auth_trust_mode", parse_auth_trust_mode},
    {"discovery_backends", parse_discovery_backends},
    {"discovery_dir", parse_discovery_dir},
    {"nodes", parse_nodes},
    {"contact_nodes", parse_contact_nodes},
    {"contact_retry_ms", parse_contact_retry_ms},
    {"cookie", parse_cookie},
    {"data_dir", parse_data_dir},
    {"log_level", parse_log_level},
    {"metrics_port", parse_metrics_port},
    {"idle_timeout_ms", parse_idle_timeout_ms},
    {"keep_alive_ms", parse_keep_alive_ms},
    {"initial_rtt_ms", parse_initial_rtt_ms},
    {"transient_idle_ms", parse_transient_idle_ms},
}};

const KeySpec* find_key(std::string_view key) {
  for (const KeySpec& k : kKeys) {
    if (k.key == key)
      return &k;
  }
  return nullptr;
}

std::string allowed_keys() {
  std::string s;
  for (const KeySpec& k : kKeys) {
    s += (s.empty() ? "" : ", ") + std::string(k.key);
  }
  return s;
}

// The known key closest to a typo, or "" if none is close.
std::string_view closest_key(std::string_view unknown) {
  std::string_view best;
  size_t best_distance = SIZE_MAX;
  for (const KeySpec& k : kKeys) {
    const size_t d = edit_distance(unknown.substr(0, kQuotedTextMax), k.key);
    if (d < best_distance) {
      best_distance = d;
      best = k.key;
    }
  }
  // Close: a third of the key's letters or fewer changed (activ_size: 1).
  return best_distance <= std::max<size_t>(1, best.size() / 3) ? best : std::string_view();
}

// The top-level keys: scalars, each known, none twice, in the order written.
Status collect_fields(const Reader& r, const YAML::Node& root, std::vector<Field>* out) {
  if (!root.IsMap()) {
    return r.error(root, "the configuration is " + describe(root),
                   "a map of keys (at least name: n1@host)");
  }
  for (auto it = root.begin(); it != root.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar())
      return r.error(key, "a key is " + describe(key), "a plain key");
    const std::string& text = key.Scalar();
    if (find_key(text) == nullptr) {
      const std::string_view near = closest_key(text);
      std::string what = "unknown key " + quoted(text);
      if (!near.empty())
        what += " (did you mean '" + std::string(near) + "'?)";
      return r.error(key, what, "one of: " + allowed_keys());
    }
    for (const Field& f : *out) {
      if (f.key == text)
        return r.error(key, "duplicate key " + quoted(text), "each key once");
    }
    out->push_back(Field{text, key, value});
  }
  return Status::ok();
}

// Relations between keys, checked once each key is valid on its own.
Status check_relations(const Reader& r, const YAML::Node& root, const std::vector<Field>& fields,
                       const NodeFileConfig& c) {
  const auto field = [&](std::string_view key) -> const Field* {
    for (const Field& f : fields) {
      if (f.key == key)
        return &f;
    }
    return nullptr;
  };
  if (field("name") == nullptr)
    return r.error(root, "missing key 'name'", "name: a node name such as n1@host");
  if (c.keep_alive != Duration::zero() && c.keep_alive >= c.idle_timeout) {
    const Field* at = field("keep_alive_ms");
    if (at == nullptr)
      at = field("idle_timeout_ms");
    BARREL_ASSERT(at != nullptr);  // the defaults satisfy the relation
    return r.error(*at,
                   "keep_alive_ms (" + std::to_string(c.keep_alive.ms()) +
                       ") is not below idle_timeout_ms (" + std::to_string(c.idle_timeout.ms()) +
                       "): idle connections would time out before their keep-alive",
                   "keep_alive_ms below idle_timeout_ms, or 0 for off");
  }
  return Status::ok();
}

Result<NodeFileConfig> parse_root(const Reader& r, const YAML::Node& root) {
  std::vector<Field> fields;
  BARREL_NODE_TRY(collect_fields(r, root, &fields));
  NodeFileConfig config;
  for (const Field& f : fields) {
    const KeySpec* spec = find_key(f.key);
    BARREL_ASSERT(spec != nullptr);
    r.set_current_key(f.key_node);
    BARREL_NODE_TRY(spec->parse(r, f, &config));
  }
  BARREL_NODE_TRY(check_relations(r, root, fields, config));
  if (config.discovery_dir.empty())
    config.discovery_dir = config.data_dir + "/discovery";
  return config;
}

}  // namespace

std::string_view to_string(DiscoveryBackend b) {
  switch (b) {
    case DiscoveryBackend::kStatic:
      return "static";
    case DiscoveryBackend::kFile:
      return "file";
    case DiscoveryBackend::kDns:
      return "dns";
  }
  return "unknown";
}

std::string_view to_string(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "unknown";
}

Result<NodeFileConfig> parse_node_config(std::string_view text, const std::string& file) {
  const Reader r(file);
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    return parse_root(r, root);
  } catch (const YAML::ParserException& e) {
    return r.error_at(e.mark, "not valid YAML: " + e.msg, "a YAML map of keys");
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on misuse as well (e.g. an alias it cannot follow).
    return r.error_at(e.mark, std::string("cannot read the YAML: ") + e.what(),
                      "a YAML map of keys");
  }
}

Result<NodeFileConfig> load_node_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status(Code::kIo, path + ": cannot open the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return Status(Code::kIo, path + ": cannot read the configuration file");
  return parse_node_config(text.str(), path);
}

transport::RuntimeConfig to_runtime_config(const NodeFileConfig& config) {
  transport::RuntimeConfig rc;
  rc.name = config.name;
  rc.node.hyparview.active_size = config.active_size;
  rc.node.hyparview.passive_size = config.passive_size;
  rc.node.hyparview.contact_retry = config.contact_retry;
  rc.quic.listen_address = config.listen_address;
  rc.quic.listen_port = config.listen_port;
  rc.quic.idle_timeout = config.idle_timeout;
  rc.quic.keep_alive = config.keep_alive;
  rc.quic.initial_rtt = config.initial_rtt;
  rc.auth.enabled = config.auth_enabled;
  rc.auth.trust = config.auth_trust_mode;
  rc.auth.cookie = config.cookie;
  rc.transient_idle = config.transient_idle;
  return rc;
}

}  // namespace barrel::node
