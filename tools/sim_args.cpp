// sim_args.cpp — barrel-sim's command line (see sim_args.h).
#include "sim_args.h"

#include <cstring>
#include <string_view>

namespace barrel::tools {

const char* const kUsage =
    "usage: barrel-sim SCENARIO [--seed N] [--seeds A..B [-j N]] [--json FILE] [--csv FILE]\n"
    "                  [--html FILE] [--trace FILE [--trace-max BYTES]] [--watch NODE]\n"
    "                  [--quiet] [--progress] [--no-huge-pages] [--help]\n"
    "       barrel-sim SCENARIO [--seed N] --shrink OUT.yaml [--shrink-runs N] [--shrink-time S]\n"
    "       barrel-sim --trace-dump FILE [--watch NODE]\n"
    "       barrel-sim --replay FILE\n"
    "  SCENARIO      a scenario YAML file (language: scenarios/README.md)\n"
    "  --seed N      run with seed N (decimal, 0..2^64-1) instead of the file's seed\n"
    "  --seeds A..B  run every seed from A to B (not with --seed), in parallel, one line\n"
    "                per seed in seed order (PASS/FAIL, trace hash, wall time, the\n"
    "                replay command on failure)\n"
    "  -j N          with --seeds: N runs at a time (default: one per core)\n"
    "  --json FILE   also write the run report as JSON to FILE\n"
    "  --csv FILE    also write the run's time series (one row per sample) as CSV to FILE\n"
    "  --html FILE   also write a self-contained HTML report with SVG charts to FILE\n"
    "  --trace FILE  also write a compact binary log of every processed event to FILE\n"
    "                ({seed} in FILE becomes the seed; required with --seeds)\n"
    "  --trace-max BYTES  cap of the trace file (K, M, G suffixes; default 256M); when\n"
    "                reached the rest of the run is left out and a note says so\n"
    "  --trace-dump FILE  print a trace file as lines (with --watch NODE: only the\n"
    "                events naming NODE) and exit\n"
    "  --replay FILE replay a node's recording (barrel-node --record FILE) through the\n"
    "                same core, compare its effects with the recorded ones, print the\n"
    "                first divergence and exit (0 none, 1 divergence, 2 bad file)\n"
    "  --watch NODE  print NODE's starts, inputs, messages in and out, events and view\n"
    "                changes as the run goes, each line prefixed with the virtual time\n"
    "  --shrink OUT.yaml  for a failing run: drop and halve its fault steps (crash,\n"
    "                leave, restart, partition, churn) while the same expectation still\n"
    "                fails with the same seed; write the smallest such scenario to\n"
    "                OUT.yaml, print it and its replay command\n"
    "  --shrink-runs N, --shrink-time S  bounds of the shrink (default 100 runs, 600 s)\n"
    "  --quiet       print only failures, the verdict and the trace hash\n"
    "  --progress    show progress on stderr even when it is not a terminal (a terminal\n"
    "                gets a progress line unless --quiet)\n"
    "  --no-huge-pages  do not put the heap of a run of 20,000 nodes or more on\n"
    "                transparent huge pages (by default barrel-sim sets GLIBC_TUNABLES=\n"
    "                glibc.malloc.hugetlb=1 and executes itself again when the kernel's THP\n"
    "                mode is madvise: ~20 % faster at 100k nodes, the same trace hash)\n"
    "  --help        print this help\n"
    "exit status: 0 all expectations passed (every seed with --seeds), 1 the run or an\n"
    "             expectation failed, 2 bad usage or a bad scenario\n";

namespace {

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

// "BYTES" with an optional K, M or G suffix (powers of 1024), at least 1.
bool parse_bytes(std::string_view text, uint64_t* out) {
  uint64_t unit = 1;
  if (!text.empty()) {
    const char last = text.back();
    unit = (last == 'K' || last == 'k')   ? (1ull << 10)
           : (last == 'M' || last == 'm') ? (1ull << 20)
           : (last == 'G' || last == 'g') ? (1ull << 30)
                                          : 1;
    if (unit != 1)
      text.remove_suffix(1);
  }
  uint64_t v = 0;
  if (!parse_u64(text, &v) || v == 0 || v > UINT64_MAX / unit)
    return false;
  *out = v * unit;
  return true;
}

// "A..B" with A <= B and at most kSeedsMax seeds.
bool parse_seed_range(std::string_view text, Args* args) {
  const size_t dots = text.find("..");
  uint64_t first = 0, last = 0;
  if (dots == std::string_view::npos || !parse_u64(text.substr(0, dots), &first) ||
      !parse_u64(text.substr(dots + 2), &last) || first > last || last - first >= kSeedsMax)
    return false;
  args->seeds_first = first;
  args->seeds_last = last;
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

bool is_option(std::string_view arg, std::string_view name) {
  return arg == name ||
         (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=');
}

// The file options: --json, --csv, --html, --trace, --trace-dump.
std::string parse_path(int argc, char** argv, int* i, std::string_view name, std::string* out) {
  if (!option_value(argc, argv, i, name, out) || out->empty())
    return std::string(name) + " needs a file name";
  return "";
}

// One option at argv[*i]; empty on success.
std::string parse_option(int argc, char** argv, int* i, Args* args) {
  const std::string_view arg = argv[*i];
  std::string value;
  if (arg == "--help" || arg == "-h") {
    args->help = true;
  } else if (arg == "--quiet" || arg == "-q") {
    args->quiet = true;
  } else if (arg == "--progress") {
    args->progress = true;
  } else if (arg == "--no-huge-pages") {
    args->huge_pages = false;
  } else if (is_option(arg, "--seed")) {
    uint64_t seed = 0;
    if (!option_value(argc, argv, i, "--seed", &value) || !parse_u64(value, &seed))
      return "--seed needs a decimal integer in 0..18446744073709551615";
    args->seed = seed;
  } else if (is_option(arg, "--seeds")) {
    if (!option_value(argc, argv, i, "--seeds", &value) || !parse_seed_range(value, args))
      return "--seeds needs A..B, decimal, A <= B, at most " + std::to_string(kSeedsMax) + " seeds";
  } else if (arg == "-j" || is_option(arg, "--jobs") || (arg.starts_with("-j") && arg.size() > 2)) {
    uint64_t jobs = 0;
    const bool ok = arg.starts_with("-j") && arg.size() > 2
                        ? parse_u64(arg.substr(2), &jobs)
                        : option_value(argc, argv, i, arg == "-j" ? "-j" : "--jobs", &value) &&
                              parse_u64(value, &jobs);
    if (!ok || jobs == 0 || jobs > kJobsMax)
      return "-j needs a number of jobs in 1.." + std::to_string(kJobsMax);
    args->jobs = static_cast<uint32_t>(jobs);
  } else if (is_option(arg, "--json")) {
    return parse_path(argc, argv, i, "--json", &args->json_path);
  } else if (is_option(arg, "--csv")) {
    return parse_path(argc, argv, i, "--csv", &args->csv_path);
  } else if (is_option(arg, "--html")) {
    return parse_path(argc, argv, i, "--html", &args->html_path);
  } else if (is_option(arg, "--trace")) {
    return parse_path(argc, argv, i, "--trace", &args->trace_path);
  } else if (is_option(arg, "--trace-dump")) {
    return parse_path(argc, argv, i, "--trace-dump", &args->trace_dump_path);
  } else if (is_option(arg, "--replay")) {
    return parse_path(argc, argv, i, "--replay", &args->replay_path);
  } else if (is_option(arg, "--trace-max")) {
    if (!option_value(argc, argv, i, "--trace-max", &value) ||
        !parse_bytes(value, &args->trace_max))
      return "--trace-max needs a size in bytes, at least 1 (K, M, G suffixes allowed)";
  } else if (is_option(arg, "--shrink")) {
    return parse_path(argc, argv, i, "--shrink", &args->shrink_path);
  } else if (is_option(arg, "--shrink-runs") || is_option(arg, "--shrink-time")) {
    const std::string_view name =
        is_option(arg, "--shrink-runs") ? "--shrink-runs" : "--shrink-time";
    uint64_t n = 0;
    if (!option_value(argc, argv, i, name, &value) || !parse_u64(value, &n) || n == 0 ||
        n > kShrinkBoundMax)
      return std::string(name) + " needs a number in 1.." + std::to_string(kShrinkBoundMax);
    (name == "--shrink-runs" ? args->shrink_runs : args->shrink_seconds) = static_cast<uint32_t>(n);
  } else if (is_option(arg, "--watch")) {
    if (!option_value(argc, argv, i, "--watch", &value) || value.empty())
      return "--watch needs a node name";
    args->watch_node = value;
  } else {
    return "unknown option '" + std::string(arg) + "'";
  }
  return "";
}

// The combinations that make no sense.
std::string check_combinations(const Args& a) {
  if (a.help)
    return "";
  if (!a.replay_path.empty()) {
    const bool alone = a.scenario_path.empty() && a.trace_dump_path.empty() && !a.seed &&
                       !a.seeds_first && a.jobs == 0 && a.json_path.empty() && a.csv_path.empty() &&
                       a.html_path.empty() && a.trace_path.empty() && a.trace_max == 0 &&
                       a.watch_node.empty() && a.shrink_path.empty() && a.shrink_runs == 0 &&
                       a.shrink_seconds == 0;
    return alone ? "" : "--replay FILE replays a recording: it takes no other option";
  }
  if (!a.trace_dump_path.empty()) {
    const bool alone = a.scenario_path.empty() && !a.seed && !a.seeds_first && a.jobs == 0 &&
                       a.json_path.empty() && a.csv_path.empty() && a.html_path.empty() &&
                       a.trace_path.empty() && a.trace_max == 0;
    return alone ? ""
                 : "--trace-dump FILE reads a trace: it takes no scenario and no run option "
                   "(but --watch NODE)";
  }
  if (a.scenario_path.empty())
    return "no scenario given";
  if (a.trace_max != 0 && a.trace_path.empty())
    return "--trace-max goes with --trace";
  if ((a.shrink_runs != 0 || a.shrink_seconds != 0) && a.shrink_path.empty())
    return "--shrink-runs and --shrink-time go with --shrink";
  if (!a.shrink_path.empty() &&
      (a.seeds_first || !a.json_path.empty() || !a.csv_path.empty() || !a.html_path.empty() ||
       !a.trace_path.empty() || !a.watch_node.empty()))
    return "--shrink reruns the scenario many times: not with --seeds, --json, --csv, --html, "
           "--trace or --watch (replay the shrunk scenario with them)";
  if (a.seeds_first.has_value()) {
    if (a.seed.has_value())
      return "--seed and --seeds exclude each other";
    if (!a.json_path.empty() || !a.csv_path.empty() || !a.html_path.empty())
      return "--json, --csv and --html describe one run: use them with --seed N, not --seeds";
    if (!a.watch_node.empty())
      return "--watch follows one run: use it with --seed N, not --seeds";
    if (!a.trace_path.empty() && a.trace_path.find("{seed}") == std::string::npos)
      return "--trace with --seeds writes one file per seed: put {seed} in its name";
  } else if (a.jobs != 0) {
    return "-j goes with --seeds";
  }
  return "";
}

}  // namespace

std::string parse_args(int argc, char** argv, Args* args) {
  // Bounded by argc.
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("-") && arg != "-") {
      if (std::string why = parse_option(argc, argv, &i, args); !why.empty())
        return why;
    } else if (!args->scenario_path.empty()) {
      return "more than one scenario given ('" + args->scenario_path + "', '" + std::string(arg) +
             "')";
    } else {
      args->scenario_path = std::string(arg);
    }
  }
  return check_combinations(*args);
}

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

std::string expand_seed(const std::string& path, uint64_t seed) {
  const std::string key = "{seed}";
  const std::string value = std::to_string(seed);
  std::string out = path;
  // Bounded: each replacement consumes one "{seed}" of the finite path.
  for (size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
    out.replace(at, key.size(), value);
  return out;
}

std::string replay_command(const std::string& scenario_path, uint64_t seed) {
  return "barrel-sim " + shell_word(scenario_path) + " --seed " + std::to_string(seed);
}

}  // namespace barrel::tools
