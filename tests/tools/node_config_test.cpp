// node_config_test.cpp — barrel-node's YAML configuration: a full file maps
// onto the runtime's config, absent keys take their defaults, and every kind
// of mistake is a kParse error naming file:line:column and what was expected.
//
// Method: most cases parse text (parse_node_config) under the name
// "node.yaml"; the file cases write a real file under the test's temp dir.
#include "node/node_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace barrel::node {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Status parse_error(const std::string& text) {
  Result<NodeFileConfig> r = parse_node_config(text, "node.yaml");
  EXPECT_FALSE(r.is_ok()) << "parsed: " << text;
  return r.is_ok() ? Status::ok() : r.status();
}

// The message of the kParse error `text` gives, which must start at `where`.
std::string error_at(const std::string& text, const std::string& where) {
  const Status s = parse_error(text);
  EXPECT_EQ(s.code(), Code::kParse) << s.to_string();
  EXPECT_THAT(std::string(s.message()), StartsWith("node.yaml:" + where + ": "));
  return std::string(s.message());
}

std::filesystem::path temp_file(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "node_config_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path;
}

constexpr const char* kFull = R"(# every key
name: n1@host-a
active_size: 4
passive_size: 20
listen_address: 0.0.0.0
listen_port: 4001
advertise_host: 10.0.0.1
auth_enabled: false
auth_trust_mode: strict
discovery_backends: [dns, static]
discovery_dir: /var/lib/barrel/endpoints
nodes:
  n2@host-b: "10.0.0.2:4002"
  n3@host-c: "[::1]:4003"
  n4@host-d: host-d.example:4004
contact_nodes: [n2@host-b, n3@host-c]
contact_retry_ms: 2500
cookie: "s3cret"
data_dir: /var/lib/barrel
log_level: debug
metrics_port: 9100
idle_timeout_ms: 20000
keep_alive_ms: 5000
initial_rtt_ms: 30
transient_idle_ms: 7000
)";

TEST(NodeConfig, FullFileFromDisk) {
  const auto path = temp_file("full.yaml", kFull);
  Result<NodeFileConfig> r = load_node_config(path.string());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const NodeFileConfig& c = r.value();
  EXPECT_EQ(c.name, "n1@host-a");
  EXPECT_EQ(c.active_size, 4u);
  EXPECT_EQ(c.passive_size, 20u);
  EXPECT_EQ(c.listen_address, "0.0.0.0");
  EXPECT_EQ(c.listen_port, 4001);
  ASSERT_TRUE(c.advertise_host.has_value());
  EXPECT_EQ(*c.advertise_host, "10.0.0.1");
  EXPECT_FALSE(c.auth_enabled);
  EXPECT_EQ(c.auth_trust_mode, TrustMode::kStrict);
  EXPECT_EQ(c.discovery_backends,
            (std::vector<DiscoveryBackend>{DiscoveryBackend::kDns, DiscoveryBackend::kStatic}));
  EXPECT_EQ(c.discovery_dir, "/var/lib/barrel/endpoints");
  ASSERT_EQ(c.nodes.size(), 3u);
  EXPECT_EQ(c.nodes.at("n2@host-b"), (HostPort{"10.0.0.2", 4002}));
  EXPECT_EQ(c.nodes.at("n3@host-c"), (HostPort{"::1", 4003}));
  EXPECT_EQ(c.nodes.at("n4@host-d"), (HostPort{"host-d.example", 4004}));
  EXPECT_EQ(c.contact_nodes, (std::vector<std::string>{"n2@host-b", "n3@host-c"}));
  EXPECT_EQ(c.contact_retry, Duration::millis(2500));
  EXPECT_EQ(c.cookie, "s3cret");
  EXPECT_EQ(c.data_dir, "/var/lib/barrel");
  EXPECT_EQ(c.log_level, LogLevel::kDebug);
  EXPECT_EQ(c.metrics_port, 9100);
  EXPECT_EQ(c.idle_timeout, Duration::millis(20000));
  EXPECT_EQ(c.keep_alive, Duration::millis(5000));
  EXPECT_EQ(c.initial_rtt, Duration::millis(30));
  EXPECT_EQ(c.transient_idle, Duration::millis(7000));

  const transport::RuntimeConfig rc = to_runtime_config(c);
  EXPECT_EQ(rc.name, "n1@host-a");
  EXPECT_EQ(rc.node.hyparview.active_size, 4u);
  EXPECT_EQ(rc.node.hyparview.passive_size, 20u);
  EXPECT_EQ(rc.node.hyparview.contact_retry, Duration::millis(2500));
  EXPECT_EQ(rc.quic.listen_address, "0.0.0.0");
  EXPECT_EQ(rc.quic.listen_port, 4001);
  EXPECT_EQ(rc.quic.idle_timeout, Duration::millis(20000));
  EXPECT_EQ(rc.quic.keep_alive, Duration::millis(5000));
  EXPECT_EQ(rc.quic.initial_rtt, Duration::millis(30));
  EXPECT_TRUE(rc.quic.cert_pem.empty());  // the daemon's to fill
  EXPECT_FALSE(rc.auth.enabled);
  EXPECT_EQ(rc.auth.trust, TrustMode::kStrict);
  EXPECT_EQ(rc.auth.cookie, "s3cret");
  EXPECT_EQ(rc.transient_idle, Duration::millis(7000));
  EXPECT_TRUE(rc.node.validate().is_ok()) << rc.node.validate().to_string();
  EXPECT_TRUE(rc.auth.validate().is_ok());
}

