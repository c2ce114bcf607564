// scenario_loader_test — the scenario language: the full example parses to
// the expected Scenario, and every class of mistake is a Status (never an
// exception, never a default) whose message names FILE:LINE:COLUMN and the
// expected form.
//
// Method: parse_scenario() on small inline documents, each wrong in exactly
// one place whose line and column the test states; load_scenario_file() on
// the fixture tests/sim/data/full_example.yaml and on a missing file.
#include "barrel/sim/scenario_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/loader_test_util.h"

#include <cstdio>
#include <string>

#include "barrel/rng.h"

#include "duration_parse.h"
#include "fraction_parse.h"

namespace barrel::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kData = std::string(BARREL_SOURCE_DIR) + "/tests/sim/data/";

using test::error_of;
using test::kHead;

TEST(ScenarioLoader, FullExampleParsesToTheExpectedFields) {
  Result<Scenario> r = load_scenario_file(kData + "full_example.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const Scenario& s = *r;
  EXPECT_EQ(s.name, "hyparview-1k");
  EXPECT_EQ(s.description, "1k nodes join, then half crash");
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.duration, Duration::seconds(180));
  EXPECT_EQ(s.max_events, 50'000'000u);
  EXPECT_EQ(s.probe_period, Duration::millis(100));
  EXPECT_EQ(s.node_count, 1000u);
  EXPECT_EQ(s.name_pattern, "node{i}@sim");
  const HyParViewConfig& h = s.node_config.hyparview;
  EXPECT_EQ(h.active_size, 5u);
  EXPECT_EQ(h.passive_size, 30u);
  EXPECT_EQ(h.arwl, 6);
  EXPECT_EQ(h.prwl, 3);
  EXPECT_EQ(h.shuffle_ka, 3u);
  EXPECT_EQ(h.shuffle_kp, 4u);
  EXPECT_EQ(h.shuffle_ttl, 6);
  EXPECT_EQ(h.shuffle_period, Duration::seconds(10));
  EXPECT_EQ(h.neighbor_timeout, Duration::seconds(5));
  EXPECT_EQ(h.repair_period, Duration::seconds(1));
  EXPECT_EQ(h.contact_retry, Duration::seconds(5));
  EXPECT_EQ(s.network.latency.kind, LatencyModel::Kind::kUniform);
  EXPECT_EQ(s.network.latency.min, Duration::millis(10));
  EXPECT_EQ(s.network.latency.max, Duration::millis(80));
  EXPECT_EQ(s.network.detection_delay, Duration::seconds(2));
  EXPECT_TRUE(s.network.wire_mode);
  EXPECT_EQ(s.loc.file, kData + "full_example.yaml");
}

