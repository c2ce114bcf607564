// cluster.h — many Runtimes on loopback in one process, for tests.
//
// Every node runs on the one io_context of the Cluster (a real deployment
// gives each node its own thread; one thread here keeps tests free of data
// races on the harness's state). Conditions are awaited by running the
// io_context in short slices until they hold or a deadline passes: no sleeps.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "barrel/transport/credentials.h"
#include "barrel/transport/file_pin_store.h"
#include "barrel/transport/identity.h"
#include "barrel/transport/log.h"
#include "barrel/transport/resolver.h"
#include "barrel/transport/runtime.h"
#include "barrel/transport/tls_material.h"
#include "barrel/trust.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <iostream>

namespace barrel::transport::testing {

// Pins in memory (the file store has its own tests).
class MemoryPinStore final : public PinStore {
 public:
  Result<std::optional<PublicKey>> find(std::string_view name) const override {
    auto it = pins_.find(std::string(name));
    if (it == pins_.end())
      return std::optional<PublicKey>();
    return std::optional<PublicKey>(it->second);
  }
  Status pin(std::string_view name, const PublicKey& key) override {
    auto [it, fresh] = pins_.emplace(std::string(name), key);
    if (!fresh && it->second != key)
      return Status::already_exists("another key is pinned for " + std::string(name));
    return Status::ok();
  }
  Status remove(std::string_view name) override {
    return pins_.erase(std::string(name)) ? Status::ok() : Status::not_found(std::string(name));
  }
  Result<std::vector<std::pair<std::string, PublicKey>>> list() const override {
    return std::vector<std::pair<std::string, PublicKey>>(pins_.begin(), pins_.end());
  }
  size_t size() const { return pins_.size(); }

 private:
  std::map<std::string, PublicKey> pins_;
};

// A fresh directory under /tmp, removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/barrel-test-XXXXXX";
    char* made = ::mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct NodeOptions {
  bool auth_enabled = true;
  TrustMode trust = TrustMode::kTofu;
  std::string cookie = "test-cookie";
  Duration idle_timeout = Duration::seconds(5);
  // Set: the node keeps its credentials and pins under this directory, as a
  // real node does (load_or_create_credentials, FilePinStore); a restart with
  // the same directory is the same node. Empty: a fresh identity in memory.
  std::string data_dir = {};
  uint32_t active_size = 5;
  uint32_t passive_size = 30;
  // Short protocol periods so tests converge in seconds.
  bool fast = true;
};

struct TestNode {
  std::string name;
  std::optional<NodeIdentity> identity;     // kept across crash/restart; replace to change keys
  MemoryPinStore pins;                      // without a data_dir
  std::unique_ptr<FilePinStore> file_pins;  // with one
  std::vector<std::string> log;             // every line this node logged
  std::unique_ptr<Runtime> rt;
  uint16_t port = 0;

  bool logged(std::string_view needle) const;
};

class Cluster {
 public:
  Cluster();
  ~Cluster();

  // Starts a node named `name` on 127.0.0.1 with an OS-chosen port, and
  // makes it resolvable by every node of the cluster.
  TestNode& start(const std::string& name, NodeOptions options = {});
  // Destroys the node's runtime without a goodbye (its peers see silence:
  // the idle timeout). The TestNode (identity, pins, log) stays.
  void crash(TestNode& n);
  // Starts a crashed node again with the same identity and pins.
  void restart(TestNode& n, NodeOptions options = {});

  // Runs the io_context until `pred` holds or `limit` has passed; returns
  // whether it held.
  bool run_until(const std::function<bool()>& pred,
                 std::chrono::milliseconds limit = std::chrono::seconds(20));
  // Runs for `d` (lets timers and connections settle; used only where a
  // test asserts that something does NOT happen within a window).
  void run_for(std::chrono::milliseconds d);

  boost::asio::io_context& io() { return io_; }
  StaticResolver& resolver() { return resolver_; }
  std::vector<std::unique_ptr<TestNode>>& nodes() { return nodes_; }

  // Overlay predicates over the running nodes.
  bool views_bounded(size_t active_max) const;
  bool connected() const;
  bool symmetric() const;
  // True if no running node has `name` in its active or passive view.
  bool absent_from_views(const std::string& name) const;
  // Every running node's views, one line each (for failure messages).
  std::string dump() const;

 private:
  RuntimeConfig config_for(TestNode& n, const NodeOptions& o) const;
  void launch(TestNode& n, const NodeOptions& o);

