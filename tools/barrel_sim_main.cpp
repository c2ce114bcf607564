// barrel_sim_main.cpp — barrel-sim: runs a scenario YAML in the deterministic simulator.
//
//   barrel-sim SCENARIO [--seed N] [--json FILE] [--quiet] [--help]
//
// Prints every knob of the run first (so the output alone reproduces it),
// runs the scenario, prints a summary and, last, the trace hash. Exit codes:
//   0  the run reached its duration and every expectation passed;
//   1  the run failed or an expectation failed (the replay command is printed);
//   2  bad usage or a bad scenario (the loader's FILE:LINE:COLUMN message on
//      stderr), including a scenario file that cannot be read.
//
// The wall clock is read here, in the tool only, to report speed; nothing in
// the run depends on it.
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include <sys/resource.h>

#include "barrel/sim/report_json.h"
#include "barrel/sim/report_text.h"
#include "barrel/sim/scenario_loader.h"
#include "barrel/sim/simulator.h"

namespace {

// "peak RSS: 41.3 MiB": the process's high-water resident set (getrusage),
// a host measurement like the wall time, for BENCHMARKS.md.
std::string peak_rss_line() {
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) != 0)
    return "peak RSS: unknown\n";
  char line[64];
  std::snprintf(line, sizeof line, "peak RSS: %.1f MiB\n",
                static_cast<double>(usage.ru_maxrss) / 1024.0);  // ru_maxrss is KiB on Linux
  return line;
}

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;

// Node views listed in the summary and the JSON report.
constexpr uint32_t kNodeSummariesMax = 8;

constexpr const char* kUsage =
    "usage: barrel-sim SCENARIO [--seed N] [--json FILE] [--quiet] [--help]\n"
    "  SCENARIO     a scenario YAML file (language: scenarios/README.md)\n"
    "  --seed N     run with seed N (decimal, 0..2^64-1) instead of the file's seed\n"
    "  --json FILE  also write the run report as JSON to FILE\n"
    "  --quiet      print only failures, the verdict and the trace hash\n"
    "  --help       print this help\n"
    "exit status: 0 all expectations passed, 1 the run or an expectation failed,\n"
    "             2 bad usage or a bad scenario\n";

struct Args {
  std::string scenario_path;
  std::optional<uint64_t> seed;
  std::string json_path;
  bool quiet = false;
  bool help = false;
};

bool parse_u64(std::string_view text, uint64_t* out) {
  if (text.empty() || text.size() > 20)
    return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return false;
    const auto d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10)
      return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

// The value of an option given as "--opt VALUE" or "--opt=VALUE".
bool option_value(int argc, char** argv, int* i, std::string_view name, std::string* value) {
  const std::string_view arg = argv[*i];
  if (arg == name) {
    if (*i + 1 >= argc)
      return false;
    *value = argv[++*i];
    return true;
  }
  *value = std::string(arg.substr(name.size() + 1));
  return true;
}

// Empty on success, else what is wrong with the command line.
std::string parse_args(int argc, char** argv, Args* args) {
  // Bounded by argc.
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::string value;
    if (arg == "--help" || arg == "-h") {
      args->help = true;
    } else if (arg == "--quiet" || arg == "-q") {
      args->quiet = true;
    } else if (arg == "--seed" || arg.starts_with("--seed=")) {
      uint64_t seed = 0;
      if (!option_value(argc, argv, &i, "--seed", &value) || !parse_u64(value, &seed))
        return "--seed needs a decimal integer in 0..18446744073709551615";
      args->seed = seed;
    } else if (arg == "--json" || arg.starts_with("--json=")) {
      if (!option_value(argc, argv, &i, "--json", &value) || value.empty())
        return "--json needs a file name";
      args->json_path = value;
    } else if (arg.starts_with("-") && arg != "-") {
      return "unknown option '" + std::string(arg) + "'";
    } else if (!args->scenario_path.empty()) {
      return "more than one scenario given ('" + args->scenario_path + "', '" + std::string(arg) +
             "')";
    } else {
      args->scenario_path = std::string(arg);
    }
  }
  if (!args->help && args->scenario_path.empty())
    return "no scenario given";
  return "";
}

// `path` as one shell word: unchanged when it is plain, else single-quoted.
std::string shell_word(const std::string& path) {
  bool plain = !path.empty();
  for (char c : path) {
    plain = plain && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      std::strchr("_./-+:,=@%", c) != nullptr);
  }
  if (plain)
    return path;
  std::string q = "'";
  for (char c : path)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
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

int run(const Args& args) {
  barrel::Result<barrel::sim::Scenario> loaded =
      barrel::sim::load_scenario_file(args.scenario_path);
  if (!loaded.is_ok()) {
    std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
    return kExitUsage;
  }
  barrel::sim::Scenario scenario = std::move(loaded).value();
  if (args.seed.has_value())
    scenario.seed = *args.seed;
  // Opened before the run, so a bad path costs nothing.
  std::FILE* json = nullptr;
  if (!args.json_path.empty()) {
    json = std::fopen(args.json_path.c_str(), "w");
    if (json == nullptr) {
      std::fprintf(stderr, "%s: cannot open: %s\n", args.json_path.c_str(), std::strerror(errno));
      return kExitUsage;
    }
  }
  if (!args.quiet)
    print(barrel::sim::format_header(scenario, args.scenario_path));
  std::fflush(stdout);

  barrel::sim::RunOptions options;
  options.node_summaries_max = kNodeSummariesMax;
  const auto wall_start = std::chrono::steady_clock::now();
  const barrel::sim::RunReport report = barrel::sim::run_scenario(scenario, options);
  const double wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  print(args.quiet ? barrel::sim::format_failures(report)
                   : barrel::sim::format_summary(scenario, report, wall_seconds));
  bool json_ok = true;
  if (json != nullptr) {
    const std::string doc =
        barrel::sim::report_to_json(scenario, report, args.scenario_path, wall_seconds);
    json_ok = std::fwrite(doc.data(), 1, doc.size(), json) == doc.size();
    json_ok = (std::fclose(json) == 0) && json_ok;
    if (!json_ok)
      std::fprintf(stderr, "%s: cannot write the JSON report\n", args.json_path.c_str());
  }
  if (!args.quiet)
    print(peak_rss_line());
  print(verdict(report));
  if (!report.passed()) {
    print("reproduce: barrel-sim " + shell_word(args.scenario_path) + " --seed " +
          std::to_string(scenario.seed) + "\n");
  }
  print(barrel::sim::trace_hash_line(report.trace_hash));
  if (!report.passed())
    return kExitFail;
  return json_ok ? kExitPass : kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  const std::string usage_error = parse_args(argc, argv, &args);
  if (!usage_error.empty()) {
    std::fprintf(stderr, "barrel-sim: %s\n%s", usage_error.c_str(), kUsage);
    return kExitUsage;
  }
  if (args.help) {
    std::fputs(kUsage, stdout);
    return kExitPass;
  }
  return run(args);
}
