// churn.h — the draws of the churn model: Poisson inter-arrival gaps and
// session lengths.
//
// The model (ChurnAction in scenario.h, engine_churn.cpp): arrivals of one
// churn step form a Poisson process of rate R per second from the step's
// instant `at`: the first arrival is at at + G1, the n-th at at + G1 + ... +
// Gn, with the gaps Gk independent and exponential of mean 1/R seconds,
// while the instant is <= `until`. Each arrival lives one session S drawn
// from the session model, then departs (a crash or a leave()).
//
// Draws, all from the one churn Rng, in this order per arrival: the pool
// node, the contact, the session, then the gap to the next arrival.
// Distributions are computed in double once per draw from integer Rng output
// and rounded to integer microseconds at once (session_draw, gap_draw):
//   U        = ((next() >> 11) + 1) / 2^53, uniform in (0, 1]
//   exponential(mean)   = -ln(U) * mean
//   uniform[A, B]       = Rng::range(A, B) on microseconds (no double)
//   lognormal(median, sigma) = median * exp(sigma * Z), Z = sqrt(-2 ln U1)
//                         * cos(2 pi U2) (Box–Muller, one Z per draw)
// Every session is clamped to [1 us, kSessionMax] and every gap to
// [1 us, kSessionMax], so a draw never overflows and time always advances.
//
// Thread-safety: free functions.
#pragma once

#include <cstdint>

#include "barrel/rng.h"
#include "barrel/sim/scenario.h"
#include "barrel/time.h"

namespace barrel::sim {

// A gap of the Poisson process of rate `per_second_ppm` / 10^6 per second.
// REQUIRES: per_second_ppm > 0.
Duration gap_draw(uint64_t per_second_ppm, Rng* rng);

// A session length drawn from `model`.
Duration session_draw(const SessionModel& model, Rng* rng);

}  // namespace barrel::sim