  boost::asio::io_context io_;
  StaticResolver resolver_;
  std::vector<std::unique_ptr<TestNode>> nodes_;
};

// --- Definitions (header-only: each test file is its own executable) ------

inline bool TestNode::logged(std::string_view needle) const {
  return std::any_of(log.begin(), log.end(),
                     [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

inline Cluster::Cluster() = default;

inline Cluster::~Cluster() {
  for (auto& n : nodes_)
    n->rt.reset();
  // Let the endpoints' last packets and handlers run out (bounded).
  io_.restart();
  io_.run_for(std::chrono::milliseconds(10));
}

inline RuntimeConfig Cluster::config_for(TestNode& n, const NodeOptions& o) const {
  RuntimeConfig c;
  c.name = n.name;
  c.auth.enabled = o.auth_enabled;
  c.auth.trust = o.trust;
  c.auth.cookie = o.cookie;
  c.quic.listen_address = "127.0.0.1";
  c.quic.listen_port = n.port;  // 0 the first time; the same port on restart
  c.quic.idle_timeout = o.idle_timeout;
  c.quic.keep_alive = Duration::micros(o.idle_timeout.us() / 3);
  c.quic.handshake_timeout = Duration::seconds(2);
  c.quic.initial_rtt = Duration::millis(10);
  c.node.hyparview.active_size = o.active_size;
  c.node.hyparview.passive_size = o.passive_size;
  if (o.fast) {
    c.node.hyparview.shuffle_period = Duration::millis(500);
    c.node.hyparview.repair_period = Duration::millis(200);
    c.node.hyparview.contact_retry = Duration::millis(500);
    c.node.hyparview.neighbor_timeout = Duration::seconds(2);
  }
  c.transient_idle = Duration::seconds(2);
  return c;
}

inline void Cluster::launch(TestNode& n, const NodeOptions& o) {
  RuntimeConfig c = config_for(n, o);
  PinStore* pins = &n.pins;
  if (!o.data_dir.empty()) {
    Result<Credentials> creds = load_or_create_credentials(o.data_dir, n.name, {});
    ASSERT_TRUE(creds.is_ok()) << creds.status().to_string();
    n.identity.reset();
    n.identity.emplace(std::move(creds->identity));
    c.quic.cert_pem = creds->tls.cert_pem;
    c.quic.key_pem = creds->tls.key_pem;
    n.file_pins = std::make_unique<FilePinStore>(creds->paths.trusted_dir);
    pins = n.file_pins.get();
  } else {
    Result<TlsMaterial> tls = generate_self_signed({.common_name = n.name, .days = 1});
    ASSERT_TRUE(tls.is_ok()) << tls.status().to_string();
    c.quic.cert_pem = tls->cert_pem;
    c.quic.key_pem = tls->key_pem;
  }
  const bool echo = std::getenv("BARREL_TEST_LOG") != nullptr;
  TestNode* np = &n;
  Logger logger(n.name, LogLevel::kDebug, [np, echo](LogLevel, std::string_view line) {
    np->log.emplace_back(line);
    if (echo)
      std::cerr << line << "\n";
  });
  Result<std::unique_ptr<Runtime>> rt =
      Runtime::create(io_, c, *n.identity, *pins, resolver_, std::move(logger));
  ASSERT_TRUE(rt.is_ok()) << rt.status().to_string();
  n.rt = std::move(rt).value();
  n.port = n.rt->local_port();
  resolver_.set(n.name,
                boost::asio::ip::udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), n.port));
}

inline TestNode& Cluster::start(const std::string& name, NodeOptions options) {
  auto n = std::make_unique<TestNode>();
  n->name = name;
  Result<NodeIdentity> id = NodeIdentity::generate();
  EXPECT_TRUE(id.is_ok());
  n->identity.emplace(std::move(id).value());
  nodes_.push_back(std::move(n));
  launch(*nodes_.back(), options);
  return *nodes_.back();
}

inline void Cluster::crash(TestNode& n) {
  n.rt->abort();
  n.rt.reset();
}

inline void Cluster::restart(TestNode& n, NodeOptions options) {
  n.rt.reset();
  n.file_pins.reset();
  launch(n, options);
}

inline bool Cluster::run_until(const std::function<bool()>& pred, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  // Bounded in time; each slice returns within ~20 ms.
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    io_.restart();
    io_.run_for(std::chrono::milliseconds(20));
  }
  return true;
}

inline void Cluster::run_for(std::chrono::milliseconds d) {
  io_.restart();
  io_.run_for(d);
}

inline bool Cluster::views_bounded(size_t active_max) const {
  for (const auto& n : nodes_) {
    if (n->rt && n->rt->active_view().size() > active_max)
      return false;
  }
  return true;
}

inline bool Cluster::connected() const {
  std::map<std::string, std::vector<std::string>> adj;
  for (const auto& n : nodes_) {
    if (n->rt)
      adj[n->name] = n->rt->active_view();
  }
  if (adj.empty())
    return true;
  std::set<std::string> seen{adj.begin()->first};
  std::deque<std::string> todo{adj.begin()->first};
  while (!todo.empty()) {
    std::string at = todo.front();
    todo.pop_front();
    for (const std::string& nb : adj[at]) {
      if (adj.count(nb) && seen.insert(nb).second)
        todo.push_back(nb);
    }
  }
  return seen.size() == adj.size();
}

inline bool Cluster::symmetric() const {
  std::map<std::string, std::set<std::string>> adj;
  for (const auto& n : nodes_) {
    if (n->rt) {
      auto v = n->rt->active_view();
      adj[n->name] = std::set<std::string>(v.begin(), v.end());
    }
  }
  for (const auto& [a, nbs] : adj) {
    for (const std::string& b : nbs) {
      auto it = adj.find(b);
      if (it == adj.end() || !it->second.count(a))
        return false;
    }
  }
  return true;
}

inline std::string Cluster::dump() const {
  std::string out;
  for (const auto& n : nodes_) {
    if (!n->rt)
      continue;
    out += n->name + " active [";
    for (const auto& x : n->rt->active_view())
      out += x + " ";
    out += "] passive [";
    for (const auto& x : n->rt->passive_view())
      out += x + " ";
    out += "]\n";
  }
  return out;
}

inline bool Cluster::absent_from_views(const std::string& name) const {
  for (const auto& n : nodes_) {
    if (!n->rt)
      continue;
    for (const auto& v : {n->rt->active_view(), n->rt->passive_view()}) {
      if (std::find(v.begin(), v.end(), name) != v.end())
        return false;
    }
  }
  return true;
}

}  // namespace barrel::transport::testing
