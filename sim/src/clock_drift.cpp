// clock_drift.cpp — per-node local clocks (semantics in clock_drift.h).
#include "clock_drift.h"

#include "barrel/assert.h"
#include "barrel/rng.h"

namespace barrel::sim {
namespace {

constexpr int64_t kMillion = 1'000'000;

}  // namespace

NodeClocks::NodeClocks(const ClockModel& model, uint64_t seed, uint32_t node_count) {
  if (!model.enabled())
    return;
  BARREL_ASSERT(model.drift_ppm_min <= model.drift_ppm_max);
  BARREL_ASSERT(model.drift_ppm_min >= -kClockDriftPpmMax &&
                model.drift_ppm_max <= kClockDriftPpmMax);
  BARREL_ASSERT(model.offset_min >= Duration::zero() && model.offset_min <= model.offset_max);
  Rng rng(seed);
  clocks_.resize(node_count);
  for (Clock& c : clocks_) {
    c.drift_ppm = static_cast<int32_t>(rng.range(model.drift_ppm_min, model.drift_ppm_max));
    c.offset_us = rng.range(model.offset_min.us(), model.offset_max.us());
  }
}

Instant NodeClocks::local(uint32_t i, Instant t) const {
  if (!enabled() || t.is_never())
    return t;
  const Clock& c = clocks_[i];
  const __int128 scaled = static_cast<__int128>(t.us()) * (kMillion + c.drift_ppm) / kMillion;
  BARREL_ASSERT(scaled >= 0);
  const auto us = static_cast<uint64_t>(scaled) + static_cast<uint64_t>(c.offset_us);
  BARREL_ASSERT(us < Instant::never().us());
  return Instant::from_us(us);
}

Instant NodeClocks::to_virtual(uint32_t i, Instant local_t) const {
  if (!enabled() || local_t.is_never())
    return local_t;
  const Clock& c = clocks_[i];
  const int64_t since = static_cast<int64_t>(local_t.us()) - c.offset_us;
  if (since <= 0)
    return Instant::zero();
  const __int128 rate = kMillion + c.drift_ppm;
  const __int128 t = (static_cast<__int128>(since) * kMillion + rate - 1) / rate;  // ceil
  const Instant v = Instant::from_us(static_cast<uint64_t>(t));
  BARREL_ASSERT(local(i, v) >= local_t);
  return v;
}

}  // namespace barrel::sim
