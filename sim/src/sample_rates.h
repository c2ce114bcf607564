// sample_rates.h — rates and means derived from RunReport::samples, shared
// by the CSV and HTML reports. Doubles: outputs for people only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "barrel/assert.h"
#include "barrel/sim/simulator.h"

namespace barrel::sim {

// Per second over the interval (samples[k-1], samples[k]] of the cumulative
// counter `field`; 0 for the first sample.
inline double rate_per_second(const std::vector<RunSample>& samples, size_t k,
                              uint64_t RunSample::*field) {
  BARREL_ASSERT(k < samples.size());
  if (k == 0)
    return 0;
  const RunSample& a = samples[k - 1];
  const RunSample& b = samples[k];
  BARREL_ASSERT(b.at > a.at && b.*field >= a.*field);
  const double seconds = static_cast<double>((b.at - a.at).us()) / 1e6;
  return static_cast<double>(b.*field - a.*field) / seconds;
}

inline double seconds_of(Instant t) {
  return static_cast<double>(t.us()) / 1e6;
}

inline double mean_of(uint64_t sum, uint32_t count) {
  return count == 0 ? 0.0 : static_cast<double>(sum) / static_cast<double>(count);
}

// The registry agreement of a sample as a fraction of its members (1 when
// there is none).
inline double agreement_of(const RunSample& s) {
  return s.members == 0 ? 1.0
                        : static_cast<double>(s.registry_agreeing) / static_cast<double>(s.members);
}

}  // namespace barrel::sim