TEST(ScenarioLoader, FullExampleTimeline) {
  Result<Scenario> r = load_scenario_file(kData + "full_example.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const std::vector<Step>& t = r->timeline;
  ASSERT_EQ(t.size(), 7u);
  const auto* start = std::get_if<StartAction>(&t[0].action);
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->nodes.kind, NodeSelector::Kind::kAll);
  EXPECT_EQ(t[0].at, Duration::zero());
  EXPECT_EQ(t[0].loc.line, 26);
  EXPECT_EQ(t[0].loc.column, 5);

  const auto* join = std::get_if<JoinAction>(&t[1].action);
  ASSERT_NE(join, nullptr);
  EXPECT_EQ(t[1].at, Duration::seconds(1));
  EXPECT_EQ(join->nodes.kind, NodeSelector::Kind::kRange);
  EXPECT_EQ(join->nodes.first, 2u);
  EXPECT_EQ(join->nodes.last, 1000u);
  EXPECT_EQ(join->contacts, (std::vector<std::string>{"node1@sim", "node2@sim", "node3@sim"}));
  EXPECT_EQ(join->spread, Duration::seconds(20));

  const auto* crash = std::get_if<CrashAction>(&t[2].action);
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(crash->nodes.kind, NodeSelector::Kind::kFraction);
  EXPECT_EQ(crash->nodes.fraction_ppm, 500'000u);

  const auto* leave = std::get_if<LeaveAction>(&t[3].action);
  ASSERT_NE(leave, nullptr);
  EXPECT_EQ(leave->nodes.kind, NodeSelector::Kind::kNames);
  EXPECT_EQ(leave->nodes.names, std::vector<std::string>{"node7@sim"});

  const auto* repeated = std::get_if<CrashAction>(&t[4].action);
  ASSERT_NE(repeated, nullptr);
  EXPECT_EQ(repeated->nodes.kind, NodeSelector::Kind::kCount);
  EXPECT_EQ(repeated->nodes.count, 1u);
  EXPECT_EQ(t[4].at, Duration::seconds(10));
  EXPECT_EQ(t[4].every, Duration::seconds(10));
  EXPECT_EQ(t[4].until, Duration::seconds(50));

  const auto* listed = std::get_if<CrashAction>(&t[5].action);
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ(listed->nodes.names, (std::vector<std::string>{"node8@sim", "node9@sim"}));
  const auto* percent = std::get_if<CrashAction>(&t[6].action);
  ASSERT_NE(percent, nullptr);
  EXPECT_EQ(percent->nodes.fraction_ppm, 125'000u);
}

TEST(ScenarioLoader, FullExampleExpectations) {
  Result<Scenario> r = load_scenario_file(kData + "full_example.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const std::vector<Expectation>& e = r->expectations;
  ASSERT_EQ(e.size(), 5u);
  EXPECT_EQ(e[0].kind, Expectation::Kind::kConnected);
  EXPECT_EQ(e[0].at, Duration::seconds(59));
  EXPECT_EQ(e[0].loc.line, 40);
  EXPECT_EQ(e[0].loc.column, 5);
  EXPECT_EQ(e[1].kind, Expectation::Kind::kSymmetric);
  EXPECT_EQ(e[2].kind, Expectation::Kind::kViewBounds);
  EXPECT_EQ(e[3].kind, Expectation::Kind::kActiveMin);
  EXPECT_EQ(e[3].count, 1u);
  EXPECT_EQ(e[4].kind, Expectation::Kind::kHealedWithin);
  EXPECT_EQ(e[4].at, Duration::seconds(179));
  EXPECT_EQ(e[4].within, Duration::seconds(30));
}

TEST(ScenarioLoader, DefaultsAndNameFromTheFileStem) {
  Result<Scenario> r = parse_scenario("nodes: {count: 2}\n", "some/dir/two-nodes.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->name, "two-nodes");
  EXPECT_EQ(r->node_count, 2u);
  EXPECT_EQ(r->name_pattern, "node{i}@sim");
  EXPECT_EQ(r->seed, 1u);
  EXPECT_EQ(r->duration, Duration::seconds(60));
  EXPECT_EQ(r->network.latency.kind, LatencyModel::Kind::kConstant);
  EXPECT_EQ(r->node_config.hyparview.active_size, 5u);
  EXPECT_TRUE(r->timeline.empty());
}

TEST(ScenarioLoader, ConstantLatencyAndSingleNameJoin) {
  Result<Scenario> r = parse_scenario(
      "nodes: {count: 2}\nnetwork: {latency: 50ms}\n"
      "timeline:\n  - {at: 0s, start: all}\n"
      "  - {at: 1s, join: {nodes: node2@sim, contacts: [node1@sim]}}\n",
      "q.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->network.latency.kind, LatencyModel::Kind::kConstant);
  EXPECT_EQ(r->network.latency.min, Duration::millis(50));
  EXPECT_EQ(r->network.latency.max, Duration::millis(50));
  const auto* join = std::get_if<JoinAction>(&r->timeline[1].action);
  ASSERT_NE(join, nullptr);
  EXPECT_EQ(join->nodes.names, std::vector<std::string>{"node2@sim"});
  EXPECT_EQ(join->spread, Duration::zero());
}

TEST(ScenarioLoaderErrors, UnknownKeyListsTheAllowedKeys) {
  const std::string m = error_of(kHead + "nodez: 3\n");
  EXPECT_THAT(m, StartsWith("t.yaml:3:1: unknown key 'nodez'"));
  EXPECT_THAT(m, HasSubstr("expected one of: name, description, seed, duration"));
  EXPECT_THAT(m, HasSubstr("timeline, expect"));
}

TEST(ScenarioLoaderErrors, UnknownKeyInANestedMap) {
  const std::string m = error_of(kHead + "network: {latency: 5ms, jitter: 1ms}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:3:25: unknown key 'jitter' in network"));
  EXPECT_THAT(m, HasSubstr("expected one of: latency, detection_delay, wire"));
}

TEST(ScenarioLoaderErrors, DuplicateKey) {
  const std::string m = error_of(kHead + "seed: 1\nseed: 2\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:1: duplicate key 'seed'"));
  EXPECT_THAT(m, HasSubstr("expected each key once"));
}

TEST(ScenarioLoaderErrors, WrongTypeNamesTheExpectedForm) {
  const std::string m = error_of("nodes: \"1000\"\n");
  EXPECT_THAT(m, StartsWith("t.yaml:1:8: nodes is '1000'"));
  EXPECT_THAT(m, HasSubstr("expected {count: N, name: PATTERN with {i}}"));
  const std::string list = error_of(kHead + "config: [1, 2]\n");
  EXPECT_THAT(list, StartsWith("t.yaml:3:9: config is a list"));
  EXPECT_THAT(list, HasSubstr("expected {active_size: N"));
  const std::string flag = error_of(kHead + "network: {wire: yes}\n");
  EXPECT_THAT(flag, StartsWith("t.yaml:3:17: network.wire is 'yes'; expected true or false"));
}

TEST(ScenarioLoaderErrors, NegativeCount) {
  const std::string m = error_of("nodes: {count: -5}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:1:16: nodes.count is negative (-5)"));
  EXPECT_THAT(m, HasSubstr("expected an integer in 1..1000000"));
}

TEST(ScenarioLoaderErrors, ZeroCount) {
  const std::string m = error_of("nodes:\n  count: 0\n");
  EXPECT_THAT(m, StartsWith("t.yaml:2:10: nodes.count is zero"));
  EXPECT_THAT(m, HasSubstr("expected an integer in 1..1000000"));
  const std::string crash = error_of(kHead + "timeline:\n  - {at: 1s, crash: {count: 0}}\n");
  EXPECT_THAT(crash, StartsWith("t.yaml:4:29: timeline[0].crash.count is zero"));
  EXPECT_THAT(crash, HasSubstr("expected an integer in 1..10"));
}

TEST(ScenarioLoaderErrors, NotAnInteger) {
  const std::string m = error_of("nodes: {count: 1e3}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:1:16: nodes.count is '1e3', not an integer"));
  EXPECT_THAT(m, HasSubstr("expected an integer in 1..1000000"));
}

TEST(ScenarioLoaderErrors, BadDurationUnit) {
  const std::string m = error_of(kHead + "probe_period: 10sec\n");
  EXPECT_THAT(m, StartsWith("t.yaml:3:15: probe_period: unknown unit 'sec'"));
  EXPECT_THAT(m, HasSubstr("expected an integer with a unit us, ms, s, m or h"));
}

TEST(ScenarioLoaderErrors, DurationWithoutUnit) {
  const std::string m = error_of("duration: 180\nnodes: {count: 1}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:1:11: duration: duration '180' has no unit"));
  EXPECT_THAT(m, HasSubstr("expected an integer with a unit"));
  const std::string frac = error_of("duration: 1.5s\nnodes: {count: 1}\n");
  EXPECT_THAT(frac, StartsWith("t.yaml:1:11: duration: duration '1.5s' is not an integer"));
}

