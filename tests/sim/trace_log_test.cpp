// trace_log_test — goal: the run observers (observer.h) never change a run,
// the --trace log (trace_log.h) is byte-identical for the same seed, holds one
// record per processed event, stops at its cap saying so, and decodes; a
// malformed file is an error, not a crash; NodeWatch (watch.h) names the view
// changes a small scenario makes predictable.
// Method: run scenarios in process with run_scenario(), the observers writing
// to temporary files, and compare the files, the reports and the decoded
// text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <string>

#include "barrel/sim/scenario_loader.h"
#include "barrel/sim/simulator.h"
#include "barrel/sim/trace_log.h"
#include "barrel/sim/watch.h"
#include "cli_util.h"

namespace barrel::sim::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Scenario load(const std::string& path) {
  Result<Scenario> s = load_scenario_file(path);
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  return s.is_ok() ? std::move(s).value() : Scenario{};
}

// Runs `scenario` with a TraceLog (cap `bytes_max`) writing to `path`.
RunReport run_traced(const Scenario& scenario, const std::string& path, uint64_t bytes_max,
                     std::string* note = nullptr) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  EXPECT_NE(f, nullptr);
  TraceLog log(f, bytes_max);
  RunOptions options;
  options.observers.push_back(&log);
  RunReport report = run_scenario(scenario, options);
  EXPECT_FALSE(log.write_failed());
  EXPECT_EQ(std::fclose(f), 0);
  if (note != nullptr)
    *note = log.note();
  return report;
}

// dump_trace() of `path`, into a string; *status gets its result.
std::string dump(const std::string& path, const std::string& node, Status* status) {
  const std::string out_path = path + ".txt";
  std::FILE* in = std::fopen(path.c_str(), "rb");
  std::FILE* out = std::fopen(out_path.c_str(), "w");
  EXPECT_NE(in, nullptr);
  EXPECT_NE(out, nullptr);
  *status = dump_trace(in, out, node);
  std::fclose(in);
  std::fclose(out);
  std::string text = read_file(out_path);
  std::remove(out_path.c_str());
  return text;
}

size_t count_records(const std::string& text) {
  size_t n = 0;
  for (size_t at = 0; at < text.size(); at = text.find('\n', at) + 1) {
    n += text[at] != '#' ? 1 : 0;
    if (text.find('\n', at) == std::string::npos)
      break;
  }
  return n;
}

std::string hash_text(uint64_t hash) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016" PRIx64, hash);
  return buf;
}

TEST(TraceLog, ObserversLeaveTheTraceHashAlone) {
  // Registrations, broadcasts and a crash: every path of the engine.
  const Scenario s = load(kData + "report_example.yaml");
  const RunReport plain = run_scenario(s, RunOptions{});
  const std::string path = temp_path("observed.trace");
  std::FILE* watch_out = std::tmpfile();
  ASSERT_NE(watch_out, nullptr);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  TraceLog log(f, kTraceBytesMaxDefault);
  NodeWatch watch("node7@sim", watch_out);  // a registering node; maybe crashed
  RunOptions options;
  options.observers = {&log, &watch};
  const RunReport observed = run_scenario(s, options);
  std::fclose(f);
  std::fclose(watch_out);
  EXPECT_EQ(observed.trace_hash, plain.trace_hash);
  EXPECT_EQ(observed.events, plain.events);
  EXPECT_EQ(observed.passed(), plain.passed());
  EXPECT_EQ(log.events_written(), plain.events);
  EXPECT_GT(watch.lines(), 10u);
  std::remove(path.c_str());
}

