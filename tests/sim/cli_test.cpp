// cli_test — barrel-sim as a user runs it: exit codes, messages, determinism,
// the replay command and the JSON report.
//
// Method: each test runs the built binary (BARREL_SIM_BIN) in a separate
// process through popen(), with stderr sent to a temporary file, and checks
// the exit status and the text. Scenarios come from scenarios/ and from the
// fixtures in tests/sim/data/ (BARREL_SOURCE_DIR).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "cli_util.h"
#include "json_check.h"

namespace barrel::sim::test {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

const std::string kBin = BARREL_SIM_BIN;

TEST(Cli, HelpExitsZero) {
  const RunResult r = run_sim("--help");
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.out, HasSubstr("usage: barrel-sim SCENARIO [--seed N]"));
}

TEST(Cli, BadUsageExitsTwo) {
  EXPECT_EQ(run_sim("").status, 2);
  const RunResult bad_seed = run_sim(kSource + "/scenarios/quickstart.yaml --seed x");
  EXPECT_EQ(bad_seed.status, 2);
  EXPECT_THAT(bad_seed.err, HasSubstr("--seed needs a decimal integer"));
  const RunResult unknown = run_sim("--frobnicate " + kSource + "/scenarios/quickstart.yaml");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown option '--frobnicate'"));
}