TEST(ScenarioLoaderErrors, FractionAboveOne) {
  const std::string m = error_of(kHead + "timeline:\n  - at: 5s\n    crash: {fraction: 1.5}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:5:23: timeline[0].crash.fraction is 1.5, outside (0, 1]"));
  EXPECT_THAT(m, HasSubstr("expected a fraction in (0, 1]"));
  const std::string zero = error_of(kHead + "timeline:\n  - {at: 5s, crash: {fraction: 0%}}\n");
  EXPECT_THAT(zero, StartsWith("t.yaml:4:32: timeline[0].crash.fraction is 0%, outside (0, 1]"));
}

TEST(ScenarioLoaderErrors, UnknownNodeName) {
  const std::string m = error_of(kHead + "timeline:\n  - {at: 5s, leave: node11@sim}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:21: unknown node name 'node11@sim' in timeline[0].leave"));
  EXPECT_THAT(m, HasSubstr("expected a scenario node name: node1@sim .. node10@sim"));
  const std::string contact = error_of(
      kHead + "timeline:\n  - at: 1s\n    join: {nodes: all, contacts: [node1@sim, seed@x]}\n");
  EXPECT_THAT(
      contact,
      StartsWith("t.yaml:5:46: unknown node name 'seed@x' in timeline[0].join.contacts[1]"));
}

