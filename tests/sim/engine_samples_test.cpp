// engine_samples_test.cpp — goal: the run's time series (RunReport::samples),
// the end-of-run view histograms and the progress callback report the run
// faithfully and never change it. Method: run the report fixture
// (tests/sim/data/report_example.yaml: 60 nodes, broadcasts, registrations,
// a 20 % crash) through run_scenario() with several sample periods and a
// progress callback, and check the series against the report's own totals.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "barrel/sim/scenario_loader.h"
#include "barrel/sim/simulator.h"

namespace barrel::sim {
namespace {

const std::string kFixture = std::string(BARREL_SOURCE_DIR) + "/tests/sim/data/report_example.yaml";

Scenario fixture() {
  Result<Scenario> s = load_scenario_file(kFixture);
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  return std::move(s).value();
}

RunReport run_with_period(const Scenario& s, Duration period) {
  RunOptions options;
  options.sample_period = period;
  return run_scenario(s, options);
}

TEST(EngineSamples, SamplingNeverChangesTheRun) {
  const Scenario s = fixture();
  const RunReport coarse = run_with_period(s, Duration::seconds(1));
  const RunReport fine = run_with_period(s, Duration::millis(7));
  const RunReport automatic = run_scenario(s, RunOptions{});
  ASSERT_TRUE(coarse.passed()) << coarse.failure;
  EXPECT_EQ(coarse.trace_hash, fine.trace_hash);
  EXPECT_EQ(coarse.trace_hash, automatic.trace_hash);
  EXPECT_EQ(coarse.events, fine.events);
  EXPECT_EQ(coarse.messages.sent, fine.messages.sent);
  EXPECT_NE(coarse.samples.size(), fine.samples.size());
}

TEST(EngineSamples, SeriesCoversTheRunAtItsPeriod) {
  const Scenario s = fixture();
  const RunReport r = run_with_period(s, Duration::millis(500));
  ASSERT_EQ(r.sample_period, Duration::millis(500));
  // 0, 0.5 s, ..., 40 s.
  ASSERT_EQ(r.samples.size(), 81u);
  for (size_t k = 0; k < r.samples.size(); ++k)
    EXPECT_EQ(r.samples[k].at, Instant::zero() + Duration::millis(500) * static_cast<int64_t>(k));
  const RunSample& last = r.samples.back();
  EXPECT_EQ(last.at, r.end_time);
  // The last sample is the state at the end: the report's own totals.
  EXPECT_EQ(last.messages_sent, r.messages.sent);
  EXPECT_EQ(last.messages_delivered, r.messages.delivered);
  EXPECT_EQ(last.messages_dropped, r.messages.dropped);
  EXPECT_EQ(last.live, r.live_nodes);
  EXPECT_EQ(last.broadcasts_sent, r.broadcast_summaries.at(0).sent);
  // Counters only grow; the 20 % crash at 20 s takes 12 of 60 members.
  for (size_t k = 1; k < r.samples.size(); ++k) {
    EXPECT_GE(r.samples[k].messages_sent, r.samples[k - 1].messages_sent);
    EXPECT_GE(r.samples[k].broadcast_deliveries, r.samples[k - 1].broadcast_deliveries);
  }
  EXPECT_EQ(r.samples[39].members, 60u);  // 19.5 s
  EXPECT_EQ(r.samples[40].members, 48u);  // 20 s, after the crash step
  EXPECT_GT(last.broadcast_deliveries, uint64_t{last.broadcasts_sent} * 40);
}

TEST(EngineSamples, ViewsAndRegistryAgreementAreSampled) {
  const Scenario s = fixture();
  const RunReport r = run_with_period(s, Duration::seconds(1));
  const RunSample& last = r.samples.back();
  ASSERT_TRUE(r.registry.active);
  // The fixture expects registry_converged by 39 s: everyone agrees at the end.
  EXPECT_EQ(last.registry_agreeing, last.members);
  EXPECT_GE(last.active_min, 1u);
  EXPECT_LE(last.active_max, s.node_config.hyparview.active_size);
  EXPECT_GE(last.active_sum, uint64_t{last.active_min} * last.members);
  EXPECT_LE(last.active_sum, uint64_t{last.active_max} * last.members);
  // Before any join completes (t = 0) nobody has an active peer.
  EXPECT_EQ(r.samples[0].active_max, 0u);
}

TEST(EngineSamples, HistogramsCountEveryMemberAtTheEnd) {
  const RunReport r = run_scenario(fixture(), RunOptions{});
  uint64_t members = 0, active_sum = 0, passive_sum = 0;
  for (size_t d = 0; d < r.active_degree_histogram.size(); ++d) {
    members += r.active_degree_histogram[d];
    active_sum += d * r.active_degree_histogram[d];
  }
  for (size_t d = 0; d < r.passive_size_histogram.size(); ++d)
    passive_sum += d * r.passive_size_histogram[d];
  const RunSample& last = r.samples.back();
  EXPECT_EQ(members, last.members);
  EXPECT_EQ(active_sum, last.active_sum);
  EXPECT_EQ(passive_sum, last.passive_sum);
  EXPECT_EQ(r.active_degree_histogram.size(), last.active_max + 1);
  EXPECT_GT(r.active_degree_histogram.back(), 0u);
}

// 40 s at 1 ms would be 40,001 samples: the series thins itself to stay
// within kRunSamplesMax, evenly spaced, still from 0 to the end.
TEST(EngineSamples, LongSeriesThinsToItsBound) {
  const RunReport r = run_with_period(fixture(), Duration::millis(1));
  ASSERT_LE(r.samples.size(), kRunSamplesMax);
  EXPECT_GT(r.samples.size(), kRunSamplesMax / 2);
  EXPECT_EQ(r.sample_period, Duration::millis(32));  // 1 ms doubled 5 times
  EXPECT_EQ(r.samples.front().at, Instant::zero());
  for (size_t k = 1; k < r.samples.size(); ++k)
    EXPECT_EQ(r.samples[k].at - r.samples[k - 1].at, r.sample_period);
  EXPECT_GT(r.samples.back().at + r.sample_period, r.end_time);
}

TEST(EngineSamples, DefaultPeriodGivesAbout500Samples) {
  const RunReport r = run_scenario(fixture(), RunOptions{});
  EXPECT_EQ(r.sample_period, Duration::millis(80));  // 40 s / 500
  EXPECT_EQ(r.samples.size(), 501u);
}

TEST(EngineSamples, ProgressIsReportedEveryKEventsWithoutChangingTheRun) {
  const Scenario s = fixture();
  std::vector<RunProgress> seen;
  RunOptions options;
  options.progress_every_events = 1000;
  options.progress = [&seen](const RunProgress& p) { seen.push_back(p); };
  const RunReport r = run_scenario(s, options);
  EXPECT_EQ(r.trace_hash, run_scenario(s, RunOptions{}).trace_hash);
  ASSERT_EQ(seen.size(), r.events / 1000);
  for (size_t k = 0; k < seen.size(); ++k) {
    EXPECT_EQ(seen[k].events, 1000 * (k + 1));
    EXPECT_EQ(seen[k].end, Instant::zero() + s.duration);
    EXPECT_LE(seen[k].now, seen[k].end);
    if (k > 0) {
      EXPECT_GE(seen[k].now, seen[k - 1].now);
    }
  }
}

}  // namespace
}  // namespace barrel::sim
