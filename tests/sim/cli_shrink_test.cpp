// cli_shrink_test — goal: barrel-sim --shrink makes a failing run's fault
// schedule minimal and the scenario it writes replays the same failure: on
// tests/sim/data/shrink_example.yaml, whose failing expectation any one crash
// fails, it drops the later crash, the partition with its heal and the
// leave, halves the first crash to one node, and the printed replay command
// fails the same expectation; a passing run has nothing to shrink; the run
// budget stops the search early with a still-failing schedule; bad
// combinations exit 2.
// Method: run the built binary (BARREL_SIM_BIN) in child processes and read
// what it prints and the YAML it writes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "cli_util.h"

namespace barrel::sim::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kExample = kData + "shrink_example.yaml";

// Runs the "reproduce: barrel-sim ..." command of `out` with the real binary.
RunResult replay(const std::string& out) {
  const std::string command = line_after(out, "reproduce: ");
  EXPECT_EQ(command.rfind("barrel-sim ", 0), 0u) << out;
  return run_sim(command.substr(std::string("barrel-sim ").size()));
}

TEST(CliShrink, ShrinksToOneCrashOfOneNode) {
  const std::string path = temp_path("shrunk.yaml");
  const RunResult r = run_sim(kExample + " --shrink " + path);
  ASSERT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("shrink: seed 7 fails (expectation 2)"));
  EXPECT_THAT(r.out, HasSubstr("shrink: dropped step 7 (" + kExample +
                               ":16) {at: 25s, crash: {fraction: 20%}}\n"));
  EXPECT_THAT(r.out, HasSubstr("shrink: dropped step 5 (" + kExample + ":14)"));
  EXPECT_THAT(r.out, HasSubstr(" and step 6 (its heal)\n"));
  EXPECT_THAT(r.out, HasSubstr("shrink: dropped step 4 (" + kExample + ":13)"));
  EXPECT_THAT(r.out, HasSubstr("shrink: halved to step 3 (" + kExample +
                               ":12) {at: 10s, crash: {count: 1}}\n"));
  const std::string yaml = read_file(path);
  EXPECT_THAT(yaml, HasSubstr("{at: 10s, crash: {count: 1}}"));
  EXPECT_THAT(yaml, HasSubstr("seed: 7"));
  for (const char* gone : {"partition", "heal:", "leave", "fraction"})
    EXPECT_THAT(yaml, Not(HasSubstr(gone))) << gone;
  EXPECT_THAT(r.out, HasSubstr("--- " + path + "\n" + yaml + "---\n"));

  // The replay fails the same way the shrink's last run did.
  EXPECT_EQ(line_after(r.out, "reproduce: "), "barrel-sim " + path + " --seed 7");
  const RunResult again = replay(r.out);
  EXPECT_EQ(again.status, 1) << again.out << again.err;
  EXPECT_THAT(failure_lines(again.out), HasSubstr("FAIL healed_within 1s at 39s (" + path + ":"));
  EXPECT_THAT(failure_lines(r.out), HasSubstr(failure_lines(again.out).substr(0, 40)));
  std::remove(path.c_str());
}

TEST(CliShrink, APassingRunHasNothingToShrink) {
  const std::string path = temp_path("never.yaml");
  const RunResult r = run_sim(kSource + "/scenarios/quickstart.yaml --shrink " + path);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("shrink: seed 1 passes: nothing to shrink"));
}

TEST(CliShrink, TheRunBudgetStopsItEarlyWithAFailingSchedule) {
  const std::string path = temp_path("budget.yaml");
  const RunResult r = run_sim(kExample + " --shrink " + path + " --shrink-runs 2");
  ASSERT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("shrink: 3 runs (stopped at the bound: --shrink-runs / "
                               "--shrink-time)"));
  EXPECT_THAT(read_file(path), HasSubstr("{at: 10s, crash: {count: 8}}"));
  EXPECT_EQ(replay(r.out).status, 1);
  std::remove(path.c_str());
}

TEST(CliShrink, BadCombinationsExitTwo) {
  for (const std::string& args :
       {kExample + " --shrink x.yaml --seeds 1..2", kExample + " --shrink x.yaml --trace t",
        kExample + " --shrink-runs 5", kExample + " --shrink x.yaml --shrink-runs 0"}) {
    const RunResult r = run_sim(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.out;
    EXPECT_THAT(r.err, HasSubstr("shrink")) << args;
  }
}

}  // namespace
}  // namespace barrel::sim::test