TEST(ScenarioLoaderErrors, DuplicateNameInAList) {
  const std::string m =
      error_of(kHead + "timeline:\n  - {at: 5s, crash: [node1@sim, node2@sim, node1@sim]}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:44: duplicate node name 'node1@sim' in timeline[0].crash"));
  EXPECT_THAT(m, HasSubstr("expected a non-empty list of distinct scenario node names"));
}

TEST(ScenarioLoaderErrors, IndexOutOfRange) {
  const std::string m = error_of(kHead + "timeline:\n  - {at: 5s, start: {range: [2, 11]}}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:33: timeline[0].start.range[1] is too large (11)"));
  EXPECT_THAT(m, HasSubstr("expected an integer in 1..10"));
  const std::string empty = error_of(kHead + "timeline:\n  - {at: 5s, start: {range: [5, 2]}}\n");
  EXPECT_THAT(empty, StartsWith("t.yaml:4:29: timeline[0].start.range is [5, 2], an empty range"));
}

TEST(ScenarioLoaderErrors, StepWithTwoActions) {
  const std::string m = error_of(kHead + "timeline:\n  - at: 5s\n    crash: all\n    leave: all\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:5: timeline[0] has 2 actions (crash, leave)"));
  EXPECT_THAT(m, HasSubstr("expected exactly one action: start, join, crash, leave, broadcast, "
                           "partition, heal, restart, register or unregister"));
}

TEST(ScenarioLoaderErrors, StepWithNoAction) {
  const std::string m = error_of(kHead + "timeline:\n  - {at: 5s}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:5: timeline[0] has no action"));
  EXPECT_THAT(m, HasSubstr("expected exactly one action"));
}

TEST(ScenarioLoaderErrors, InstantBeyondDuration) {
  const std::string m = error_of(kHead + "expect:\n  - {at: 61s, connected: true}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:10: expect[0].at is 61s, beyond the scenario duration 1m"));
  EXPECT_THAT(m, HasSubstr("expected an instant of at most 1m"));
}

TEST(ScenarioLoaderErrors, EveryWithoutUntil) {
  const std::string m = error_of(kHead + "timeline:\n  - {at: 5s, every: 1s, crash: all}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:5: timeline[0] has every without until"));
  EXPECT_THAT(m, HasSubstr("expected both every: DURATION and until: DURATION"));
}

TEST(ScenarioLoaderErrors, ExpectationWithTwoChecksOrFalse) {
  const std::string two =
      error_of(kHead + "expect:\n  - {at: 5s, connected: true, symmetric: true}\n");
  EXPECT_THAT(two, StartsWith("t.yaml:4:5: expect[0] has 2 checks"));
  const std::string no = error_of(kHead + "expect:\n  - {at: 5s, connected: false}\n");
  EXPECT_THAT(no, StartsWith("t.yaml:4:25: expect[0].connected is false"));
  EXPECT_THAT(no, HasSubstr("; expected true"));
  const std::string healed = error_of(kHead + "expect:\n  - {at: 5s, healed_within: 2s}\n");
  EXPECT_THAT(
      healed,
      StartsWith("t.yaml:4:29: expect[0].healed_within with no crash, restart or heal step"));
  const std::string unprobed =
      error_of(kHead + "probe_period: 0s\ntimeline: [{at: 1s, crash: all}]\n" +
               "expect:\n  - {at: 5s, healed_within: 2s}\n");
  EXPECT_THAT(unprobed, StartsWith("t.yaml:6:29: expect[0].healed_within with probe_period 0s"));
}

TEST(ScenarioLoaderErrors, ActiveMinAboveActiveSize) {
  const std::string m = error_of(kHead +
                                 "config: {active_size: 3}\nexpect:\n"
                                 "  - {at: 5s, active_min: 4}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:5:26: expect[0].active_min is too large (4)"));
  EXPECT_THAT(m, HasSubstr("expected an integer in 1..3"));
}

