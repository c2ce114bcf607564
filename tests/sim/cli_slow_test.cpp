// cli_slow_test — the shipped hyparview-1k scenario passes for seeds 1..20,
// not only for the seed it ships with: 1,000 nodes join, shuffle, half crash
// at once, and the survivors heal within 30 s, whatever the seed draws.
//
// Method: barrel-sim (BARREL_SIM_BIN) runs once per seed in its own process;
// each run must exit 0. A failing seed prints its replay command.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace {

const std::string kScenario = std::string(BARREL_SOURCE_DIR) + "/scenarios/hyparview-1k.yaml";

// Runs barrel-sim --quiet on `seed`; returns the exit status, the output in *out.
int run_seed(uint64_t seed, std::string* out) {
  const std::string cmd =
      std::string(BARREL_SIM_BIN) + " " + kScenario + " --quiet --seed " + std::to_string(seed);
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr)
    return -1;
  char buf[4096];
  // Bounded: --quiet prints a few lines.
  for (size_t n = 0; (n = std::fread(buf, 1, sizeof buf, p)) > 0 && out->size() < (1u << 20);)
    out->append(buf, n);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Under the sanitizers (5-10x slower) 5 seeds: what they check is memory and
// UB on the paths a run takes, which every seed takes; the sweep over 20 is
// the normal build's.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kSeeds = 5;
#else
constexpr uint64_t kSeeds = 20;
#endif

TEST(CliSlow, Hyparview1kPassesForSeeds) {
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    std::string out;
    EXPECT_EQ(run_seed(seed, &out), 0) << "seed " << seed << ":\n" << out;
  }
}

}  // namespace
