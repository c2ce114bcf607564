// barrel_sim_main.cpp — barrel-sim: runs a scenario YAML in the deterministic simulator.
//
//   barrel-sim SCENARIO [--seed N] [--seeds A..B [-j N]] [--json FILE] [--csv FILE]
//                       [--html FILE] [--trace FILE [--trace-max BYTES]] [--watch NODE]
//                       [--quiet] [--progress] [--no-huge-pages] [--help]
//   barrel-sim SCENARIO [--seed N] --shrink OUT.yaml [--shrink-runs N] [--shrink-time S]
//   barrel-sim --trace-dump FILE [--watch NODE]
//   barrel-sim --replay FILE
//
// Prints every knob of the run first (so the output alone reproduces it),
// runs the scenario, prints a summary and, last, the trace hash; --json,
// --csv and --html write the report, its time series and a self-contained
// HTML page with charts. --seeds runs many seeds in parallel (seed_runner.h).
// --trace writes the binary event log, --watch prints one node's life as the
// run goes, --trace-dump prints a trace (run_observers.h). --shrink makes a
// failing run's fault schedule minimal (shrink.h).
// A terminal gets a progress line on stderr (progress_line.h). Exit codes:
//   0  the run reached its duration and every expectation passed;
//   1  the run failed or an expectation failed (the replay command is printed);
//   2  bad usage or a bad scenario (the loader's FILE:LINE:COLUMN message on
//      stderr), including a scenario file that cannot be read, or a report
//      file that cannot be written.
//
// The wall clock is read here, in the tool only, to report speed; nothing in
// the run depends on it.
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "barrel/sim/replay.h"
#include "barrel/sim/report_csv.h"
#include "barrel/sim/report_html.h"
#include "barrel/sim/report_json.h"
#include "barrel/sim/report_text.h"
#include "barrel/sim/scenario_loader.h"
#include "barrel/sim/simulator.h"
#include "huge_pages.h"
#include "progress_line.h"
#include "run_observers.h"
#include "seed_runner.h"
#include "shrink.h"
#include "sim_args.h"

namespace {

using barrel::tools::Args;

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;

// Node views listed in the summary and the JSON report.
constexpr uint32_t kNodeSummariesMax = 8;

// The process's high-water resident set (getrusage) in MiB, 0 when unknown:
// a host measurement like the wall time, for BENCHMARKS.md and the reports.
double peak_rss_mib() {
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) != 0)
    return 0;
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is KiB on Linux
}

std::string peak_rss_line(double mib) {
  if (mib <= 0)
    return "peak RSS: unknown\n";
  char line[96];
  std::snprintf(line, sizeof line, "peak RSS: %.1f MiB%s\n", mib,
                barrel::tools::heap_on_huge_pages() ? " (heap on transparent huge pages)" : "");
  return line;
}

std::string verdict(const barrel::sim::RunReport& r) {
  size_t failed = 0;
  for (const auto& x : r.expectations)
    failed += x.passed ? 0 : 1;
  const std::string total = std::to_string(r.expectations.size());
  if (!r.failure.empty())
    return "result: FAIL (the run failed; " + std::to_string(failed) + " of " + total +
           " expectations failed)\n";
  if (failed > 0)
    return "result: FAIL (" + std::to_string(failed) + " of " + total + " expectations failed)\n";
  return "result: PASS (" + total + " expectations)\n";
}

void print(const std::string& text) {
  std::fputs(text.c_str(), stdout);
}

// A report file, opened before the run so a bad path costs nothing.
struct ReportFile {
  std::string path;
  std::FILE* file = nullptr;
};

bool open_reports(const Args& args, std::vector<ReportFile>* files) {
  for (const std::string* path : {&args.json_path, &args.csv_path, &args.html_path}) {
    ReportFile f{*path, nullptr};
    if (!path->empty()) {
      f.file = std::fopen(path->c_str(), "w");
      if (f.file == nullptr) {
        std::fprintf(stderr, "%s: cannot open: %s\n", path->c_str(), std::strerror(errno));
        return false;
      }
    }
    files->push_back(f);
  }
  return true;
}

// Writes and closes `f` (when open); false when that failed.
bool write_report(ReportFile& f, const std::string& text) {
  if (f.file == nullptr)
    return true;
  bool ok = std::fwrite(text.data(), 1, text.size(), f.file) == text.size();
  ok = (std::fclose(f.file) == 0) && ok;
  f.file = nullptr;
  if (!ok)
    std::fprintf(stderr, "%s: cannot write the report\n", f.path.c_str());
  return ok;
}

void close_reports(std::vector<ReportFile>* files) {
  for (ReportFile& f : *files) {
    if (f.file != nullptr)
      std::fclose(f.file);
    f.file = nullptr;
  }
}