TEST(ScenarioLoaderErrors, ConfigOutOfRangePointsAtTheKey) {
  const std::string m = error_of(kHead + "config:\n  passive_size: 20\n  active_size: 40\n");
  EXPECT_THAT(m, StartsWith("t.yaml:5:16: config: hyparview.active_size out of range (1..32)"));
  EXPECT_THAT(m, HasSubstr("expected active_size in 1..32"));
  const std::string sum = error_of(kHead + "config: {shuffle_ka: 40, shuffle_kp: 40}\n");
  EXPECT_THAT(sum, StartsWith("t.yaml:3:22: config: hyparview.shuffle_ka + shuffle_kp"));
  EXPECT_THAT(sum, HasSubstr("expected 1 + ka + kp <= 64"));
  const std::string period = error_of(kHead + "config: {shuffle_period: 50ms}\n");
  EXPECT_THAT(period, StartsWith("t.yaml:3:26: config: hyparview.shuffle_period out of range"));
  EXPECT_THAT(period, HasSubstr("expected shuffle_period in 100ms..1h"));
}

TEST(ScenarioLoaderErrors, BadNamePattern) {
  const std::string m = error_of("nodes: {count: 3, name: \"peer@sim\"}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:1:25: name pattern 'peer@sim' lacks {i}"));
  EXPECT_THAT(m, HasSubstr("expected a pattern like node{i}@sim"));
  const std::string bad = error_of("nodes: {count: 3, name: \"node {i}@sim\"}\n");
  EXPECT_THAT(bad, StartsWith("t.yaml:1:25: name pattern 'node {i}@sim' gives 'node 1@sim'"));
}

TEST(ScenarioLoaderErrors, MissingRequiredKey) {
  const std::string m = error_of("duration: 10s\n");
  EXPECT_THAT(m, StartsWith("t.yaml:1:1: missing key 'nodes' in the scenario"));
  EXPECT_THAT(m, HasSubstr("expected nodes: {count: N"));
}

TEST(ScenarioLoaderErrors, YamlSyntaxError) {
  const std::string m = error_of(kHead + "timeline: [\n  {at: 1s\n");
  EXPECT_THAT(m, StartsWith("t.yaml:"));
  EXPECT_THAT(m, HasSubstr("YAML syntax error"));
  EXPECT_THAT(m, HasSubstr("expected well-formed YAML"));
  const std::string tab = error_of("nodes: {count: 2}\nseed: [1\n");
  EXPECT_THAT(tab, StartsWith("t.yaml:3:1: YAML syntax error"));
}

TEST(ScenarioLoaderErrors, EmptyDocumentAndNonMapRoot) {
  EXPECT_THAT(error_of(""), StartsWith("t.yaml:1:1: the scenario is empty; expected a map"));
  EXPECT_THAT(error_of("- 1\n- 2\n"),
              StartsWith("t.yaml:1:1: the scenario is a list; expected a map"));
}

TEST(ScenarioLoaderErrors, MissingFile) {
  const std::string path = kData + "no_such_file.yaml";
  Result<Scenario> r = load_scenario_file(path);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kIo);
  EXPECT_EQ(r.status().message(), path + ": cannot open: No such file or directory");
}

// Robustness: random single-byte edits of the full example either load or
// give a located message; the loader never throws and never aborts.
TEST(ScenarioLoaderErrors, MutatedDocumentsAreLoadedOrLocated) {
  Result<Scenario> base = load_scenario_file(kData + "full_example.yaml");
  ASSERT_TRUE(base.is_ok());
  std::FILE* f = std::fopen((kData + "full_example.yaml").c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::string doc(8192, '\0');
  doc.resize(std::fread(doc.data(), 1, doc.size(), f));
  std::fclose(f);
  ASSERT_GT(doc.size(), 100u);
  const char kBytes[] = "{}[],:-\"'#&*!|>%@ \n\t0123456789abcxyz.";
  Rng rng(42);
  size_t failures = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string m = doc;
    const int edits = 1 + static_cast<int>(rng.uniform(3));
    for (int e = 0; e < edits; ++e) {
      const size_t at = static_cast<size_t>(rng.uniform(m.size()));
      const char c = kBytes[rng.uniform(sizeof kBytes - 1)];
      switch (rng.uniform(3)) {
        case 0:
          m[at] = c;
          break;
        case 1:
          m.insert(at, 1, c);
          break;
        default:
          m.erase(at, 1);
      }
    }
    Result<Scenario> r = parse_scenario(m, "t.yaml");
    if (r.is_ok())
      continue;
    ++failures;
    const std::string msg(r.status().message());
    EXPECT_THAT(msg, ::testing::MatchesRegex("t\\.yaml:[0-9]+:[0-9]+: .*; expected .*")) << m;
  }
  EXPECT_GT(failures, 500u);  // the edits do break documents
}