TEST(TraceLog, SameSeedSameBytesAndOneRecordPerEvent) {
  const Scenario s = load(kData + "report_example.yaml");
  const std::string a = temp_path("a.trace"), b = temp_path("b.trace");
  const RunReport ra = run_traced(s, a, kTraceBytesMaxDefault);
  run_traced(s, b, kTraceBytesMaxDefault);
  const std::string bytes = read_file(a);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes, read_file(b));
  // Compact: well under 16 bytes per event.
  EXPECT_LT(bytes.size(), ra.events * 16);

  Status status;
  const std::string text = dump(a, "", &status);
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  // The decoded text is large: checked with find(), so a failure does not
  // print all of it.
  const auto has = [&text](const std::string& part) {
    return text.find(part) != std::string::npos;
  };
  EXPECT_TRUE(has("# barrel-sim trace v1: scenario report-example, seed 3, 60 nodes"));
  EXPECT_EQ(count_records(text), ra.events);
  EXPECT_TRUE(has("# end: " + std::to_string(ra.events) + " events, trace hash " +
                  hash_text(ra.trace_hash) + ", PASS\n"));
  EXPECT_TRUE(has("     0.224669s  deliver     node1@sim <- node33@sim  JOIN 6B\n"));
  EXPECT_TRUE(has("    20.000000s  step        #4 (repetition 0)\n"));  // the crash
  EXPECT_TRUE(has("  link_failed node"));
  EXPECT_FALSE(has("TRUNCATED"));

  Scenario other = s;
  other.seed = 4;
  run_traced(other, b, kTraceBytesMaxDefault);
  EXPECT_NE(read_file(b), bytes);
  std::remove(a.c_str());
  std::remove(b.c_str());
}

TEST(TraceLog, TheCapCutsTheLogAndSaysSo) {
  const Scenario s = load(kSource + "/scenarios/quickstart.yaml");
  const std::string path = temp_path("capped.trace");
  const RunReport full = run_scenario(s, RunOptions{});
  std::string note;
  const RunReport capped = run_traced(s, path, 100, &note);
  EXPECT_EQ(capped.trace_hash, full.trace_hash);  // the run goes on, whole
  EXPECT_THAT(note, HasSubstr("trace cap of 100 bytes (--trace-max) reached at t="));
  EXPECT_THAT(note, HasSubstr(" of " + std::to_string(full.events) + " events are in the file"));
  const std::string bytes = read_file(path);
  EXPECT_LE(bytes.size(), 100u + TraceLog::kTrailerBytesMax);
  Status status;
  const std::string text = dump(path, "", &status);
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_THAT(text, HasSubstr("# TRUNCATED: only the first "));
  EXPECT_LT(count_records(text), full.events);
  std::remove(path.c_str());
}

TEST(TraceLog, DumpFiltersOneNode) {
  const Scenario s = load(kData + "report_example.yaml");
  const std::string path = temp_path("filter.trace");
  run_traced(s, path, kTraceBytesMaxDefault);
  Status status;
  const std::string all = dump(path, "", &status);
  const std::string one = dump(path, "node5@sim", &status);
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_LT(count_records(one), count_records(all));
  EXPECT_GT(count_records(one), 0u);
  for (size_t at = 0; at < one.size(); at = one.find('\n', at) + 1) {
    const std::string line = one.substr(at, one.find('\n', at) - at);
    if (line[0] != '#') {
      EXPECT_THAT(line, HasSubstr("node5@sim")) << line;
    }
  }
  dump(path, "node61@sim", &status);
  EXPECT_FALSE(status.is_ok());
  EXPECT_THAT(status.to_string(), HasSubstr("no node 'node61@sim' in this trace"));
  std::remove(path.c_str());
}

TEST(TraceLog, MalformedFilesAreErrors) {
  const Scenario s = load(kSource + "/scenarios/quickstart.yaml");
  const std::string path = temp_path("good.trace"), bad = temp_path("bad.trace");
  const RunReport r = run_traced(s, path, kTraceBytesMaxDefault);
  ASSERT_LT(r.events, 128u);  // the trailer's counts are one-byte varints
  const std::string good = read_file(path);
  const auto write = [&bad](const std::string& bytes) {
    std::FILE* f = std::fopen(bad.c_str(), "wb");
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  };
  Status status;
  write("not a trace at all");
  dump(bad, "", &status);
  EXPECT_THAT(status.to_string(), HasSubstr("not a barrel-sim trace"));
  write(good.substr(0, 12));
  dump(bad, "", &status);
  EXPECT_THAT(status.to_string(), HasSubstr("malformed trace at byte"));
  write(good + "x");
  dump(bad, "", &status);
  EXPECT_THAT(status.to_string(), HasSubstr("bytes after the trailer"));
  // The trailer is 12 bytes here (tag, two one-byte counts, hash, verdict).
  write(good.substr(0, good.size() - 12));
  const std::string text = dump(bad, "", &status);
  EXPECT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_THAT(text, HasSubstr("# no trailer: the run did not finish (" + std::to_string(r.events) +
                              " records)"));
  // Every prefix, and every one-byte corruption, decodes or fails cleanly
  // (no assert, no crash; the sanitizer build checks the reads).
  for (size_t n = 0; n < good.size(); n += 7) {
    write(good.substr(0, n));
    dump(bad, "", &status);
  }
  for (size_t at = 0; at < good.size(); ++at) {
    std::string corrupt = good;
    corrupt[at] = static_cast<char>(corrupt[at] ^ 0xa5);
    write(corrupt);
    dump(bad, "", &status);
  }
  std::remove(path.c_str());
  std::remove(bad.c_str());
}