TEST(Cli, UnknownKeyExitsTwoWithLocation) {
  const RunResult r = run_sim(kData + "bad_unknown_key.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr(kData + "bad_unknown_key.yaml:4:1: unknown key 'latency'"));
  EXPECT_THAT(r.err, HasSubstr("; expected one of: name, description"));
  EXPECT_EQ(r.out, "");
}

TEST(Cli, WrongTypeExitsTwoWithLocation) {
  const RunResult r = run_sim(kData + "bad_wrong_type.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr(kData + "bad_wrong_type.yaml:4:11: timeline is a map"));
  EXPECT_THAT(r.err, HasSubstr("; expected a list of steps"));
}

TEST(Cli, NegativeCountExitsTwoWithLocation) {
  const RunResult r = run_sim(kData + "bad_negative_count.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err,
              HasSubstr(kData + "bad_negative_count.yaml:4:10: nodes.count is negative (-3)"));
  EXPECT_THAT(r.err, HasSubstr("; expected an integer in 1..1000000"));
}

TEST(Cli, MissingFileExitsTwo) {
  const RunResult r = run_sim(kData + "does_not_exist.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr(kData + "does_not_exist.yaml: cannot open: No such file"));
}

TEST(Cli, QuickstartPassesAndShowsBothViews) {
  const RunResult r = run_sim(kSource + "/scenarios/quickstart.yaml");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("scenario: quickstart"));
  EXPECT_THAT(r.out, HasSubstr("seed: 1\n"));
  EXPECT_THAT(r.out, HasSubstr("hyparview: active_size=5 passive_size=30"));
  EXPECT_THAT(r.out, HasSubstr("node1@sim: active [node2@sim]"));
  EXPECT_THAT(r.out, HasSubstr("node2@sim: active [node1@sim]"));
  EXPECT_THAT(r.out, HasSubstr("PASS symmetric at 5s"));
  EXPECT_THAT(r.out, HasSubstr("result: PASS"));
  EXPECT_THAT(trace_hash_of(r.out), MatchesRegex("0x[0-9a-f]{16}"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("reproduce:")));
}

// hyparview-1k runs in well under a second, so it is the determinism check:
// 1,000 nodes, random contacts, join instants, shuffles and crash victims.
TEST(Cli, SameSeedSameTraceHashAcrossProcesses) {
  const std::string scenario = kSource + "/scenarios/hyparview-1k.yaml";
  const RunResult a = run_sim(scenario + " --seed 1 --quiet");
  const RunResult b = run_sim(scenario + " --seed 1 --quiet");
  const RunResult c = run_sim(scenario + " --seed 2 --quiet");
  ASSERT_NE(a.status, 2) << a.err;
  EXPECT_EQ(a.status, b.status);
  EXPECT_THAT(trace_hash_of(a.out), MatchesRegex("0x[0-9a-f]{16}"));
  EXPECT_EQ(trace_hash_of(a.out), trace_hash_of(b.out));
  EXPECT_EQ(a.out, b.out);  // --quiet prints nothing that depends on the wall clock
  EXPECT_THAT(trace_hash_of(c.out), MatchesRegex("0x[0-9a-f]{16}"));
  EXPECT_NE(trace_hash_of(a.out), trace_hash_of(c.out));
}

// The shipped scenario passes with the seed it ships with, and its summary
// shows the healing of the mass crash.
TEST(Cli, Hyparview1kPassesWithItsSeed) {
  const RunResult r = run_sim(kSource + "/scenarios/hyparview-1k.yaml");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("nodes: 1000 (node1@sim .. node1000@sim)"));
  EXPECT_THAT(r.out, HasSubstr("live nodes: 500 of 1000"));
  EXPECT_THAT(r.out, MatchesRegex("(.|\n)*crash at 90s: 500 of 1000 nodes; healed at [0-9.]+s "
                                  "\\([0-9.]+s\\)(.|\n)*"));
  EXPECT_THAT(r.out, HasSubstr("PASS healed_within 30s at 179s"));
}

TEST(Cli, FailingExpectationPrintsAReplayCommandThatReplaysIt) {
  const std::string scenario = kData + "failing_expectation.yaml";
  const RunResult first = run_sim(scenario + " --seed 5");
  ASSERT_EQ(first.status, 1) << first.out << first.err;
  EXPECT_THAT(first.out, HasSubstr("FAIL active_min 2 at 5s (" + scenario + ":13)"));
  EXPECT_THAT(first.out, HasSubstr("PASS connected at 5s"));
  const std::string replay = line_after(first.out, "reproduce: ");
  ASSERT_EQ(replay, "barrel-sim " + scenario + " --seed 5");
  // Run the command exactly as printed, with the binary's real path.
  const RunResult again = run_command(kBin + replay.substr(std::string("barrel-sim").size()));
  EXPECT_EQ(again.status, 1);
  EXPECT_EQ(line_after(again.out, "reproduce: "), replay);
  EXPECT_THAT(again.out, HasSubstr("FAIL active_min 2 at 5s"));
  // The replay is the same run: the same failures, word for word, and the
  // same trace hash.
  EXPECT_THAT(trace_hash_of(first.out), MatchesRegex("0x[0-9a-f]{16}"));
  EXPECT_EQ(trace_hash_of(again.out), trace_hash_of(first.out));
  EXPECT_THAT(failure_lines(first.out), HasSubstr("FAIL active_min 2 at 5s"));
  EXPECT_EQ(failure_lines(again.out), failure_lines(first.out));
}

TEST(Cli, JsonReportIsValidAndCarriesTheTraceHash) {
  const std::string json_path =
      ::testing::TempDir() + "cli_test_report_" + std::to_string(::getpid()) + ".json";
  std::remove(json_path.c_str());
  const RunResult r = run_sim(kSource + "/scenarios/quickstart.yaml --json " + json_path);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string doc = read_file(json_path);
  std::string why;
  EXPECT_TRUE(json_is_valid(doc, &why)) << why << "\n" << doc;
  const std::string hash = trace_hash_of(r.out);
  ASSERT_FALSE(hash.empty());
  EXPECT_THAT(doc, HasSubstr("\"trace_hash\": \"" + hash + "\""));
  EXPECT_THAT(doc, HasSubstr("\"scenario\": \"quickstart\""));
  EXPECT_THAT(doc, HasSubstr("\"seed\": 1,"));
  EXPECT_THAT(doc, HasSubstr("\"events_per_second\": "));
  EXPECT_THAT(doc, HasSubstr("\"kind\": \"symmetric\""));
  EXPECT_THAT(doc, HasSubstr("\"name\": \"node2@sim\""));
  std::remove(json_path.c_str());
}

TEST(Cli, JsonToAnUnwritablePathExitsTwoBeforeRunning) {
  const RunResult r =
      run_sim(kSource + "/scenarios/quickstart.yaml --json /nonexistent-dir/report.json");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent-dir/report.json: cannot open"));
  EXPECT_EQ(r.out, "");
}

// True when the kernel gives huge pages to memory advised for them, the one
// mode in which barrel-sim asks for them (tools/huge_pages.h).
bool thp_mode_is_madvise() {
  return read_file("/sys/kernel/mm/transparent_hugepage/enabled").find("[madvise]") !=
         std::string::npos;
}

// A run of 20,000 nodes goes on huge pages by executing itself again with
// glibc.malloc.hugetlb=1 and says so beside its peak RSS; --no-huge-pages, a
// user's own GLIBC_TUNABLES setting and a small scenario keep it off. The
// trace hash is the same either way: nothing in a run depends on addresses.
TEST(Cli, LargeRunsGoOnHugePagesWithTheSameTraceHash) {
  const std::string big = kData + "huge_pages_20k.yaml";
  const std::string note = "(heap on transparent huge pages)";
  const RunResult on = run_command("env -u GLIBC_TUNABLES " + kBin + " " + big);
  ASSERT_EQ(on.status, 0) << on.out << on.err;
  EXPECT_EQ(on.out.find(note) != std::string::npos, thp_mode_is_madvise()) << on.out;

  const RunResult off =
      run_command("env -u GLIBC_TUNABLES " + kBin + " " + big + " --no-huge-pages");
  ASSERT_EQ(off.status, 0) << off.err;
  EXPECT_THAT(off.out, Not(HasSubstr(note)));
  EXPECT_EQ(trace_hash_of(off.out), trace_hash_of(on.out));
  EXPECT_FALSE(trace_hash_of(on.out).empty());

  const RunResult user =
      run_command("env GLIBC_TUNABLES=glibc.malloc.hugetlb=0 " + kBin + " " + big);
  ASSERT_EQ(user.status, 0) << user.err;
  EXPECT_THAT(user.out, Not(HasSubstr(note)));
  EXPECT_EQ(trace_hash_of(user.out), trace_hash_of(on.out));

  const RunResult small =
      run_command("env -u GLIBC_TUNABLES " + kBin + " " + kSource + "/scenarios/quickstart.yaml");
  ASSERT_EQ(small.status, 0) << small.err;
  EXPECT_THAT(small.out, Not(HasSubstr(note)));
}

}  // namespace
}  // namespace barrel::sim::test