TEST(DurationParse, UnitsAndFormatting) {
  Duration d;
  std::string why;
  ASSERT_TRUE(parse_duration("1500us", &d, &why));
  EXPECT_EQ(d, Duration::micros(1500));
  ASSERT_TRUE(parse_duration("2m", &d, &why));
  EXPECT_EQ(d, Duration::seconds(120));
  ASSERT_TRUE(parse_duration("1h", &d, &why));
  EXPECT_EQ(d, Duration::seconds(3600));
  EXPECT_FALSE(parse_duration("99999999999999h", &d, &why));
  EXPECT_THAT(why, HasSubstr("longer than 366 days"));
  EXPECT_FALSE(parse_duration("-1s", &d, &why));
  EXPECT_FALSE(parse_duration("s", &d, &why));
  EXPECT_EQ(format_duration(Duration::millis(1500)), "1500ms");
  EXPECT_EQ(format_duration(Duration::seconds(120)), "2m");
  EXPECT_EQ(format_duration(Duration::micros(7)), "7us");
  EXPECT_EQ(format_seconds(Duration::millis(61800)), "61.8s");
  EXPECT_EQ(format_seconds(Duration::millis(50)), "0.05s");
  EXPECT_EQ(format_seconds(Duration::seconds(180)), "180s");
}

TEST(FractionParse, IntegerArithmeticOnly) {
  uint64_t ppm = 0;
  std::string why;
  ASSERT_TRUE(parse_fraction_ppm("0.1", &ppm, &why));
  EXPECT_EQ(ppm, 100'000u);
  ASSERT_TRUE(parse_fraction_ppm("1", &ppm, &why));
  EXPECT_EQ(ppm, 1'000'000u);
  ASSERT_TRUE(parse_fraction_ppm("0.000001", &ppm, &why));
  EXPECT_EQ(ppm, 1u);
  ASSERT_TRUE(parse_fraction_ppm("12.5%", &ppm, &why));
  EXPECT_EQ(ppm, 125'000u);
  ASSERT_TRUE(parse_fraction_ppm("100%", &ppm, &why));
  EXPECT_EQ(ppm, 1'000'000u);
  EXPECT_FALSE(parse_fraction_ppm("0.0000001", &ppm, &why));
  EXPECT_THAT(why, HasSubstr("finer than 1 ppm"));
  EXPECT_FALSE(parse_fraction_ppm("1e-3", &ppm, &why));
  EXPECT_FALSE(parse_fraction_ppm(".5", &ppm, &why));
  EXPECT_FALSE(parse_fraction_ppm("-0.5", &ppm, &why));
  EXPECT_EQ(format_ppm(125'000), "0.125");
  EXPECT_EQ(format_ppm(1'000'000), "1");
}

}  // namespace
}  // namespace barrel::sim

namespace barrel::sim {
namespace {

TEST(ScenarioLoader, SymmetricTakesASettleWindow) {
  Result<Scenario> r =
      parse_scenario(kHead + "expect:\n  - {at: 5s, symmetric: true, settle: 300ms}\n", "t.yaml");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->expectations.size(), 1u);
  EXPECT_EQ(r->expectations[0].settle, Duration::millis(300));
}

TEST(ScenarioLoaderErrors, SettleOnlyWithSymmetric) {
  const std::string m = error_of(kHead + "expect:\n  - {at: 5s, connected: true, settle: 300ms}\n");
  EXPECT_THAT(m, StartsWith("t.yaml:4:"));
  EXPECT_THAT(m, HasSubstr("expected settle only with symmetric: true"));
}

}  // namespace
}  // namespace barrel::sim
