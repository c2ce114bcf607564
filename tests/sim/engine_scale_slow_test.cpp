// engine_scale_slow_test.cpp — goal: at 1,000 nodes over the real HyParView
// core the engine stays deterministic (two runs, one trace), wire mode changes
// nothing the trace sees while exercising the codec on every message, and the
// view bounds hold throughout (the per-input checker never fires). Method: the
// bench scenario (join via 3 seeds with spread, shuffles, 50% crash), run
// three times; a few seconds of wall time, hence `slow`.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "barrel/sim/simulator.h"
#include "sim/scenario_builders.h"

namespace barrel::sim {
namespace {

Scenario thousand(bool wire_mode) {
  test::CrashRun run;
  run.name = "thousand";
  run.seed = 3;
  run.duration = Duration::seconds(40);
  run.crash_at = Duration::seconds(20);
  run.wire_mode = wire_mode;
  Scenario s = test::hyparview_crash_scenario(run);
  for (auto kind : {Expectation::Kind::kViewBounds, Expectation::Kind::kConnected,
                    Expectation::Kind::kSymmetric}) {
    Expectation x;
    x.kind = kind;
    x.at = Duration::seconds(39);
    s.expectations.push_back(x);
  }
  return s;
}

TEST(EngineScale, ThousandNodesDeterministicAndWireModeTransparent) {
  const RunReport a = run_scenario(thousand(false), RunOptions{});
  const RunReport b = run_scenario(thousand(false), RunOptions{});
  const RunReport w = run_scenario(thousand(true), RunOptions{});
  ASSERT_TRUE(a.failure.empty()) << a.failure;
  ASSERT_TRUE(w.failure.empty()) << w.failure;
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.trace_hash, w.trace_hash);
  EXPECT_EQ(a.messages.sent, w.messages.sent);
  EXPECT_EQ(a.messages.bytes_encoded, 0u);
  EXPECT_GT(w.messages.bytes_encoded, w.messages.sent * 6);  // at least a header each
  EXPECT_EQ(a.live_nodes, 500u);
  ASSERT_EQ(a.expectations.size(), 3u);
  for (const ExpectationResult& x : a.expectations)
    EXPECT_TRUE(x.passed) << x.detail;
  EXPECT_GT(a.invariant_checks, 50000u);
  EXPECT_FALSE(a.healings.empty() || a.healings[0].healed_at.is_never());
  ASSERT_EQ(a.healings.size(), 1u);
  EXPECT_EQ(a.healings[0].crashed, 500u);
}

}  // namespace
}  // namespace barrel::sim