// An event kind the engine gains before observer.h names it (a scenario
// language extension) is logged and decoded by its number.
TEST(TraceLog, UnnamedKindsPassThroughByNumber) {
  const std::string path = temp_path("unnamed.trace");
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  TraceLog log(f, kTraceBytesMaxDefault);
  Scenario s;
  s.name = "synthetic";
  s.node_count = 3;
  log.on_start(s);
  ObservedEvent e;
  e.time = Instant::from_us(5);
  e.kind = static_cast<ObservedKind>(kObservedKindMax);
  e.node = 1;
  e.aux = 2;
  e.aux2 = 3;
  log.on_event(e);
  e.node = kNoNode;
  log.on_event(e);
  RunReport report;
  report.events = 2;
  log.on_end(report);
  std::fclose(f);
  Status status;
  const std::string text = dump(path, "", &status);
  ASSERT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_THAT(text, HasSubstr("     0.000005s  kind31      node2@sim aux 2/3\n"
                              "     0.000005s  kind31      aux 2/3\n"));
  std::remove(path.c_str());
}

// quickstart: node2@sim joins node1@sim at 1 s over 50 ms links, so node1's
// active view gains node2 when the Join arrives at 1.05 s, and node2's gains
// node1 when the JoinAccept comes back at 1.1 s.
TEST(NodeWatch, NamesTheViewChangesOfQuickstart) {
  const Scenario s = load(kSource + "/scenarios/quickstart.yaml");
  EXPECT_EQ(NodeWatch::check(s, "node2@sim"), "");
  EXPECT_THAT(NodeWatch::check(s, "node3@sim"),
              HasSubstr("no node 'node3@sim' in scenario quickstart (node1@sim .. node2@sim)"));
  for (const char* who : {"node1@sim", "node2@sim"}) {
    const std::string path = temp_path(std::string(who) + ".watch");
    std::FILE* out = std::fopen(path.c_str(), "w");
    ASSERT_NE(out, nullptr);
    NodeWatch watch(who, out);
    RunOptions options;
    options.observers = {&watch};
    const RunReport r = run_scenario(s, options);
    std::fclose(out);
    EXPECT_TRUE(r.passed());
    const std::string text = read_file(path);
    SCOPED_TRACE(text);
    EXPECT_THAT(text,
                HasSubstr("     0.000000s " + std::string(who) + "  started (incarnation 1)"));
    if (std::string(who) == "node1@sim") {
      EXPECT_THAT(text, HasSubstr("     1.050000s node1@sim  in  JOIN <- node2@sim\n"));
      EXPECT_THAT(text, HasSubstr("     1.050000s node1@sim  active +node2@sim = [node2@sim]\n"));
    } else {
      EXPECT_THAT(text, HasSubstr("     1.000000s node2@sim  join via node1@sim\n"));
      EXPECT_THAT(text, HasSubstr("     1.000000s node2@sim  out JOIN -> node1@sim\n"));
      EXPECT_THAT(text, HasSubstr("     1.100000s node2@sim  active +node1@sim = [node1@sim]\n"));
    }
    EXPECT_THAT(text, Not(HasSubstr("stopped")));  // the end of the run is not a stop
    std::remove(path.c_str());
  }
}

}  // namespace
}  // namespace barrel::sim::test
