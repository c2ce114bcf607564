// latency_model_test.cpp — goal: every latency distribution stays within its
// [min, max] and has roughly its shape (mean, spread, median), default bounds
// are as latency_model.h states, draws are a pure function of the state, and
// Network picks a link's model from the class overrides (first match wins,
// either direction) and from the base model otherwise. Method: 20000
// deterministic draws per model from states 0..19999 (a fixed sample, so the
// tolerances are checked once and cannot flake), statistics in double.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "latency_model.h"
#include "network.h"

namespace barrel::sim {
namespace {

constexpr uint64_t kDraws = 20'000;

std::vector<int64_t> sample(const LatencyModel& m) {
  std::vector<int64_t> out;
  for (uint64_t i = 0; i < kDraws; ++i) {
    uint64_t state = i * 0x9E3779B97F4A7C15ull;
    out.push_back(draw_latency(m, &state).us());
  }
  return out;
}

double mean_of(const std::vector<int64_t>& v) {
  double sum = 0;
  for (int64_t x : v)
    sum += static_cast<double>(x);
  return sum / static_cast<double>(v.size());
}

double stddev_of(const std::vector<int64_t>& v) {
  const double m = mean_of(v);
  double sum = 0;
  for (int64_t x : v)
    sum += (static_cast<double>(x) - m) * (static_cast<double>(x) - m);
  return std::sqrt(sum / static_cast<double>(v.size()));
}

int64_t median_of(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

LatencyModel normal(int64_t mean_ms, int64_t sd_ms) {
  LatencyModel m;
  m.kind = LatencyModel::Kind::kNormal;
  m.center = Duration::millis(mean_ms);
  m.stddev = Duration::millis(sd_ms);
  apply_default_bounds(&m);
  return m;
}

LatencyModel lognormal(int64_t median_ms, uint32_t sigma_ppm) {
  LatencyModel m;
  m.kind = LatencyModel::Kind::kLognormal;
  m.center = Duration::millis(median_ms);
  m.sigma_ppm = sigma_ppm;
  apply_default_bounds(&m);
  return m;
}

TEST(LatencyModel, ConstantIsMinAndUniformCoversItsRangeEvenly) {
  LatencyModel c;
  c.min = Duration::millis(7);
  for (int64_t x : sample(c))
    ASSERT_EQ(x, 7000);
  LatencyModel u;
  u.kind = LatencyModel::Kind::kUniform;
  u.min = Duration::millis(10);
  u.max = Duration::millis(30);
  const std::vector<int64_t> v = sample(u);
  for (int64_t x : v) {
    ASSERT_GE(x, 10'000);
    ASSERT_LE(x, 30'000);
  }
  EXPECT_NEAR(mean_of(v), 20'000, 150);
  EXPECT_NEAR(stddev_of(v), 20'000 / std::sqrt(12.0), 150);
}

TEST(LatencyModel, NormalHasItsMeanSpreadAndDefaultBounds) {
  const LatencyModel m = normal(50, 10);
  EXPECT_EQ(m.min, Duration::millis(10));
  EXPECT_EQ(m.max, Duration::millis(90));
  const std::vector<int64_t> v = sample(m);
  size_t within_one_sd = 0;
  for (int64_t x : v) {
    ASSERT_GE(x, 10'000);
    ASSERT_LE(x, 90'000);
    within_one_sd += (x >= 40'000 && x <= 60'000) ? 1 : 0;
  }
  EXPECT_NEAR(mean_of(v), 50'000, 300);
  EXPECT_NEAR(stddev_of(v), 10'000, 300);
  EXPECT_NEAR(static_cast<double>(within_one_sd) / kDraws, 0.6827, 0.015);
  // A mean below 4 sd: the lower default bound is 0, never negative.
  EXPECT_EQ(normal(10, 5).min, Duration::zero());
}

TEST(LatencyModel, NormalIsClampedToExplicitBounds) {
  LatencyModel m = normal(50, 10);
  m.min = Duration::millis(45);
  m.max = Duration::millis(55);
  size_t at_min = 0, at_max = 0;
  for (int64_t x : sample(m)) {
    ASSERT_GE(x, 45'000);
    ASSERT_LE(x, 55'000);
    at_min += x == 45'000 ? 1 : 0;
    at_max += x == 55'000 ? 1 : 0;
  }
  // P(z < -0.5) = 0.3085 lands on each bound.
  EXPECT_NEAR(static_cast<double>(at_min) / kDraws, 0.3085, 0.015);
  EXPECT_NEAR(static_cast<double>(at_max) / kDraws, 0.3085, 0.015);
}

TEST(LatencyModel, LognormalHasItsMedianMeanAndDefaultBounds) {
  const LatencyModel m = lognormal(40, 500'000);  // sigma 0.5
  EXPECT_NEAR(m.min.us(), 40'000 * std::exp(-2.0), 1);
  EXPECT_NEAR(m.max.us(), 40'000 * std::exp(2.0), 1);
  const std::vector<int64_t> v = sample(m);
  for (int64_t x : v) {
    ASSERT_GE(x, m.min.us());
    ASSERT_LE(x, m.max.us());
  }
  EXPECT_NEAR(median_of(v), 40'000, 800);
  EXPECT_NEAR(mean_of(v), 40'000 * std::exp(0.125), 600);  // median * e^(sigma^2 / 2)
  // Right-skewed: the mean is above the median.
  EXPECT_GT(mean_of(v), static_cast<double>(median_of(v)));
  // A huge median: the upper default bound is kLatencyDefaultMax.
  const LatencyModel big = lognormal(50'000, 1'000'000);
  EXPECT_EQ(big.max, kLatencyDefaultMax);
  EXPECT_LE(big.min, big.max);
}

TEST(LatencyModel, DrawsArePureFunctionsOfTheState) {
  const LatencyModel m = lognormal(40, 800'000);
  for (uint64_t i = 0; i < 100; ++i) {
    uint64_t a = i, b = i;
    EXPECT_EQ(draw_latency(m, &a), draw_latency(m, &b));
    EXPECT_EQ(a, b);
  }
}

TEST(LatencyModel, ValidityNamesWhatIsWrong) {
  std::string why;
  LatencyModel m;
  EXPECT_TRUE(latency_model_valid(m, &why));
  m.kind = LatencyModel::Kind::kUniform;
  m.min = Duration::millis(20);
  m.max = Duration::millis(10);
  EXPECT_FALSE(latency_model_valid(m, &why));
  EXPECT_NE(why.find("above the maximum"), std::string::npos);
  m.min = Duration::millis(-1);
  EXPECT_FALSE(latency_model_valid(m, &why));
  EXPECT_NE(why.find("negative"), std::string::npos);
}

// Nodes 0..3 "east", 4..7 "west"; override 0: east<->west 100 ms; override
// 1: everyone with node 0 (a later override loses where the first matches).
TEST(LatencyModel, NetworkPicksTheFirstMatchingClassInEitherDirection) {
  NetworkSpec spec;
  spec.latency.min = spec.latency.max = Duration::millis(5);
  Network n(spec, 1, 2, 8);
  LatencyModel far, near0;
  far.min = far.max = Duration::millis(100);
  near0.min = near0.max = Duration::millis(1);
  std::vector<uint32_t> masks(8, 0);
  for (uint32_t i = 0; i < 4; ++i)
    masks[i] |= 1u;  // override 0 from
  for (uint32_t i = 4; i < 8; ++i)
    masks[i] |= 2u;  // override 0 to
  masks[0] |= 4u;    // override 1 from: node 0
  for (uint32_t i = 0; i < 8; ++i)
    masks[i] |= 8u;  // override 1 to: everyone
  n.set_link_classes({far, near0}, masks);
  EXPECT_EQ(n.latency(1, 5), Duration::millis(100));
  EXPECT_EQ(n.latency(5, 1), Duration::millis(100));
  EXPECT_EQ(n.latency(0, 5), Duration::millis(100));  // both match: the first wins
  EXPECT_EQ(n.latency(0, 2), Duration::millis(1));
  EXPECT_EQ(n.latency(3, 0), Duration::millis(1));
  EXPECT_EQ(n.latency(1, 2), Duration::millis(5));  // no override: the base model
  EXPECT_EQ(n.latency(6, 7), Duration::millis(5));
}

}  // namespace
}  // namespace barrel::sim
