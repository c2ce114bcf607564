// cli_trace_test — goal: barrel-sim's reproduction tools as a user runs them:
// --trace FILE writes the same bytes for the same seed, in two processes and
// under --seeds (one file per seed, "{seed}" in the name) as in a single run;
// --trace-dump prints it, ending with the run's trace hash; --trace-max cuts
// the file and says so; --watch NODE prints the view changes of a scenario
// small enough to predict, without changing the trace hash; bad combinations
// exit 2 before running.
// Method: run the built binary (BARREL_SIM_BIN) in child processes and
// compare the files and the text they print.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "cli_util.h"

namespace barrel::sim::test {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

const std::string kQuickstart = kSource + "/scenarios/quickstart.yaml";
const std::string kExample = kData + "report_example.yaml";

TEST(CliTrace, SameSeedSameTraceFileAcrossProcesses) {
  const std::string a = temp_path("a.trace"), b = temp_path("b.trace");
  const RunResult ra = run_sim(kExample + " --seed 3 --trace " + a);
  const RunResult rb = run_sim(kExample + " --seed 3 --trace " + b);
  ASSERT_EQ(ra.status, 0) << ra.out << ra.err;
  ASSERT_EQ(rb.status, 0) << rb.out << rb.err;
  EXPECT_THAT(ra.out, MatchesRegex("(.|\n)*\ntrace: wrote " + a +
                                   " \\([0-9]+ events, [0-9]+ bytes\\)\n(.|\n)*"));
  const std::string bytes = read_file(a);
  EXPECT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes, read_file(b));

  // The dump ends with the trace hash the run printed.
  const RunResult dump = run_sim("--trace-dump " + a);
  ASSERT_EQ(dump.status, 0) << dump.err;
  EXPECT_NE(dump.out.find("# barrel-sim trace v1: scenario report-example, seed 3, 60 nodes"),
            std::string::npos);
  EXPECT_NE(dump.out.find("trace hash " + trace_hash_of(ra.out) + ", PASS\n"), std::string::npos);
  std::remove(a.c_str());
  std::remove(b.c_str());
}

TEST(CliTrace, SeedsWriteTheTraceOfTheSingleRun) {
  const std::string pattern = temp_path("seeds_{seed}.trace");
  const RunResult batch = run_sim(kExample + " --seeds 1..3 -j 2 --trace " + pattern);
  ASSERT_NE(batch.status, 2) << batch.out << batch.err;
  const std::string single_path = temp_path("single.trace");
  const RunResult single = run_sim(kExample + " --seed 2 --trace " + single_path);
  ASSERT_NE(single.status, 2) << single.err;
  const std::string single_bytes = read_file(single_path);
  ASSERT_GT(single_bytes.size(), 1000u);
  EXPECT_EQ(read_file(temp_path("seeds_2.trace")), single_bytes);
  EXPECT_NE(read_file(temp_path("seeds_1.trace")), single_bytes);
  EXPECT_GT(read_file(temp_path("seeds_3.trace")).size(), 1000u);
  for (const char* seed : {"1", "2", "3"})
    std::remove(temp_path(std::string("seeds_") + seed + ".trace").c_str());
  std::remove(single_path.c_str());
}

TEST(CliTrace, TheCapIsNotedAndTheRunGoesOn) {
  const std::string path = temp_path("capped.trace");
  const RunResult full = run_sim(kQuickstart + " --quiet");
  const RunResult capped = run_sim(kQuickstart + " --quiet --trace " + path + " --trace-max 200");
  ASSERT_EQ(capped.status, 0) << capped.out << capped.err;
  EXPECT_THAT(capped.out, HasSubstr("trace: " + path +
                                    ": trace cap of 200 bytes (--trace-max) "
                                    "reached at t="));
  EXPECT_EQ(trace_hash_of(capped.out), trace_hash_of(full.out));
  EXPECT_LE(read_file(path).size(), 200u + 30u);
  const RunResult dump = run_sim("--trace-dump " + path);
  EXPECT_EQ(dump.status, 0);
  EXPECT_THAT(dump.out, HasSubstr("# TRUNCATED: only the first "));
  std::remove(path.c_str());
}

// quickstart: node2@sim joins node1@sim at 1 s over 50 ms links: node1 takes
// node2 into its active view when the Join arrives (1.05 s), node2 takes
// node1 when the JoinAccept comes back (1.1 s).
TEST(CliTrace, WatchPrintsThePredictableViewChanges) {
  const RunResult plain = run_sim(kQuickstart + " --quiet");
  const RunResult one = run_sim(kQuickstart + " --quiet --watch node1@sim");
  const RunResult two = run_sim(kQuickstart + " --quiet --watch=node2@sim");
  ASSERT_EQ(one.status, 0) << one.out << one.err;
  ASSERT_EQ(two.status, 0) << two.out << two.err;
  EXPECT_THAT(one.out, HasSubstr("watch: node1@sim"));
  EXPECT_THAT(one.out, HasSubstr("     1.050000s node1@sim  in  JOIN <- node2@sim\n"));
  EXPECT_THAT(one.out, HasSubstr("     1.050000s node1@sim  active +node2@sim = [node2@sim]\n"));
  EXPECT_THAT(two.out, HasSubstr("     1.000000s node2@sim  out JOIN -> node1@sim\n"));
  EXPECT_THAT(two.out, HasSubstr("     1.100000s node2@sim  active +node1@sim = [node1@sim]\n"));
  EXPECT_THAT(one.out, Not(HasSubstr("node2@sim  ")));  // only the watched node's lines
  EXPECT_EQ(trace_hash_of(one.out), trace_hash_of(plain.out));
  EXPECT_EQ(trace_hash_of(two.out), trace_hash_of(plain.out));

  // --watch goes with --trace, and filters a dump.
  const std::string path = temp_path("watched.trace");
  const RunResult both = run_sim(kQuickstart + " --quiet --watch node2@sim --trace " + path);
  EXPECT_EQ(both.status, 0);
  EXPECT_EQ(trace_hash_of(both.out), trace_hash_of(plain.out));
  const RunResult dump = run_sim("--trace-dump " + path + " --watch node1@sim");
  EXPECT_EQ(dump.status, 0) << dump.err;
  EXPECT_THAT(dump.out, HasSubstr("     1.050000s  deliver     node1@sim <- node2@sim  JOIN 6B\n"));
  std::remove(path.c_str());
}

TEST(CliTrace, BadCombinationsExitTwo) {
  const struct {
    std::string args;
    std::string message;
  } cases[] = {
      {kQuickstart + " --watch node3@sim", "--watch: no node 'node3@sim' in scenario quickstart"},
      {kQuickstart + " --seeds 1..2 --trace x.trace", "put {seed} in its name"},
      {kQuickstart + " --seeds 1..2 --watch node1@sim", "--watch follows one run"},
      {kQuickstart + " --trace-max 1M", "--trace-max goes with --trace"},
      {kQuickstart + " --trace t --trace-max 0", "--trace-max needs a size in bytes"},
      {kQuickstart + " --trace-dump x.trace", "--trace-dump FILE reads a trace"},
      {kQuickstart + " --trace /nonexistent-dir/x.trace", "/nonexistent-dir/x.trace: cannot open"},
      {"--trace-dump " + kQuickstart, "not a barrel-sim trace"},
      {"--trace-dump /nonexistent-dir/x.trace", "cannot open"},
  };
  for (const auto& c : cases) {
    const RunResult r = run_sim(c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.out;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.args;
    EXPECT_THAT(r.out, Not(HasSubstr("result:"))) << c.args;  // exited before running
  }
}

}  // namespace
}  // namespace barrel::sim::test