TEST(NodeConfig, DefaultsForEverythingButName) {
  Result<NodeFileConfig> r = parse_node_config("name: solo@localhost\n", "node.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const NodeFileConfig& c = r.value();
  EXPECT_EQ(c.name, "solo@localhost");
  EXPECT_EQ(c.active_size, 5u);
  EXPECT_EQ(c.passive_size, 30u);
  EXPECT_EQ(c.listen_address, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 0);
  EXPECT_FALSE(c.advertise_host.has_value());
  EXPECT_TRUE(c.auth_enabled);
  EXPECT_EQ(c.auth_trust_mode, TrustMode::kTofu);
  EXPECT_EQ(c.discovery_backends,
            (std::vector<DiscoveryBackend>{DiscoveryBackend::kStatic, DiscoveryBackend::kFile}));
  EXPECT_EQ(c.data_dir, "data");
  EXPECT_EQ(c.discovery_dir, "data/discovery");
  EXPECT_TRUE(c.nodes.empty());
  EXPECT_TRUE(c.contact_nodes.empty());
  EXPECT_EQ(c.contact_retry, Duration::millis(5000));
  EXPECT_EQ(c.cookie, "");
  EXPECT_EQ(c.log_level, LogLevel::kInfo);
  EXPECT_EQ(c.metrics_port, 0);

  // The runtime's own defaults pass through untouched.
  const transport::RuntimeConfig rc = to_runtime_config(c);
  const transport::RuntimeConfig fresh;
  EXPECT_EQ(rc.quic.idle_timeout, fresh.quic.idle_timeout);
  EXPECT_EQ(rc.quic.keep_alive, fresh.quic.keep_alive);
  EXPECT_EQ(rc.quic.initial_rtt, fresh.quic.initial_rtt);
  EXPECT_EQ(rc.transient_idle, fresh.transient_idle);
  EXPECT_EQ(rc.node.plumtree.ihave_timeout, fresh.node.plumtree.ihave_timeout);
  EXPECT_TRUE(rc.auth.enabled);
  EXPECT_EQ(rc.auth.trust, TrustMode::kTofu);
  EXPECT_TRUE(rc.node.validate().is_ok());
}

TEST(NodeConfig, DiscoveryDirFollowsDataDir) {
  Result<NodeFileConfig> r = parse_node_config("name: a@h\ndata_dir: /srv/a\n", "node.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r.value().discovery_dir, "/srv/a/discovery");
}

TEST(NodeConfig, TypoedKeyIsLocatedAndSuggested) {
  const std::string m = error_at("name: a@h\nactiv_size: 4\n", "2:1");
  EXPECT_THAT(m, HasSubstr("unknown key 'activ_size'"));
  EXPECT_THAT(m, HasSubstr("did you mean 'active_size'?"));
  EXPECT_THAT(m, HasSubstr("expected one of: name, active_size, passive_size"));
  EXPECT_THAT(m, HasSubstr("transient_idle_ms"));
}

TEST(NodeConfig, UnknownKeyFarFromAnyHasNoSuggestion) {
  const std::string m = error_at("name: a@h\nflux_capacitor: 1\n", "2:1");
  EXPECT_THAT(m, HasSubstr("unknown key 'flux_capacitor'"));
  EXPECT_THAT(m, ::testing::Not(HasSubstr("did you mean")));
}

TEST(NodeConfig, DuplicateKey) {
  const std::string m = error_at("name: a@h\nlisten_port: 1\nlisten_port: 2\n", "3:1");
  EXPECT_THAT(m, HasSubstr("duplicate key 'listen_port'"));
}

TEST(NodeConfig, BadTrustMode) {
  const std::string m = error_at("name: a@h\nauth_trust_mode: maybe\n", "2:18");
  EXPECT_THAT(m, HasSubstr("auth_trust_mode is 'maybe'; expected tofu or strict"));
}

TEST(NodeConfig, PortOutOfRange) {
  std::string m = error_at("name: a@h\nlisten_port: -1\n", "2:14");
  EXPECT_THAT(m, HasSubstr("listen_port is negative (-1)"));
  EXPECT_THAT(m, HasSubstr("expected an integer in 0..65535"));
  m = error_at("name: a@h\nlisten_port: 65536\n", "2:14");
  EXPECT_THAT(m, HasSubstr("listen_port is too large (65536)"));
  m = error_at("name: a@h\nmetrics_port: 99999999999999999999999\n", "2:15");
  EXPECT_THAT(m, HasSubstr("metrics_port is too large"));
}

TEST(NodeConfig, WrongTypes) {
  std::string m = error_at("name: a@h\nactive_size: [1, 2]\n", "2:14");
  EXPECT_THAT(m, HasSubstr("active_size is a list; expected an integer in 1..32"));
  m = error_at("name: a@h\nactive_size: five\n", "2:14");
  EXPECT_THAT(m, HasSubstr("active_size is 'five', not an integer"));
  m = error_at("name: a@h\nauth_enabled: yes\n", "2:15");
  EXPECT_THAT(m, HasSubstr("auth_enabled is 'yes'; expected true or false"));
  m = error_at("name: a@h\ncontact_nodes: b@h\n", "2:16");
  EXPECT_THAT(m, HasSubstr("contact_nodes is 'b@h'; expected a list of node names"));
  m = error_at("name: a@h\nnodes: [b@h]\n", "2:8");
  EXPECT_THAT(m, HasSubstr("nodes is a list; expected a map of node name"));
  m = error_at("name: {x: 1}\n", "1:7");
  EXPECT_THAT(m, HasSubstr("name is a map"));
}

// yaml-cpp places an empty value at the next token; the error names the key.
TEST(NodeConfig, EmptyValuePointsAtItsKey) {
  std::string m = error_at("name: a@h\nlisten_port:\nactive_size: 3\n", "2:1");
  EXPECT_THAT(m, HasSubstr("listen_port is empty; expected an integer in 0..65535"));
  m = error_at("name: a@h\nnodes:\n  b@h:\n", "3:3");
  EXPECT_THAT(m, HasSubstr("nodes.b@h is empty"));
  m = error_at("name:\n", "1:1");
  EXPECT_THAT(m, HasSubstr("name is empty"));
}

TEST(NodeConfig, OutOfRangeValues) {
  std::string m = error_at("name: a@h\nactive_size: 0\n", "2:14");
  EXPECT_THAT(m, HasSubstr("active_size is 0, below 1"));
  m = error_at("name: a@h\npassive_size: 1025\n", "2:15");
  EXPECT_THAT(m, HasSubstr("passive_size is too large (1025)"));
  m = error_at("name: a@h\ncontact_retry_ms: 5\n", "2:19");
  EXPECT_THAT(m, HasSubstr("contact_retry_ms is 5, below 10"));
  m = error_at("name: a@h\ncookie: " + std::string(1025, 'c') + "\n", "2:9");
  EXPECT_THAT(m, HasSubstr("cookie is 1025 bytes long, above 1024"));
}

TEST(NodeConfig, BadNodeNames) {
  std::string m = error_at("name: no-at-sign\n", "1:7");
  EXPECT_THAT(m, HasSubstr("name 'no-at-sign'"));
  EXPECT_THAT(m, HasSubstr("expected a node name name@host"));
  m = error_at("name: a@h\ncontact_nodes: [b@h, 'bad name@h']\n", "2:22");
  EXPECT_THAT(m, HasSubstr("contact_nodes[1] 'bad name@h'"));
  m = error_at("name: a@h\nnodes:\n  b@h: 1.2.3.4:5\n  x: 1.2.3.4:6\n", "4:3");
  EXPECT_THAT(m, HasSubstr("a key of nodes 'x'"));
}

TEST(NodeConfig, BadStaticAddresses) {
  std::string m = error_at("name: a@h\nnodes:\n  b@h: 1.2.3.4\n", "3:8");
  EXPECT_THAT(m, HasSubstr("nodes.b@h is '1.2.3.4', no ':port'"));
  m = error_at("name: a@h\nnodes:\n  b@h: 1.2.3.4:0\n", "3:8");
  EXPECT_THAT(m, HasSubstr("has the port '0'"));
  m = error_at("name: a@h\nnodes:\n  b@h: \"::1:4000\"\n", "3:8");
  EXPECT_THAT(m, HasSubstr("IPv6 address without brackets"));
  m = error_at("name: a@h\nnodes:\n  b@h: \":4000\"\n", "3:8");
  EXPECT_THAT(m, HasSubstr("empty host"));
}

TEST(NodeConfig, MissingName) {
  const std::string m = error_at("active_size: 3\n", "1:1");
  EXPECT_THAT(m, HasSubstr("missing key 'name'"));
}

TEST(NodeConfig, UnknownBackend) {
  const std::string m = error_at("name: a@h\ndiscovery_backends: [static, consul]\n", "2:30");
  EXPECT_THAT(m, HasSubstr("discovery_backends[1] is 'consul'; expected static, file or dns"));
  const std::string twice = error_at("name: a@h\ndiscovery_backends: [file, file]\n", "2:28");
  EXPECT_THAT(twice, HasSubstr("repeats file"));
}

TEST(NodeConfig, BadEnumsAndAddresses) {
  std::string m = error_at("name: a@h\nlog_level: loud\n", "2:12");
  EXPECT_THAT(m, HasSubstr("expected debug, info, warn or error"));
  m = error_at("name: a@h\nlisten_address: 300.1.1.1\n", "2:17");
  EXPECT_THAT(m, HasSubstr("not an IP address"));
  m = error_at("name: a@h\nadvertise_host: 'bad host'\n", "2:17");
  EXPECT_THAT(m, HasSubstr("a host with the character ' '"));
}

TEST(NodeConfig, KeepAliveMustBeBelowIdleTimeout) {
  std::string m = error_at("name: a@h\nkeep_alive_ms: 30000\n", "2:16");
  EXPECT_THAT(m, HasSubstr("keep_alive_ms (30000) is not below idle_timeout_ms (30000)"));
  // Only the idle timeout written: the error points at it.
  m = error_at("name: a@h\nidle_timeout_ms: 5000\n", "2:18");
  EXPECT_THAT(m, HasSubstr("is not below idle_timeout_ms (5000)"));
  // keep-alive off is always fine.
  EXPECT_TRUE(
      parse_node_config("name: a@h\nidle_timeout_ms: 5000\nkeep_alive_ms: 0\n", "n").is_ok());
}

TEST(NodeConfig, MalformedYamlGivesTheParserPosition) {
  const std::string m = error_at("name: a@h\nnodes: [unclosed\nlisten_port: 1\n", "3:12");
  EXPECT_THAT(m, HasSubstr("not valid YAML"));
  const std::string tab = error_at("name: a@h\n  bad: indentation\n", "2:6");
  EXPECT_THAT(tab, HasSubstr("not valid YAML"));
}

TEST(NodeConfig, NotAMap) {
  std::string m = error_at("- a\n- b\n", "1:1");
  EXPECT_THAT(m, HasSubstr("the configuration is a list"));
  m = error_at("", "1:1");
  EXPECT_THAT(m, HasSubstr("the configuration is"));
}

TEST(NodeConfig, MissingFileIsIo) {
  Result<NodeFileConfig> r = load_node_config("/nonexistent/dir/node.yaml");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kIo);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("/nonexistent/dir/node.yaml"));
}

TEST(NodeConfig, ErrorsFromDiskNameThePath) {
  const auto path = temp_file("typo.yaml", "name: a@h\n\nauth_trust_mod: tofu\n");
  Result<NodeFileConfig> r = load_node_config(path.string());
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kParse);
  EXPECT_THAT(std::string(r.status().message()), StartsWith(path.string() + ":3:1: "));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("did you mean 'auth_trust_mode'?"));
}

TEST(NodeConfig, EmptyCollectionsAreEmpty) {
  Result<NodeFileConfig> r =
      parse_node_config("name: a@h\nnodes:\ncontact_nodes: []\ncookie: \"\"\n", "node.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r.value().nodes.empty());
  EXPECT_TRUE(r.value().contact_nodes.empty());
  EXPECT_EQ(r.value().cookie, "");
}

}  // namespace
}  // namespace barrel::node
