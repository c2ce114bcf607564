// registry_metrics_test.cpp — goal: the registry truth keeps exactly the
// pairs of live incarnations and a hash that equals the sum of their pair
// hashes in any order; the agreement tracker opens a disagreement interval
// dated back to the truth change that caused it, closes it at the first
// agreeing sample, answers disruptions with that sample, and summarises
// convergence times by nearest rank. Method: direct calls with hand-made
// instants; assertions on the exact values; service names from patterns.
#include <gtest/gtest.h>

#include "metrics/registry_agreement.h"
#include "metrics/registry_truth.h"
#include "service_pattern.h"

namespace barrel::sim {
namespace {

Instant at_ms(int64_t ms) {
  return Instant::zero() + Duration::millis(ms);
}

TEST(RegistryTruth, HashIsTheSumOfPairsInAnyOrderAndRemoveNodeTakesAllItsPairs) {
  RegistryTruth a(3), b(3);
  a.add("svc1", 0, "n1@sim", 1, {{"role", "worker"}});
  a.add("svc2", 0, "n1@sim", 2, {});
  a.add("svc1", 2, "n3@sim", 1, {});
  b.add("svc1", 2, "n3@sim", 1, {});
  b.add("svc2", 0, "n1@sim", 2, {});
  b.add("svc1", 0, "n1@sim", 1, {});
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_EQ(a.hash(), registry_pair_hash("svc1", "n1@sim") + registry_pair_hash("svc2", "n1@sim") +
                          registry_pair_hash("svc1", "n3@sim"));
  ASSERT_NE(a.find("svc1", 0), nullptr);
  EXPECT_EQ(a.find("svc1", 0)->metadata.at("role"), "worker");
  EXPECT_EQ(a.remove_node(0, "n1@sim"), 2u);
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(a.hash(), registry_pair_hash("svc1", "n3@sim"));
  EXPECT_EQ(a.services().count("svc2"), 0u);
  EXPECT_FALSE(a.remove("svc1", 0, "n1@sim"));
  EXPECT_TRUE(a.remove("svc1", 2, "n3@sim"));
  EXPECT_EQ(a.hash(), 0u);
  EXPECT_TRUE(a.services().empty());
}

TEST(RegistryTruth, PairHashSeparatesServiceFromNode) {
  EXPECT_NE(registry_pair_hash("ab", "c@h"), registry_pair_hash("a", "bc@h"));
  EXPECT_NE(registry_pair_hash("a", "n1@h"), registry_pair_hash("a", "n2@h"));
}

TEST(ServicePattern, ExpandsIndexAndK) {
  EXPECT_EQ(expand_service("svc{k}", 7, 3), "svc3");
  EXPECT_EQ(expand_service("job-{i}-{k}-{i}", 12, 1), "job-12-1-12");
  EXPECT_EQ(expand_service("plain{x}", 1, 1), "plain{x}");
  EXPECT_EQ(service_bytes_max("job-{i}-{k}", 1000, 10), std::string("job-1000-10").size());
}

TEST(RegistryAgreement, IntervalStartsAtTheChangeAndEndsAtTheFirstAgreeingSample) {
  RegistryAgreement g(2);
  g.on_sample(at_ms(100), true);
  g.on_truth_change(at_ms(150));
  g.on_disruption("register", at_ms(150));
  g.on_sample(at_ms(200), false);
  g.on_sample(at_ms(300), false);
  EXPECT_TRUE(g.agreed_since().is_never());
  g.on_sample(at_ms(400), true);
  // A disagreement without a truth change (e.g. a false death) starts at its sample.
  g.on_sample(at_ms(500), false);
  g.on_sample(at_ms(900), true);
  g.on_truth_change(at_ms(950));  // never disagrees: no interval
  g.on_sample(at_ms(1000), true);
  RegistryReport r;
  g.finish(&r);
  ASSERT_EQ(r.intervals.size(), 2u);
  EXPECT_EQ(r.intervals[0].from, at_ms(150));
  EXPECT_EQ(r.intervals[0].to, at_ms(400));
  EXPECT_EQ(r.intervals[1].from, at_ms(500));
  EXPECT_EQ(r.intervals[1].to, at_ms(900));
  ASSERT_EQ(r.disruptions.size(), 1u);
  EXPECT_EQ(r.disruptions[0].agreed_at, at_ms(400));
  EXPECT_EQ(r.converged, 2u);
  EXPECT_EQ(r.median, Duration::millis(250));
  EXPECT_EQ(r.max, Duration::millis(400));
  EXPECT_EQ(r.p90, Duration::millis(400));
  EXPECT_EQ(r.agreed_since, at_ms(900));
  EXPECT_EQ(r.last_truth_change, at_ms(950));
  EXPECT_EQ(r.samples, 7u);
}

TEST(RegistryAgreement, OpenIntervalAtTheEndIsReportedWithoutAnEnd) {
  RegistryAgreement g(1);
  g.on_registered(0, 42);
  EXPECT_EQ(g.view(0), 42u);
  g.on_removed(0, 40);
  EXPECT_EQ(g.view(0), 2u);
  g.reset_node(0);
  EXPECT_EQ(g.view(0), 0u);
  g.on_truth_change(at_ms(10));
  g.on_disruption("crash", at_ms(10));
  g.on_sample(at_ms(100), false);
  RegistryReport r;
  g.finish(&r);
  ASSERT_EQ(r.intervals.size(), 1u);
  EXPECT_EQ(r.intervals[0].from, at_ms(10));
  EXPECT_TRUE(r.intervals[0].to.is_never());
  EXPECT_TRUE(r.disruptions[0].agreed_at.is_never());
  EXPECT_EQ(r.converged, 0u);
  EXPECT_TRUE(r.agreed_since.is_never());
}

}  // namespace
}  // namespace barrel::sim
