// latency_model.cpp — link latency draws (semantics in latency_model.h).
#include "latency_model.h"

#include <cmath>

#include "barrel/assert.h"
#include "barrel/rng.h"

namespace barrel::sim {
namespace {

// Uniform in [-1, 1) from the top 53 bits of one splitmix64 output.
double signed_unit(uint64_t* state) {
  const uint64_t r = splitmix64(state) >> 11;
  return static_cast<double>(r) * (2.0 / 9007199254740992.0) - 1.0;
}

// A standard normal draw (Marsaglia polar), or 0 after kPolarRoundsMax
// rejections.
double standard_normal(uint64_t* state) {
  for (uint32_t round = 0; round < kPolarRoundsMax; ++round) {
    const double u = signed_unit(state);
    const double v = signed_unit(state);
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0)
      return u * std::sqrt(-2.0 * std::log(s) / s);
  }
  return 0.0;
}

// Clamps in double first, so the conversion never overflows.
Duration clamp_round(double us, Duration min, Duration max) {
  BARREL_ASSERT(min <= max);
  const double lo = static_cast<double>(min.us());
  const double hi = static_cast<double>(max.us());
  if (!(us >= lo))  // also NaN
    return min;
  if (us >= hi)
    return max;
  const auto rounded = static_cast<int64_t>(us + 0.5);
  const Duration d = Duration::micros(rounded);
  BARREL_ASSERT(d >= min && d <= max);
  return d;
}

Duration from_double(double us) {
  constexpr double kMax = static_cast<double>(kLatencyDefaultMax.us());
  if (!(us > 0.0))
    return Duration::zero();
  return us >= kMax ? kLatencyDefaultMax : Duration::micros(static_cast<int64_t>(us + 0.5));
}

}  // namespace

Duration draw_latency(const LatencyModel& m, uint64_t* state) {
  BARREL_ASSERT(m.min >= Duration::zero());
  switch (m.kind) {
    case LatencyModel::Kind::kConstant:
      return m.min;
    case LatencyModel::Kind::kUniform: {
      // Kept bit for bit as before the other kinds existed (pinned hashes).
      BARREL_ASSERT(m.max >= m.min);
      const uint64_t r = splitmix64(state);
      const uint64_t span = static_cast<uint64_t>((m.max - m.min).us()) + 1;
      return m.min + Duration::micros(static_cast<int64_t>(r % span));
    }
    case LatencyModel::Kind::kNormal: {
      const double z = standard_normal(state);
      const double us = static_cast<double>(m.center.us()) + static_cast<double>(m.stddev.us()) * z;
      return clamp_round(us, m.min, m.max);
    }
    case LatencyModel::Kind::kLognormal: {
      const double z = standard_normal(state);
      const double sigma = static_cast<double>(m.sigma_ppm) / 1e6;
      const double us = static_cast<double>(m.center.us()) * std::exp(sigma * z);
      return clamp_round(us, m.min, m.max);
    }
  }
  BARREL_ASSERT(false && "unknown latency kind");
  return m.min;
}

void apply_default_bounds(LatencyModel* m) {
  BARREL_ASSERT(m != nullptr);
  if (m->kind == LatencyModel::Kind::kNormal) {
    const Duration spread = m->stddev * 4;
    m->min = m->center > spread ? m->center - spread : Duration::zero();
    m->max = m->center + spread;
  } else if (m->kind == LatencyModel::Kind::kLognormal) {
    const double sigma4 = 4.0 * static_cast<double>(m->sigma_ppm) / 1e6;
    const double median = static_cast<double>(m->center.us());
    m->min = from_double(median * std::exp(-sigma4));
    m->max = from_double(median * std::exp(sigma4));
    if (m->min > m->max)
      m->min = m->max;  // a median above kLatencyDefaultMax
  }
}

bool latency_model_valid(const LatencyModel& m, std::string* why) {
  if (m.min < Duration::zero()) {
    *why = "the latency minimum is negative";
    return false;
  }
  if (m.kind != LatencyModel::Kind::kConstant && m.max < m.min) {
    *why = "the latency minimum is above the maximum";
    return false;
  }
  if (m.stddev < Duration::zero() || m.center < Duration::zero()) {
    *why = "a latency mean, median or stddev is negative";
    return false;
  }
  return true;
}

}  // namespace barrel::sim
