// rng.h — the seeded, portable random number generator of the core.
//
// Every random decision in the core draws from an Rng that the host seeded;
// nothing reads std::random_device or a global generator. The algorithm is
// xoshiro256** (Blackman & Vigna), seeded through splitmix64, and every
// derived quantity uses integer arithmetic only, so one seed gives the same
// numbers on every platform and standard library (std::*_distribution does
// not: its output is implementation-defined, so it is not used).
//
// Probabilities are integer parts per million (Ppm), as TigerBeetle's Ratio.
//
// Seed derivation (documented so runs stay stable as scenarios grow):
//   derive_seed(root, domain, index) = splitmix64 chain over (root, domain, index).
// The simulator gives node i the seed derive_seed(run_seed, kDomainNode, i), so
// adding a node does not reshuffle the others.
//
// Thread-safety: one Rng per owner; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "barrel/assert.h"

namespace barrel {

// Parts per million: 0 = never, 1'000'000 = always.
using Ppm = uint32_t;
inline constexpr Ppm kPpmOne = 1'000'000;

// One step of splitmix64: advances *state and returns a well-mixed value.
constexpr uint64_t splitmix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Seed domains: which subsystem a derived seed is for.
enum class SeedDomain : uint64_t { kNode = 1, kNetwork = 2, kWorkload = 3, kFaults = 4 };

constexpr uint64_t derive_seed(uint64_t root, SeedDomain domain, uint64_t index) {
  uint64_t s = root;
  uint64_t a = splitmix64(&s);
  s = a ^ (static_cast<uint64_t>(domain) * 0xD1B54A32D192ED03ull);
  uint64_t b = splitmix64(&s);
  s = b ^ index;
  splitmix64(&s);
  return splitmix64(&s);
}

class Rng {
 public:
  explicit constexpr Rng(uint64_t seed) {
    uint64_t s = seed;
    for (auto& w : s_)
      w = splitmix64(&s);
  }

  // A uniformly distributed 64-bit value.
  constexpr uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n). REQUIRES: n > 0. Unbiased (rejection of the short
  // tail); the loop ends with probability 1 - (n / 2^64)^k after k rounds.
  constexpr uint64_t uniform(uint64_t n) {
    BARREL_ASSERT(n > 0);
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const uint64_t r = next();
      if (r >= threshold)
        return r % n;
    }
  }

  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  constexpr int64_t range(int64_t lo, int64_t hi) {
    BARREL_ASSERT(lo <= hi);
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    if (span == UINT64_MAX)
      return static_cast<int64_t>(next());
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + uniform(span + 1));
  }

  // True with probability ppm / 1'000'000. REQUIRES: ppm <= kPpmOne.
  constexpr bool chance(Ppm ppm) {
    BARREL_ASSERT(ppm <= kPpmOne);
    return uniform(kPpmOne) < ppm;
  }

  // Fisher–Yates shuffle of [first, first + count).
  template <typename T>
  constexpr void shuffle(T* first, size_t count) {
    for (size_t i = count; i > 1; --i) {
      const size_t j = static_cast<size_t>(uniform(i));
      std::swap(first[i - 1], first[j]);
    }
  }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4] = {};
};

}  // namespace barrel
