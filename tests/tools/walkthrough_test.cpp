// The README walkthrough, step for step, with real processes: two barrel-node
// daemons on loopback and barrel-ctl against their control sockets.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
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
