// sim_args.h — barrel-sim's command line: the options, their parsing and
// the usage text, plus the shell quoting of the replay command.
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
  bool quiet = false;
  bool progress = false;  // --progress: show progress even when stderr is not a terminal
  bool help = false;
};

// Most seeds one --seeds range may run, and most parallel jobs: a typo
// ("1..1000000000") is an error, not a run of a billion scenarios.
inline constexpr uint64_t kSeedsMax = 1'000'000;
inline constexpr uint32_t kJobsMax = 256;

// Empty on success, else what is wrong with the command line.
std::string parse_args(int argc, char** argv, Args* args);

// `path` as one shell word: unchanged when it is plain, else single-quoted.
std::string shell_word(const std::string& path);

// "barrel-sim FILE --seed N": the command that replays a run.
std::string replay_command(const std::string& scenario_path, uint64_t seed);

}  // namespace barrel::tools