int run_one(const barrel::sim::Scenario& scenario, const Args& args) {
  barrel::tools::RunObservers observers;
  if (std::string why = observers.open(args, scenario); !why.empty()) {
    std::fprintf(stderr, "%s\n", why.c_str());
    return kExitUsage;
  }
  std::vector<ReportFile> files;  // json, csv, html
  if (!open_reports(args, &files)) {
    close_reports(&files);
    return kExitUsage;
  }
  if (!args.quiet)
    print(barrel::sim::format_header(scenario, args.scenario_path));
  std::fflush(stdout);

  barrel::tools::ProgressLine progress(args.quiet, args.progress);
  barrel::sim::RunOptions options;
  options.node_summaries_max = kNodeSummariesMax;
  observers.attach(&options);
  if (progress.enabled())
    options.progress = [&progress](const barrel::sim::RunProgress& p) { progress.on_run(p); };
  const auto wall_start = std::chrono::steady_clock::now();
  const barrel::sim::RunReport report = barrel::sim::run_scenario(scenario, options);
  const double wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  progress.finish("[barrel-sim] done: " + std::to_string(report.events) + " events");

  print(args.quiet ? barrel::sim::format_failures(report)
                   : barrel::sim::format_summary(scenario, report, wall_seconds));
  const double rss_mib = peak_rss_mib();
  const std::string replay = barrel::tools::replay_command(args.scenario_path, scenario.seed);
  bool written = write_report(
      files[0], barrel::sim::report_to_json(scenario, report, args.scenario_path, wall_seconds));
  written = write_report(files[1], barrel::sim::report_to_csv(report)) && written;
  written = write_report(files[2], barrel::sim::report_to_html(scenario, report, args.scenario_path,
                                                               replay, {wall_seconds, rss_mib})) &&
            written;
  if (!args.quiet)
    print(peak_rss_line(rss_mib));
  std::string trace_lines;
  written = observers.close(args.quiet, &trace_lines) && written;
  print(trace_lines);
  print(verdict(report));
  if (!report.passed())
    print("reproduce: " + replay + "\n");
  print(barrel::sim::trace_hash_line(report.trace_hash));
  if (!report.passed())
    return kExitFail;
  return written ? kExitPass : kExitUsage;
}

// With --seeds the file's seed is not the run's: its header line goes (the
// seed runner prints the range instead).
std::string header_without_seed(std::string header) {
  const size_t at = header.find("\nseed: ");
  if (at != std::string::npos)
    header.erase(at + 1, header.find('\n', at + 1) - at);
  return header;
}

int run(const Args& args, char** argv) {
  barrel::Result<barrel::sim::Scenario> loaded =
      barrel::sim::load_scenario_file(args.scenario_path);
  if (!loaded.is_ok()) {
    std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
    return kExitUsage;
  }
  barrel::sim::Scenario scenario = std::move(loaded).value();
  if (args.huge_pages)
    barrel::tools::maybe_reexec_with_huge_pages(scenario.node_count, argv);
  if (args.seeds_first.has_value()) {
    if (!args.quiet)
      print(header_without_seed(barrel::sim::format_header(scenario, args.scenario_path)));
    return barrel::tools::run_seeds(scenario, args);
  }
  if (args.seed.has_value())
    scenario.seed = *args.seed;
  if (!args.shrink_path.empty())
    return barrel::tools::run_shrink(scenario, args);
  return run_one(scenario, args);
}

}  // namespace

namespace {

// --replay FILE: 0 no divergence, 1 a divergence, 2 an unreadable file.
int replay_file(const std::string& path) {
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (in == nullptr) {
    std::fprintf(stderr, "barrel-sim: cannot open %s: %s\n", path.c_str(), std::strerror(errno));
    return kExitUsage;
  }
  std::vector<uint8_t> bytes;
  uint8_t buf[1 << 16];
  // Bounded by the file's size (each turn reads at least one byte).
  for (;;) {
    const size_t n = std::fread(buf, 1, sizeof buf, in);
    bytes.insert(bytes.end(), buf, buf + n);
    if (n < sizeof buf)
      break;
  }
  const bool read_error = std::ferror(in) != 0;
  std::fclose(in);
  if (read_error) {
    std::fprintf(stderr, "barrel-sim: cannot read %s\n", path.c_str());
    return kExitUsage;
  }
  barrel::Result<barrel::sim::ReplayReport> report = barrel::sim::replay(bytes);
  if (!report.is_ok()) {
    std::fprintf(stderr, "barrel-sim: %s: bad recording: %s\n", path.c_str(),
                 report.status().to_string().c_str());
    return kExitUsage;
  }
  std::fputs(barrel::sim::to_text(*report).c_str(), stdout);
  return report->divergence ? kExitFail : kExitPass;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  const std::string usage_error = barrel::tools::parse_args(argc, argv, &args);
  if (!usage_error.empty()) {
    std::fprintf(stderr, "barrel-sim: %s\n%s", usage_error.c_str(), barrel::tools::kUsage);
    return kExitUsage;
  }
  if (args.help) {
    std::fputs(barrel::tools::kUsage, stdout);
    return kExitPass;
  }
  if (!args.trace_dump_path.empty())
    return barrel::tools::dump_trace_file(args);
  if (!args.replay_path.empty())
    return replay_file(args.replay_path);
  return run(args, argv);
}
