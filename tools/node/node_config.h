// node_config.h — barrel-node's YAML configuration file.
//
// One flat map; every key but `name` is optional. Keys, forms and defaults:
//
//   name:               n1@host        required; validate_node_name()
//   active_size:        5              1..32   (HyParView active view)
//   passive_size:       30             1..1024 (HyParView passive view)
//   listen_address:     127.0.0.1      an IPv4/IPv6 address ("0.0.0.0", "::" for all)
//   listen_port:        0              0..65535; 0: the OS picks
//   advertise_host:     (absent)       the host others should dial (endpoint file);
//                                      absent: the daemon derives one
//   auth_enabled:       true           true | false (false: development only)
//   auth_trust_mode:    tofu           tofu | strict
//   discovery_backends: [static, file] list of static | file | dns, each once,
//                                      tried in the order written (first hit wins).
//                                      DNS is off by default: it depends on the
//                                      network the node runs in, the other two
//                                      only on this file and the data dir.
//   discovery_dir:      <data_dir>/discovery   directory of <node>.endpoint files
//   nodes:              {}             static table: node name -> "host:port"
//                                      ("[v6addr]:port" for IPv6; port 1..65535)
//   contact_nodes:      []             node names joined at boot, each once
//   contact_retry_ms:   5000           10..3600000
//   cookie:             ""             the cluster cookie, 0..1024 bytes
//   data_dir:           data           credentials, pins, discovery files
//   log_level:          info           debug | info | warn | error
//   metrics_port:       0              0..65535; 0: no metrics HTTP server
//   idle_timeout_ms:    30000          100..86400000 (QUIC idle timeout)
//   keep_alive_ms:      10000          0..86400000, 0: off; below idle_timeout_ms
//   initial_rtt_ms:     50             1..60000
//   transient_idle_ms:  10000          100..86400000
//
// Errors. Every unknown or duplicate key, value of the wrong type or out of
// range, and every file that is not YAML is a Status with Code::kParse whose
// message is "FILE:LINE:COLUMN: what is wrong; expected <form>" (1-based, from
// yaml-cpp's 0-based Mark). An unknown key lists the allowed ones and names
// the closest when it is likely a typo. A file that cannot be read: kIo.
// Numbers are plain runs of digits: no sign, exponent, hex or fraction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/result.h"
#include "barrel/status.h"
#include "barrel/time.h"
#include "barrel/transport/runtime.h"
#include "barrel/trust.h"

namespace barrel::node {

enum class DiscoveryBackend : uint8_t { kStatic = 1, kFile = 2, kDns = 3 };
std::string_view to_string(DiscoveryBackend b);

enum class LogLevel : uint8_t { kDebug = 1, kInfo = 2, kWarn = 3, kError = 4 };
std::string_view to_string(LogLevel l);

// An entry of the static table, as written ("[::1]:4000" -> host "::1").
struct HostPort {
  std::string host;
  uint16_t port = 0;
  bool operator==(const HostPort&) const = default;
};

struct NodeFileConfig {
  std::string name;
  uint32_t active_size = 5;
  uint32_t passive_size = 30;
  std::string listen_address = "127.0.0.1";
  uint16_t listen_port = 0;
  std::optional<std::string> advertise_host;
  bool auth_enabled = true;
  TrustMode auth_trust_mode = TrustMode::kTofu;
  std::vector<DiscoveryBackend> discovery_backends = {DiscoveryBackend::kStatic,
                                                      DiscoveryBackend::kFile};
  // Always set after loading: the file's value or data_dir + "/discovery".
  std::string discovery_dir;
  std::map<std::string, HostPort, std::less<>> nodes;
  std::vector<std::string> contact_nodes;
  Duration contact_retry = Duration::millis(5000);
  std::string cookie;
  std::string data_dir = "data";
  LogLevel log_level = LogLevel::kInfo;
  uint16_t metrics_port = 0;  // 0: off
  Duration idle_timeout = transport::QuicConfig{}.idle_timeout;
  Duration keep_alive = transport::QuicConfig{}.keep_alive;
  Duration initial_rtt = transport::QuicConfig{}.initial_rtt;
  Duration transient_idle = transport::RuntimeConfig{}.transient_idle;
};

// Reads and checks the file at `path` (the path also prefixes messages).
// Returns kParse for YAML or schema errors, kIo if the file cannot be read.
Result<NodeFileConfig> load_node_config(const std::string& path);
// The same from text already in memory; `file` names it in messages.
Result<NodeFileConfig> parse_node_config(std::string_view text, const std::string& file);

// The runtime's configuration: NodeConfig (active/passive size, contact
// retry; the rest at its defaults), QuicConfig (address, port, timers),
// AuthConfig (enabled, trust, cookie), transient_idle. cert_pem/key_pem are
// left empty: the daemon fills them from its credentials. A config that
// load_node_config() returned always gives a RuntimeConfig whose NodeConfig
// and AuthConfig validate.
transport::RuntimeConfig to_runtime_config(const NodeFileConfig& config);

}  // namespace barrel::node
