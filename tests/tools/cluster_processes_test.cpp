// Real barrel-node processes on loopback: 20 nodes from one shared
// contact_nodes list and one discovery directory; a node killed with SIGKILL
// and restarted from its data directory.
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tools/process_harness.h"

namespace barrel::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;  // everything runs several times slower
#else
constexpr bool kSanitized = false;
#endif

bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty())
      out.push_back(l);
  }
  return out;
}

class ProcessCluster {
 public:
  ProcessCluster() {
    std::string p = "/tmp/barrel-cluster-XXXXXX";
    EXPECT_NE(::mkdtemp(p.data()), nullptr);
    dir_ = p;
  }
  ~ProcessCluster() {
    for (auto& [name, child] : nodes_) {
      child->signal(SIGTERM);
      child->wait(5s);
    }
    nodes_.clear();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static std::string name_of(int i) { return "n" + std::to_string(i) + "@127.0.0.1"; }
  std::string data_dir(int i) const { return dir_ + "/n" + std::to_string(i); }

  // Starts node i; every node gets the same contact list and discovery dir.
  void start(int i, const std::vector<std::string>& extra_args = {}) {
    const std::string cfg = dir_ + "/n" + std::to_string(i) + ".yaml";
    {
      std::ofstream f(cfg);
      f << "name: " << name_of(i) << "\n"
        << "data_dir: " << data_dir(i) << "\n"
        << "discovery_dir: " << dir_ << "/discovery\n"
        << "contact_nodes: [" << name_of(0) << ", " << name_of(1) << ", " << name_of(2) << "]\n"
        << "contact_retry_ms: 500\n"
        << "idle_timeout_ms: 2000\n"
        << "keep_alive_ms: 500\n"
        << "cookie: cluster-test\n";
    }
    std::vector<std::string> argv = {BARREL_NODE_BIN, "--config", cfg};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    auto child = std::make_unique<Child>(argv);
    ASSERT_TRUE(child->read_until_contains("started:")) << child->output();
    nodes_[i] = std::move(child);
  }
  void kill9(int i) {
    nodes_[i]->signal(SIGKILL);
    nodes_[i]->wait(5s);
    nodes_.erase(i);
  }
  int stop(int i) {
    nodes_[i]->signal(SIGTERM);
    const int code = nodes_[i]->wait(10s);
    nodes_.erase(i);
    return code;
  }
  Child& node(int i) { return *nodes_.at(i); }

  RunResult ctl(int i, const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {BARREL_CTL_BIN, "--data-dir", data_dir(i)};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, 5s);
  }
  std::vector<std::string> active_view(int i) const {
    return lines_of(ctl(i, {"active-view"}).output);
  }

  // One component, every view 1..5, symmetric.
  bool overlay_ok(const std::vector<int>& ids, std::string* why) const {
    std::map<std::string, std::set<std::string>> adj;
    for (int i : ids) {
      auto v = active_view(i);
      if (v.empty() || v.size() > 5) {
        *why = name_of(i) + " has " + std::to_string(v.size()) + " active";
        return false;
      }
      adj[name_of(i)] = std::set<std::string>(v.begin(), v.end());
    }
    for (const auto& [a, nbs] : adj) {
      for (const auto& b : nbs) {
        if (!adj.count(b) || !adj[b].count(a)) {
          *why = a + " -> " + b + " is one-way";
          return false;
        }
      }
    }
    std::set<std::string> seen{adj.begin()->first};
    std::deque<std::string> todo{adj.begin()->first};
    while (!todo.empty()) {
      auto at = todo.front();
      todo.pop_front();
      for (const auto& b : adj[at]) {
        if (seen.insert(b).second)
          todo.push_back(b);
      }
    }
    if (seen.size() != adj.size()) {
      *why = std::to_string(seen.size()) + " of " + std::to_string(adj.size()) + " reachable";
      return false;
    }
    return true;
  }

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::map<int, std::unique_ptr<Child>> nodes_;
};

// Polls `pred` (each call runs ctl processes) until it holds or `limit`.
bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (!pred()) {
    if (Clock::now() >= deadline)
      return false;
  }
  return true;
}

