// sim_args.h — barrel-sim's command line: the options, their parsing and
// the usage text, plus the shell quoting of the replay command and the
// "{seed}" of a --trace path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace barrel::tools {

extern const char* const kUsage;

struct Args {
  std::string scenario_path;
  std::optional<uint64_t> seed;
  // --seeds A..B: run every seed of [first, last] (first <= last).
  std::optional<uint64_t> seeds_first, seeds_last;
  uint32_t jobs = 0;  // -j N; 0: one per core
  std::string json_path;
  std::string csv_path;
  std::string html_path;
  // --trace FILE: the binary event log (trace_log.h); "{seed}" in it is
  // replaced by the run's seed (required with --seeds: one file per seed).
  std::string trace_path;
  uint64_t trace_max = 0;  // --trace-max BYTES; 0: kTraceBytesMaxDefault
  // --trace-dump FILE: print a trace file instead of running a scenario.
  std::string trace_dump_path;
  // --replay FILE: replay a node's recording (barrel-node --record) and
  // report the first divergence, instead of running a scenario.
  std::string replay_path;
  // --watch NODE: print that node's life (watch.h); with --trace-dump, keep
  // only the records naming it.
  std::string watch_node;
  // --shrink OUT.yaml: shrink a failing run's fault steps (shrink.h), within
  // --shrink-runs runs and --shrink-time seconds (0: the defaults).
  std::string shrink_path;
  uint32_t shrink_runs = 0;
  uint32_t shrink_seconds = 0;
  bool quiet = false;
  bool progress = false;   // --progress: show progress even when stderr is not a terminal
  bool huge_pages = true;  // --no-huge-pages clears it (huge_pages.h)
  bool help = false;
};

// Most seeds one --seeds range may run, and most parallel jobs: a typo
// ("1..1000000000") is an error, not a run of a billion scenarios.
inline constexpr uint64_t kSeedsMax = 1'000'000;
inline constexpr uint32_t kJobsMax = 256;
// Most runs or seconds a --shrink may be given.
inline constexpr uint64_t kShrinkBoundMax = 100'000;

// Empty on success, else what is wrong with the command line.
std::string parse_args(int argc, char** argv, Args* args);

// `path` as one shell word: unchanged when it is plain, else single-quoted.
std::string shell_word(const std::string& path);

// `path` with every "{seed}" replaced by the decimal `seed`.
std::string expand_seed(const std::string& path, uint64_t seed);

// "barrel-sim FILE --seed N": the command that replays a run.
std::string replay_command(const std::string& scenario_path, uint64_t seed);

}  // namespace barrel::tools
