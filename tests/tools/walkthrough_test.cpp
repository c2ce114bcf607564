// The README walkthrough, step for step, with real processes: two barrel-node
// daemons on loopback and barrel-ctl against their control sockets.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "tools/process_harness.h"

namespace barrel::testing {
namespace {

using namespace std::chrono_literals;

#if defined(__SANITIZE_ADDRESS__)
constexpr auto kWithinASecond = 5s;  // sanitizer builds run several times slower
#else
constexpr auto kWithinASecond = 1s;
#endif

class TempDir {
 public:
  TempDir() {
    std::string p = "/tmp/barrel-walk-XXXXXX";
    EXPECT_NE(::mkdtemp(p.data()), nullptr);
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs barrel-ctl against `data_dir` until `pred(output)` holds (the cluster
// converges in the background), bounded by `limit`.
RunResult ctl_until(const std::string& data_dir, const std::vector<std::string>& args,
                    const std::function<bool(const RunResult&)>& pred,
                    std::chrono::milliseconds limit = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::vector<std::string> argv = {BARREL_CTL_BIN, "--data-dir", data_dir};
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult r;
  // Each attempt is a whole ctl process (milliseconds); bounded by the deadline.
  do {
    r = run(argv, 5s);
  } while (!pred(r) && std::chrono::steady_clock::now() < deadline);
  return r;
}
RunResult ctl(const std::string& data_dir, const std::vector<std::string>& args) {
  return ctl_until(data_dir, args, [](const RunResult&) { return true; });
}
bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

std::string write_config(const TempDir& t, const std::string& name) {
  const std::string path = t.path() + "/" + name + ".yaml";
  std::ofstream f(path);
  f << "name: " << name << "@127.0.0.1\n"
    << "data_dir: " << t.path() << "/" << name << "\n"
    << "discovery_dir: " << t.path() << "/discovery\n"
    << "cookie: walkthrough\n";
  return path;
}

TEST(Walkthrough, TwoNodesJoinRegisterLookupSendEventsLeave) {
  TempDir t;
  const std::string d1 = t.path() + "/node1";
  const std::string d2 = t.path() + "/node2";
  // 1. Start node1 and node2.
  Child node1({BARREL_NODE_BIN, "--config", write_config(t, "node1")});
  Child node2({BARREL_NODE_BIN, "--config", write_config(t, "node2")});
  ASSERT_TRUE(node1.read_until_contains("started:")) << node1.output();
  ASSERT_TRUE(node2.read_until_contains("started:")) << node2.output();

  // Someone watches node1's events from the start.
  Child events({BARREL_CTL_BIN, "--data-dir", d1, "events"});
  // Subscribed before the join: the peer_up asserted in step 8 is not missed.
  ASSERT_TRUE(events.read_until_contains("watching events")) << events.output();

  // 2. join: node2 joins node1 (found through the shared discovery directory).
  RunResult r = ctl(d2, {"join", "node1@127.0.0.1"});
  ASSERT_EQ(r.code, 0) << r.output;

  // 3. Symmetric active views.
  r = ctl_until(d1, {"active-view"}, [](auto& x) { return contains(x.output, "node2@127.0.0.1"); });
  EXPECT_TRUE(contains(r.output, "node2@127.0.0.1")) << r.output;
  r = ctl_until(d2, {"active-view"}, [](auto& x) { return contains(x.output, "node1@127.0.0.1"); });
  EXPECT_TRUE(contains(r.output, "node1@127.0.0.1")) << r.output;

  // 4. identity and fingerprint (the one node1 logged at start).
  r = ctl(d1, {"identity"});
  ASSERT_EQ(r.code, 0);
  EXPECT_TRUE(contains(r.output, "name: node1@127.0.0.1")) << r.output;
  const size_t at = node1.output().find("key fingerprint ");
  ASSERT_NE(at, std::string::npos);
  const std::string fp = node1.output().substr(at + 16, 64);
  EXPECT_TRUE(contains(r.output, "fingerprint: " + fp)) << r.output;

  // 5. register my_worker role=worker on node1 (held by this ctl process:
  // `recv` registers the name and prints what is sent to it).
  Child worker({BARREL_CTL_BIN, "--data-dir", d1, "recv", "my_worker", "role=worker"});
  ASSERT_TRUE(worker.read_until_contains("registered my_worker")) << worker.output();

  // 6. lookup and whereis from node2 within a second.
  r = ctl_until(
      d2, {"lookup", "my_worker"}, [](auto& x) { return x.code == 0; }, kWithinASecond);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "node1@127.0.0.1")) << r.output;
  EXPECT_TRUE(contains(r.output, "role=worker")) << r.output;
  r = ctl(d2, {"whereis", "my_worker"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(contains(r.output, "node1@127.0.0.1")) << r.output;

  // 7. send a message and see it arrive.
  r = ctl(d2, {"send", "my_worker", "hello from node2"});
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(worker.read_until_contains("hello from node2")) << worker.output();

  // A ctl command for an unknown service exits non-zero with a message.
  r = ctl(d2, {"whereis", "no_such_service"});
  EXPECT_NE(r.code, 0);
  EXPECT_TRUE(contains(r.output, "no service named no_such_service")) << r.output;

  // 8. events showed peer_up and service_registered.
  EXPECT_TRUE(events.read_until_contains("service_registered my_worker")) << events.output();
  EXPECT_TRUE(contains(events.output(), "peer_up node2@127.0.0.1")) << events.output();

  // The registration belongs to the ctl connection: it ends with it.
  worker.signal(SIGINT);
  EXPECT_EQ(worker.wait(), 0) << worker.output();
  EXPECT_TRUE(events.read_until_contains("service_down my_worker")) << events.output();

  // 9. leave: node2 leaves, node1's active view empties.
  r = ctl(d2, {"leave"});
  EXPECT_EQ(r.code, 0);
  r = ctl_until(d1, {"active-view"},
                [](auto& x) { return !contains(x.output, "node2@127.0.0.1"); });
  EXPECT_FALSE(contains(r.output, "node2@127.0.0.1")) << r.output;

  // SIGTERM: leave, close, exit 0; the endpoint file and socket are gone.
  events.signal(SIGINT);
  node1.signal(SIGTERM);
  node2.signal(SIGTERM);
  EXPECT_EQ(node1.wait(), 0) << node1.output();
  EXPECT_EQ(node2.wait(), 0) << node2.output();
  EXPECT_FALSE(std::filesystem::exists(t.path() + "/discovery/node1@127.0.0.1.endpoint"));
  EXPECT_FALSE(std::filesystem::exists(d1 + "/control.sock"));
}

// A free TCP port on loopback: bound to 0, read back, released. Another
// process may take it before the daemon binds it; the caller retries.
uint16_t free_tcp_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  uint16_t port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  if (fd >= 0)
    ::close(fd);
  return port;
}

// GET /metrics from 127.0.0.1:port, as a scraper would: the whole response,
// or "" when the connection fails. Reads are bounded by a 2 s timeout.
std::string scrape(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return "";
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  std::string out;
  const std::string req = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
      out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

// The value of the sample line `metric` (name with labels), or -1.
double sample(const std::string& text, const std::string& metric) {
  const size_t at = text.find("\n" + metric + " ");
  return at == std::string::npos ? -1 : std::stod(text.substr(at + metric.size() + 2));
}

TEST(Walkthrough, MetricsScrapedFromARunningDaemon) {
  TempDir t;
  const std::string d1 = t.path() + "/node1";
  const std::string d2 = t.path() + "/node2";
  const std::string cfg1 = write_config(t, "node1");
  uint16_t port = 0;
  std::unique_ptr<Child> node1;
  // The port is chosen here and bound by the daemon: retry if someone took it.
  for (int attempt = 0; attempt < 5 && !node1; ++attempt) {
    port = free_tcp_port();
    ASSERT_NE(port, 0);
    std::ofstream(cfg1, std::ios::app) << "metrics_port: " << port << "\n";
    auto n = std::make_unique<Child>(std::vector<std::string>{BARREL_NODE_BIN, "--config", cfg1});
    if (n->read_until_contains("/metrics"))
      node1 = std::move(n);
    else
      write_config(t, "node1");  // rewrite without the taken port
  }
  ASSERT_TRUE(node1) << "no free port for the metrics endpoint";
  EXPECT_TRUE(contains(node1->output(), "metrics on http://127.0.0.1:" + std::to_string(port)))
      << node1->output();
  Child node2({BARREL_NODE_BIN, "--config", write_config(t, "node2")});
  ASSERT_TRUE(node2.read_until_contains("started:")) << node2.output();

  std::string text = scrape(port);
  EXPECT_TRUE(contains(text, "HTTP/1.1 200")) << text;
  EXPECT_TRUE(contains(text, "barrel_node_info{node=\"node1@127.0.0.1\"} 1")) << text;
  EXPECT_EQ(sample(text, "barrel_registry_services"), 0) << text;

  ASSERT_EQ(ctl(d2, {"join", "node1@127.0.0.1"}).code, 0);
  ASSERT_EQ(ctl(d1, {"register", "metered", "--persistent"}).code, 0);
  // The counters move with what the daemon did: one authenticated peer, a
  // connection, traffic, the registration. Scraped until they show it.
  const auto ready = [](const std::string& x) {
    return sample(x, "barrel_active_view_peers") == 1 && sample(x, "barrel_registry_services") == 1;
  };
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  do {
    text = scrape(port);
  } while (!ready(text) && std::chrono::steady_clock::now() < deadline);
  EXPECT_TRUE(ready(text)) << text;
  EXPECT_GE(sample(text, "barrel_peer_up_total"), 1) << text;
  EXPECT_GE(sample(text, "barrel_auth_attempts_total{outcome=\"accepted\"}"), 1) << text;
  EXPECT_GE(sample(text, "barrel_connections"), 1) << text;
  EXPECT_GT(sample(text, "barrel_quic_bytes_sent_total"), 0) << text;
  EXPECT_GT(sample(text, "barrel_quic_bytes_received_total"), 0) << text;
  EXPECT_EQ(sample(text, "barrel_registry_instances"), 1) << text;
  // The control socket served node1's `register` (its own session).
  EXPECT_GE(sample(text, "barrel_control_sessions_total"), 1) << text;
  EXPECT_GE(sample(text, "barrel_control_requests_total"), 1) << text;
  EXPECT_EQ(sample(text, "barrel_mailbox_messages_dropped_total"), 0) << text;

  // node2 leaves: node1 counts the peer going down, by its reason.
  ASSERT_EQ(ctl(d2, {"leave"}).code, 0);
  const auto gone = [](const std::string& x) { return sample(x, "barrel_active_view_peers") == 0; };
  const auto deadline2 = std::chrono::steady_clock::now() + 10s;
  do {
    text = scrape(port);
  } while (!gone(text) && std::chrono::steady_clock::now() < deadline2);
  EXPECT_TRUE(gone(text)) << text;
  EXPECT_EQ(sample(text, "barrel_peer_down_total{reason=\"left\"}") +
                sample(text, "barrel_peer_down_total{reason=\"disconnected\"}"),
            1)
      << text;

  node1->signal(SIGTERM);
  node2.signal(SIGTERM);
  EXPECT_EQ(node1->wait(), 0) << node1->output();
  EXPECT_EQ(node2.wait(), 0) << node2.output();
}

TEST(Walkthrough, AConfigWithATypoOrABadTrustModeExits2NamingFileLineColumn) {
  TempDir t;
  const std::string path = t.path() + "/bad.yaml";
  {
    std::ofstream f(path);
    f << "name: n@127.0.0.1\nactiv_size: 5\n";
  }
  RunResult r = run({BARREL_NODE_BIN, "--config", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.output, path + ":2:1")) << r.output;
  EXPECT_TRUE(contains(r.output, "active_size")) << r.output;  // the suggestion
  {
    std::ofstream f(path);
    f << "name: n@127.0.0.1\nauth_trust_mode: maybe\n";
  }
  r = run({BARREL_NODE_BIN, "--config", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(contains(r.output, path + ":2:18")) << r.output;
}

}  // namespace
}  // namespace barrel::testing
