// cli_reports_test.cpp — goal: barrel-sim's reports and batch mode as a user
// runs them: --seeds A..B -j N prints one line per seed in seed order, each
// with the same trace hash as the single run of that seed, exits 1 when one
// fails and prints its replay command; --csv, --html and --json write their
// files; --progress reports on a non-terminal; bad combinations exit 2.
// Method: run the built binary (BARREL_SIM_BIN) in child processes on the
// fixtures in tests/sim/data/ and parse what it prints.
// g++ 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex>
// (std::function moves in _NFA) when built with the sanitizers; the
// warning is about the library's code, not this file's.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "cli_util.h"

namespace barrel::sim::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct SeedLine {
  std::string result;  // PASS or FAIL
  std::string hash;
};

// The per-seed lines of a --seeds run, by seed, checking they come in order.
std::map<uint64_t, SeedLine> seed_lines(const std::string& out) {
  std::map<uint64_t, SeedLine> lines;
  const std::regex line_re("^([0-9]+) +(PASS|FAIL) +(0x[0-9a-f]{16}) +[0-9]+ +[0-9.]+s.*$");
  std::istringstream in(out);
  uint64_t last = 0;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, line_re))
      continue;
    const uint64_t seed = std::stoull(m[1]);
    EXPECT_TRUE(lines.empty() || seed == last + 1) << "out of order: " << line;
    last = seed;
    lines[seed] = SeedLine{m[2], m[3]};
  }
  return lines;
}

TEST(CliSeeds, EachSeedHasItsSingleRunTraceHash) {
  const std::string scenario = kData + "report_example.yaml";
  const RunResult batch = run_sim(scenario + " --seeds 1..4 -j 2");
  ASSERT_NE(batch.status, 2) << batch.err;
  const std::map<uint64_t, SeedLine> lines = seed_lines(batch.out);
  ASSERT_EQ(lines.size(), 4u) << batch.out;
  bool all_passed = true;
  for (const auto& [seed, line] : lines) {
    const RunResult single = run_sim(scenario + " --quiet --seed " + std::to_string(seed));
    EXPECT_EQ(line.hash, trace_hash_of(single.out)) << "seed " << seed;
    EXPECT_EQ(line.result == "PASS", single.status == 0) << "seed " << seed;
    all_passed = all_passed && line.result == "PASS";
  }
  EXPECT_EQ(batch.status, all_passed ? 0 : 1);
  EXPECT_THAT(batch.out, HasSubstr("seeds: 1..4 (4 runs, 2 jobs)"));
  // One job gives the same lines: runs share nothing.
  const std::map<uint64_t, SeedLine> serial =
      seed_lines(run_sim(scenario + " --seeds 1..4 -j1").out);
  ASSERT_EQ(serial.size(), 4u);
  for (const auto& [seed, line] : lines)
    EXPECT_EQ(serial.at(seed).hash, line.hash) << "seed " << seed;
}

TEST(CliSeeds, FailingSeedsExitOneWithTheirReplayCommands) {
  const std::string scenario = kData + "failing_expectation.yaml";
  const RunResult r = run_sim(scenario + " --seeds 3..5 -j 2");
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  const std::map<uint64_t, SeedLine> lines = seed_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  for (uint64_t seed = 3; seed <= 5; ++seed) {
    EXPECT_EQ(lines.at(seed).result, "FAIL");
    EXPECT_THAT(r.out, HasSubstr("reproduce: barrel-sim " + scenario + " --seed " +
                                 std::to_string(seed) + "\n"));
  }
  EXPECT_THAT(r.out, HasSubstr("\n    FAIL active_min 2 at 5s"));
  EXPECT_THAT(r.out, HasSubstr("seeds: 0 passed, 3 failed of 3"));
  EXPECT_THAT(r.out, HasSubstr("failed seeds: 3 4 5\n"));
}

TEST(CliSeeds, PassingSeedsExitZero) {
  const RunResult r = run_sim(kSource + "/scenarios/quickstart.yaml --seeds 1..3 --quiet");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(seed_lines(r.out).size(), 3u);
  EXPECT_THAT(r.out, HasSubstr("seeds: 3 passed, 0 failed of 3"));
  EXPECT_THAT(r.out, Not(HasSubstr("reproduce")));
}

TEST(CliSeeds, BadCombinationsExitTwo) {
  const std::string q = kSource + "/scenarios/quickstart.yaml";
  for (const char* args :
       {" --seeds 5..1", " --seeds 1..", " --seeds x", " --seeds 1..2 --seed 3",
        " --seeds 1..2 --html x.html", " -j 2", " --seeds 1..2 -j 0", " --seeds 0..1000000"}) {
    const RunResult r = run_sim(q + args);
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_THAT(r.err, HasSubstr("barrel-sim: ")) << args;
  }
}

TEST(CliReports, CsvHtmlAndJsonAreWritten) {
  const std::string csv = temp_path("r.csv"), html = temp_path("r.html"),
                    json = temp_path("r.json");
  const RunResult r =
      run_sim(kData + "report_example.yaml --csv " + csv + " --html=" + html + " --json " + json);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string csv_text = read_file(csv), html_text = read_file(html);
  EXPECT_THAT(csv_text, ::testing::StartsWith("time_s,live_nodes,members,"));
  EXPECT_EQ(std::count(csv_text.begin(), csv_text.end(), '\n'), 502);  // header + 501 samples
  EXPECT_THAT(html_text, HasSubstr("id=\"chart-reliability\""));
  EXPECT_THAT(html_text, HasSubstr("id=\"chart-registry\""));
  EXPECT_THAT(html_text, HasSubstr("<code>" + trace_hash_of(r.out) + "</code>"));
  EXPECT_THAT(read_file(json), HasSubstr("\"samples\": ["));
  for (const std::string& p : {csv, html, json})
    std::remove(p.c_str());
}

TEST(CliReports, UnwritableReportPathExitsTwoBeforeRunning) {
  const RunResult r =
      run_sim(kSource + "/scenarios/quickstart.yaml --html /nonexistent-dir/r.html");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent-dir/r.html: cannot open"));
  EXPECT_EQ(r.out, "");
}

TEST(CliReports, ProgressOnlyWhenAskedOffATerminal) {
  const std::string q = kData + "report_example.yaml";
  const RunResult quiet = run_sim(q);  // stderr is a file here, not a terminal
  EXPECT_EQ(quiet.err, "");
  const RunResult forced = run_sim(q + " --progress");
  EXPECT_EQ(forced.status, 0);
  EXPECT_THAT(forced.err, ::testing::MatchesRegex("(.|\n)*\\[barrel-sim\\] done: [0-9]+ events\n"));
  EXPECT_EQ(trace_hash_of(forced.out), trace_hash_of(quiet.out));
}

}  // namespace
}  // namespace barrel::sim::test
