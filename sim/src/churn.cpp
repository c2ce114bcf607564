// churn.cpp — Poisson gaps and session lengths (see churn.h).
#include "churn.h"

#include <cmath>

#include "barrel/assert.h"

namespace barrel::sim {
namespace {

// Uniform in (0, 1], from the 53 high bits: never 0, so ln() is finite.
double unit_open_zero(Rng* rng) {
  const uint64_t bits = (rng->next() >> 11) + 1;
  return static_cast<double>(bits) / 9007199254740992.0;  // 2^53
}

// Rounds a length in microseconds to a Duration in [1 us, kSessionMax].
Duration clamp_us(double us) {
  const double max = static_cast<double>(kSessionMax.us());
  if (!(us >= 1.0))
    return Duration::micros(1);  // also catches NaN
  if (us >= max)
    return kSessionMax;
  return Duration::micros(static_cast<int64_t>(std::llround(us)));
}

}  // namespace

Duration gap_draw(uint64_t per_second_ppm, Rng* rng) {
  BARREL_ASSERT(per_second_ppm > 0);
  // Mean gap in microseconds: 10^6 us / (per_second_ppm / 10^6).
  const double mean_us = 1e12 / static_cast<double>(per_second_ppm);
  const Duration gap = clamp_us(-std::log(unit_open_zero(rng)) * mean_us);
  BARREL_ASSERT(gap >= Duration::micros(1));
  return gap;
}

Duration session_draw(const SessionModel& model, Rng* rng) {
  BARREL_ASSERT(model.mean >= Duration::zero());
  switch (model.kind) {
    case SessionModel::Kind::kConstant:
      return clamp_us(static_cast<double>(model.mean.us()));
    case SessionModel::Kind::kExponential:
      return clamp_us(-std::log(unit_open_zero(rng)) * static_cast<double>(model.mean.us()));
    case SessionModel::Kind::kUniform:
      BARREL_ASSERT(model.min <= model.max);
      return clamp_us(static_cast<double>(rng->range(model.min.us(), model.max.us())));
    case SessionModel::Kind::kLognormal: {
      const double u1 = unit_open_zero(rng);
      const double u2 = unit_open_zero(rng);
      const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
      const double sigma = static_cast<double>(model.sigma_ppm) / 1e6;
      return clamp_us(static_cast<double>(model.mean.us()) * std::exp(sigma * z));
    }
  }
  BARREL_ASSERT(false && "unknown session model");
  return Duration::micros(1);
}

}  // namespace barrel::sim