TEST(ClusterProcesses, TwentyNodesOneContactListRegistrationVisibleEverywhereAndSendArrives) {
  constexpr int kNodes = 20;
  ProcessCluster c;
  std::vector<int> ids;
  // Node 5 records every input its core receives, for the replay below.
  const std::string record = c.dir() + "/n5.record";
  for (int i = 0; i < kNodes; ++i) {
    if (i == 5)
      c.start(i, {"--record", record});
    else
      c.start(i);
    ids.push_back(i);
  }
  std::string why;
  ASSERT_TRUE(eventually([&] { return c.overlay_ok(ids, &why); }, 60s)) << why;

  // A registration on node 7, held by a ctl process that prints what arrives.
  Child worker({BARREL_CTL_BIN, "--data-dir", c.data_dir(7), "recv", "svc", "role=test"});
  ASSERT_TRUE(worker.read_until_contains("registered svc")) << worker.output();
  const auto registered_at = Clock::now();
  std::set<int> seen;
  ASSERT_TRUE(eventually(
      [&] {
        for (int i : ids) {
          if (!seen.count(i) && c.ctl(i, {"lookup", "svc"}).code == 0)
            seen.insert(i);
        }
        return seen.size() == ids.size();
      },
      10s))
      << seen.size() << " of " << ids.size() << " see it";
  const auto visible_after = Clock::now() - registered_at;
  // The bound: 2 s (the polling itself, 20 ctl processes a round,
  // counts against it). Sanitizer builds run several times slower.
  EXPECT_LT(visible_after, kSanitized ? 10s : 2s)
      << std::chrono::duration_cast<std::chrono::milliseconds>(visible_after).count() << " ms";

  // whereis from every node reaches node 7, and a send from each arrives.
  for (int i : ids) {
    RunResult w = c.ctl(i, {"whereis", "svc"});
    EXPECT_EQ(w.code, 0) << w.output;
    EXPECT_TRUE(contains(w.output, ProcessCluster::name_of(7))) << w.output;
    RunResult s = c.ctl(i, {"send", "svc", "hello from " + std::to_string(i)});
    EXPECT_EQ(s.code, 0) << s.output;
  }
  for (int i : ids)
    EXPECT_TRUE(worker.read_until_contains("hello from " + std::to_string(i) + "\n"))
        << worker.output();
  worker.signal(SIGINT);
  worker.wait();

  // Replay the recording in the simulator: the same core, fed the same
  // inputs at the same times, makes the same decisions.
  EXPECT_EQ(c.stop(5), 0);
  RunResult replay = run({BARREL_SIM_BIN, "--replay", record}, 60s);
  EXPECT_EQ(replay.code, 0) << replay.output;
  EXPECT_TRUE(contains(replay.output, "no divergence")) << replay.output;
}

TEST(ClusterProcesses, AKilledNodesServicesDisappearAndItRejoinsWithItsIdentity) {
  constexpr int kNodes = 5;
  ProcessCluster c;
  std::vector<int> ids;
  for (int i = 0; i < kNodes; ++i) {
    c.start(i);
    ids.push_back(i);
  }
  std::string why;
  ASSERT_TRUE(eventually([&] { return c.overlay_ok(ids, &why); }, 30s)) << why;
  const int victim = 4;
  const std::string fingerprint = c.ctl(victim, {"identity"}).output;
  ASSERT_EQ(c.ctl(victim, {"register", "victim_svc", "--persistent"}).code, 0);
  ASSERT_TRUE(eventually(
      [&] {
        for (int i = 0; i < victim; ++i) {
          if (c.ctl(i, {"lookup", "victim_svc"}).code != 0)
            return false;
        }
        return true;
      },
      10s));

  // kill -9: its services go from every other node's lookup within the
  // liveness timeout (idle timeout 2 s, then SUSPECT and DEAD).
  c.kill9(victim);
  ASSERT_TRUE(eventually(
      [&] {
        for (int i = 0; i < victim; ++i) {
          if (c.ctl(i, {"lookup", "victim_svc"}).code == 0)
            return false;
        }
        return true;
      },
      30s));

  // Restarted from the same data dir: the same key, accepted by every peer
  // that pinned it; it rejoins through contact_nodes and registers again.
  c.start(victim);
  EXPECT_EQ(c.ctl(victim, {"identity"}).output, fingerprint);
  ASSERT_EQ(c.ctl(victim, {"register", "victim_svc", "--persistent"}).code, 0);
  ASSERT_TRUE(eventually(
      [&] {
        for (int i = 0; i < victim; ++i) {
          if (c.ctl(i, {"lookup", "victim_svc"}).code != 0)
            return false;
        }
        return true;
      },
      30s));
  ASSERT_TRUE(eventually([&] { return c.overlay_ok(ids, &why); }, 30s)) << why;
  for (int i = 0; i < kNodes; ++i)
    EXPECT_FALSE(contains(c.node(i).output(), "key_mismatch")) << c.node(i).output();
}

}  // namespace
}  // namespace barrel::testing
