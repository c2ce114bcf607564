// seed_runner.cpp — many seeds in parallel, reported in seed order (see seed_runner.h).
#include "seed_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "barrel/assert.h"
#include "barrel/sim/report_text.h"
#include "barrel/sim/simulator.h"
#include "progress_line.h"
#include "run_observers.h"

namespace barrel::tools {
namespace {

// What the main thread prints about one seed.
struct Outcome {
  bool done = false;
  bool passed = false;
  uint64_t trace_hash = 0;
  uint64_t events = 0;
  double wall_seconds = 0;
  std::string failures;  // format_failures(), at most kFailuresMax bytes
  std::string trace;     // what --trace says (a cap note, an error), else empty
  bool trace_failed = false;
};

// The failure text kept per seed; the replay command gives the rest.
constexpr size_t kFailuresMax = 4096;

// The work shared by the workers and the main thread, under `mutex`.
struct Shared {
  const barrel::sim::Scenario* scenario = nullptr;
  const Args* args = nullptr;
  uint64_t first = 0;
  std::atomic<uint64_t> next{0};  // index of the next seed to start
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Outcome> outcomes;  // by index (seed - first)
};

void worker(Shared* shared) {
  using Clock = std::chrono::steady_clock;
  const uint64_t count = shared->outcomes.size();
  // Bounded: each iteration claims a distinct index below `count`.
  for (uint64_t k = shared->next.fetch_add(1); k < count; k = shared->next.fetch_add(1)) {
    barrel::sim::Scenario scenario = *shared->scenario;
    scenario.seed = shared->first + k;
    barrel::sim::RunOptions options;
    options.node_summaries_max = 0;
    Outcome o;
    RunObservers observers;  // --trace: this seed's own file
    if (std::string why = observers.open(*shared->args, scenario); !why.empty()) {
      o.trace = why + "\n";
      o.trace_failed = true;
    }
    observers.attach(&options);
    const Clock::time_point start = Clock::now();
    const barrel::sim::RunReport report = barrel::sim::run_scenario(scenario, options);
    o.trace_failed = !observers.close(/*quiet=*/true, &o.trace) || o.trace_failed;
    o.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    o.done = true;
    o.passed = report.passed();
    o.trace_hash = report.trace_hash;
    o.events = report.events;
    o.failures = barrel::sim::format_failures(report).substr(0, kFailuresMax);
    {
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->outcomes[k] = std::move(o);
    }
    shared->changed.notify_one();
  }
}

std::string indent(const std::string& text) {
  std::string out;
  size_t from = 0;
  // Bounded by the text's lines.
  while (from < text.size()) {
    const size_t end = text.find('\n', from);
    const size_t stop = end == std::string::npos ? text.size() : end;
    out += "    " + text.substr(from, stop - from) + "\n";
    from = stop + 1;
  }
  return out;
}

std::string seed_line(uint64_t seed, int seed_width, const Outcome& o, const Args& args) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%-*" PRIu64 "  %-6s  0x%016" PRIx64 "  %12" PRIu64 "  %9.3fs",
                seed_width, seed, o.passed ? "PASS" : "FAIL", o.trace_hash, o.events,
                o.wall_seconds);
  std::string line = buf;
  if (!o.passed) {
    line += "  reproduce: " + replay_command(args.scenario_path, seed);
    if (!args.quiet)
      line += "\n" + indent(o.failures);
  }
  line += line.back() == '\n' ? "" : "\n";
  return line + indent(o.trace);
}

// The totals, and the failed seeds as one list.
std::string totals(const std::vector<Outcome>& v, uint64_t first, uint32_t jobs, double wall) {
  std::vector<double> walls;
  std::string failed;
  size_t failures = 0;
  for (size_t k = 0; k < v.size(); ++k) {
    walls.push_back(v[k].wall_seconds);
    if (!v[k].passed) {
      failures += 1;
      failed += (failed.empty() ? "" : " ") + std::to_string(first + k);
    }
  }
  std::sort(walls.begin(), walls.end());
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "seeds: %zu passed, %zu failed of %zu (%u jobs, %.3fs wall; per run min %.3fs "
                "median %.3fs max %.3fs)\n",
                v.size() - failures, failures, v.size(), jobs, wall, walls.front(),
                walls[walls.size() / 2], walls.back());
  std::string out = buf;
  if (failures > 0)
    out += "failed seeds: " + failed + "\n";
  return out;
}

int decimal_width(uint64_t v) {
  int w = 1;
  for (; v >= 10; v /= 10)
    ++w;
  return w;
}

}  // namespace

int run_seeds(const barrel::sim::Scenario& scenario, const Args& args) {
  BARREL_ASSERT(args.seeds_first.has_value() && args.seeds_last.has_value());
  const uint64_t first = *args.seeds_first;
  const uint64_t count = *args.seeds_last - first + 1;
  BARREL_ASSERT(count >= 1 && count <= kSeedsMax);
  const uint32_t cores = std::max(1u, std::thread::hardware_concurrency());
  const auto jobs = static_cast<uint32_t>(
      std::min<uint64_t>(args.jobs != 0 ? args.jobs : std::min(cores, kJobsMax), count));

  Shared shared;
  shared.scenario = &scenario;
  shared.args = &args;
  shared.first = first;
  shared.outcomes.resize(count);
  std::printf("seeds: %" PRIu64 "..%" PRIu64 " (%" PRIu64 " runs, %u jobs)\n", first,
              *args.seeds_last, count, jobs);
  const int width = std::max(4, decimal_width(*args.seeds_last));
  std::printf("%-*s  %-6s  %-18s  %12s  %10s\n", width, "seed", "result", "trace hash", "events",
              "wall");
  std::fflush(stdout);

  ProgressLine progress(args.quiet, args.progress);
  std::vector<std::thread> workers;
  for (uint32_t k = 0; k < jobs; ++k)
    workers.emplace_back(worker, &shared);

  uint64_t printed = 0, failed = 0, trace_failed = 0;
  std::unique_lock<std::mutex> lock(shared.mutex);
  // Bounded: every wake-up either prints a seed or refreshes the progress
  // line, and the workers finish every seed.
  while (printed < count) {
    shared.changed.wait_for(lock, std::chrono::milliseconds(250));
    std::string out;
    for (; printed < count && shared.outcomes[printed].done; ++printed) {
      failed += shared.outcomes[printed].passed ? 0 : 1;
      trace_failed += shared.outcomes[printed].trace_failed ? 1 : 0;
      out += seed_line(first + printed, width, shared.outcomes[printed], args);
    }
    lock.unlock();
    if (!out.empty()) {
      progress.finish("");
      std::fputs(out.c_str(), stdout);
      std::fflush(stdout);
    }
    const double elapsed = progress.elapsed_seconds();
    // At the pace of the seeds done so far; unknown before the first.
    const std::string eta =
        printed > 0 ? format_eta(elapsed * static_cast<double>(count - printed) / printed) : "?";
    progress.show("[barrel-sim] seeds " + std::to_string(printed) + "/" + std::to_string(count) +
                  " done, " + std::to_string(failed) + " failed, ETA " + eta);
    lock.lock();
  }
  lock.unlock();
  for (std::thread& t : workers)
    t.join();
  progress.finish("");
  std::fputs(totals(shared.outcomes, first, jobs, progress.elapsed_seconds()).c_str(), stdout);
  if (trace_failed > 0)
    return 2;  // a trace that cannot be written is a bad path, as for one run
  return failed == 0 ? 0 : 1;
}

}  // namespace barrel::tools
