// node_cluster_bench — 20 real barrel-node processes on loopback (one shared
// contact_nodes list, one discovery directory), measured through barrel-ctl:
//   BM_RegistrationVisibility  `register --persistent` on one node until the
//                              `events` streams of all 19 others have shown
//                              service_registered (p50/p99 over 40 rounds;
//                              includes starting the ctl process, ~ms);
//   BM_ColdWhereisSend         `send NAME MSG` (whereis + first message) to a
//                              node the sender has no connection to, until
//                              the receiving `recv` prints it (p50/p99);
//   BM_IdleDaemon              CPU and RSS of each daemon over 10 s of quiet:
//                              20 nodes with the default active view (5), and
//                              21 nodes with active_size 20, where each
//                              daemon holds a connection to 20 peers.
// bench/node_cluster.sh builds and runs it. Paths come from the build
// (BARREL_NODE_BIN, BARREL_CTL_BIN).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tools/process_harness.h"

namespace {

using barrel::testing::Child;
using barrel::testing::run;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kNodes = 20;

std::string name_of(int i) {
  return "n" + std::to_string(i) + "@127.0.0.1";
}

class Cluster {
 public:
  explicit Cluster(int nodes = kNodes, int active_size = 5) {
    std::string p = "/tmp/barrel-bench-XXXXXX";
    if (::mkdtemp(p.data()) == nullptr)
      std::abort();
    dir_ = p;
    for (int i = 0; i < nodes; ++i) {
      const std::string cfg = dir_ + "/n" + std::to_string(i) + ".yaml";
      std::ofstream(cfg) << "name: " << name_of(i) << "\ndata_dir: " << data(i)
                         << "\ndiscovery_dir: " << dir_ << "/discovery\ncontact_nodes: ["
                         << name_of(0) << ", " << name_of(1) << ", " << name_of(2)
                         << "]\nactive_size: " << active_size
                         << "\ncookie: bench\nlog_level: warn\n";
      nodes_.push_back(
          std::make_unique<Child>(std::vector<std::string>{BARREL_NODE_BIN, "--config", cfg}));
    }
    // Settled: every node has someone in its active view.
    const auto deadline = Clock::now() + 60s;
    for (int i = 0; i < nodes; ++i) {
      while (ctl(i, {"active-view"}).find('@') == std::string::npos && Clock::now() < deadline) {
      }
    }
  }
  ~Cluster() {
    for (auto& n : nodes_)
      n->signal(SIGTERM);
    for (auto& n : nodes_)
      n->wait(10s);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string data(int i) const { return dir_ + "/n" + std::to_string(i); }
  std::string ctl(int i, const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {BARREL_CTL_BIN, "--data-dir", data(i)};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, 5s).output;
  }
  std::vector<std::string> ctl_argv(int i, const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {BARREL_CTL_BIN, "--data-dir", data(i)};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  pid_t pid(int i) const { return nodes_[i]->pid(); }
  int size() const { return static_cast<int>(nodes_.size()); }
  // Lines of `active-view` on node i.
  size_t active_view_size(int i) const {
    std::istringstream in(ctl(i, {"active-view"}));
    size_t n = 0;
    for (std::string l; std::getline(in, l);)
      n += l.find('@') != std::string::npos;
    return n;
  }

 private:
  std::string dir_;
  std::vector<std::unique_ptr<Child>> nodes_;
};

void report(benchmark::State& state, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  state.counters["max_ms"] = ms.back();
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

void BM_RegistrationVisibility(benchmark::State& state) {
  Cluster c;
  std::vector<std::unique_ptr<Child>> events;
  for (int i = 0; i < kNodes; ++i) {
    events.push_back(std::make_unique<Child>(c.ctl_argv(i, {"events"})));
    // Subscribed before the first registration, or its event is missed.
    if (!events.back()->read_until_contains("watching events", 10s))
      state.SkipWithError("an events stream did not start");
  }
  std::vector<double> ms;
  for (auto _ : state) {
    for (int round = 0; round < 40; ++round) {
      const int at = round % kNodes;
      const std::string svc = "svc" + std::to_string(round);
      const auto t0 = Clock::now();
      c.ctl(at, {"register", svc, "--persistent"});
      for (int i = 0; i < kNodes; ++i) {
        if (i != at && !events[i]->read_until_contains("service_registered " + svc + " ", 10s)) {
          std::fprintf(stderr, "%s from %s did not reach %s; its events:\n%s\n", svc.c_str(),
                       name_of(at).c_str(), name_of(i).c_str(), events[i]->output().c_str());
          state.SkipWithError("a registration did not arrive within 10 s");
        }
      }
      ms.push_back(ms_since(t0));
    }
  }
  report(state, ms);
}
BENCHMARK(BM_RegistrationVisibility)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_ColdWhereisSend(benchmark::State& state) {
  Cluster c;
  // One receiver per node, each holding a service named after its node.
  std::vector<std::unique_ptr<Child>> recv;
  for (int i = 0; i < kNodes; ++i) {
    recv.push_back(std::make_unique<Child>(c.ctl_argv(i, {"recv", "w" + std::to_string(i)})));
    recv.back()->read_until_contains("registered");
  }
  // Let the registrations spread (bounded).
  for (int i = 0; i < kNodes; ++i) {
    const auto deadline = Clock::now() + 10s;
    while (c.ctl(0, {"lookup", "w" + std::to_string(i)}).find('@') == std::string::npos &&
           Clock::now() < deadline) {
    }
  }
  std::vector<double> ms;
  for (auto _ : state) {
    int count = 0;
    for (int from = 0; from < kNodes && count < 40; ++from) {
      std::set<std::string> view;
      std::istringstream in(c.ctl(from, {"active-view"}));
      for (std::string l; std::getline(in, l);)
        view.insert(l);
      for (int to = 0; to < kNodes && count < 40; ++to) {
        // Cold: outside the sender's active view, and each unordered pair
        // once (to > from), so no earlier send left a connection open.
        if (to <= from || view.count(name_of(to)) || (to + from) % 3 != 0)
          continue;
        const std::string msg = "m" + std::to_string(from) + "-" + std::to_string(to) + "\n";
        const auto t0 = Clock::now();
        c.ctl(from, {"send", "w" + std::to_string(to), msg.substr(0, msg.size() - 1)});
        if (!recv[to]->read_until_contains(msg, 10s))
          state.SkipWithError("a message did not arrive within 10 s");
        ms.push_back(ms_since(t0));
        ++count;
      }
    }
  }
  report(state, ms);
}
BENCHMARK(BM_ColdWhereisSend)->Iterations(1)->Unit(benchmark::kMillisecond);

// utime + stime of a process, in clock ticks (/proc/PID/stat fields 14, 15).
double cpu_seconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::istringstream in(s.substr(s.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14 || i == 15)
      ticks += std::stod(field);
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}
double rss_mib(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  for (std::string l; std::getline(f, l);) {
    if (l.rfind("VmRSS:", 0) == 0)
      return std::stod(l.substr(6)) / 1024.0;
  }
  return 0;
}

// Args: {nodes, active_size}. The counters include the mean active view, so
// the report shows how many peers each daemon really held.
void BM_IdleDaemon(benchmark::State& state) {
  Cluster c(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  // Let joins settle (bounded): the active views stop growing.
  const auto deadline = Clock::now() + 30s;
  const size_t want = static_cast<size_t>(std::min(state.range(1), state.range(0) - 1));
  for (int i = 0; i < c.size(); ++i) {
    while (c.active_view_size(i) < want && Clock::now() < deadline) {
    }
  }
  std::this_thread::sleep_for(3s);  // a benchmark may wait: the last shuffles
  double view = 0;
  for (int i = 0; i < c.size(); ++i)
    view += static_cast<double>(c.active_view_size(i));
  std::vector<double> before;
  for (int i = 0; i < c.size(); ++i)
    before.push_back(cpu_seconds(c.pid(i)));
  for (auto _ : state)
    std::this_thread::sleep_for(10s);  // the quiet window being measured
  double cpu = 0;
  double rss = 0;
  for (int i = 0; i < c.size(); ++i) {
    cpu += cpu_seconds(c.pid(i)) - before[i];
    rss += rss_mib(c.pid(i));
  }
  state.counters["active_view_mean"] = view / c.size();
  state.counters["cpu_pct_per_daemon"] = 100.0 * cpu / 10.0 / c.size();
  state.counters["rss_mib_per_daemon"] = rss / c.size();
}
BENCHMARK(BM_IdleDaemon)
    ->Args({kNodes, 5})
    ->Args({kNodes + 1, kNodes})
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
