// latency_model.h — drawing one link latency from a LatencyModel.
//
// Kinds (scenario.h):
//   kConstant   min
//   kUniform    min + r mod (max - min + 1) microseconds
//   kNormal     round(center + stddev * z), z standard normal
//   kLognormal  round(center * e^(sigma * z)), center the median (e^mu)
// Every draw is clamped to [min, max] (a normal has unbounded tails; the
// clamp puts the excess mass on the bounds, which is what a "bounded" model
// means here). Default bounds, filled by the loader when a scenario gives
// none (apply_default_bounds): kNormal [max(0, mean - 4 sd), mean + 4 sd];
// kLognormal [median * e^(-4 sigma), median * e^(4 sigma)], the upper one at
// most kLatencyDefaultMax. Beyond 4 sigma lies 6e-5 of a normal's mass.
//
// Randomness: a draw consumes splitmix64 outputs from *state, a stateless
// counter the caller seeds (network.h seeds it from the network seed and the
// link's pair), so a link's latency needs no stored state. z comes from the
// Marsaglia polar method on two 53-bit uniforms: std::log and std::sqrt in
// double, once per draw, rounded to integer microseconds at once; at most
// kPolarRoundsMax rejection rounds (the chance of more is 0.215^16), then z
// = 0. For one binary the result is a pure function of the state.
//
// Thread-safety: free functions.
#pragma once

#include <cstdint>
#include <string>

#include "barrel/sim/scenario.h"
#include "barrel/time.h"

namespace barrel::sim {

inline constexpr Duration kLatencyDefaultMax = Duration::seconds(60);
inline constexpr uint32_t kPolarRoundsMax = 16;

// One draw. REQUIRES: latency_model_valid(m).
Duration draw_latency(const LatencyModel& m, uint64_t* state);

// Sets min and max of a kNormal or kLognormal model from its parameters
// (above); other kinds are left as they are.
void apply_default_bounds(LatencyModel* m);

// True if the model can be drawn from: 0 <= min <= max (kConstant: min >= 0),
// stddev >= 0. Else false and *why says what is wrong.
bool latency_model_valid(const LatencyModel& m, std::string* why);

}  // namespace barrel::sim
