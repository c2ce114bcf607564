// time.h — the one time type of the core.
//
// The core never reads a clock: every handler takes `now` as an Instant that
// the host supplies (the simulator's virtual clock, or the runtime's monotonic
// clock). Both types count integer microseconds, so arithmetic is exact and
// identical on every platform; conversion to other units (ngtcp2's nanosecond
// ngtcp2_tstamp) happens only in the hosts.
//
// Instant::never() (UINT64_MAX) is the "no deadline" sentinel returned by
// next_deadline() functions. Adding a Duration to never() stays never().
//
// Thread-safety: plain values.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>

namespace barrel {

// A signed span of time in microseconds.
class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration micros(int64_t us) { return Duration(us); }
  static constexpr Duration millis(int64_t ms) { return Duration(ms * 1000); }
  static constexpr Duration seconds(int64_t s) { return Duration(s * 1000 * 1000); }
  static constexpr Duration zero() { return Duration(0); }

  constexpr int64_t us() const { return us_; }
  constexpr int64_t ms() const { return us_ / 1000; }

  constexpr Duration operator+(Duration o) const { return Duration(us_ + o.us_); }
  constexpr Duration operator-(Duration o) const { return Duration(us_ - o.us_); }
  constexpr Duration operator*(int64_t k) const { return Duration(us_ * k); }
  constexpr Duration operator/(int64_t k) const { return Duration(us_ / k); }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(int64_t us) : us_(us) {}
  int64_t us_ = 0;
};

// A point in time: microseconds since an epoch chosen by the host.
class Instant {
 public:
  constexpr Instant() = default;
  static constexpr Instant from_us(uint64_t us) { return Instant(us); }
  static constexpr Instant zero() { return Instant(0); }
  // The sentinel for "no deadline". Compares greater than every real instant.
  static constexpr Instant never() { return Instant(std::numeric_limits<uint64_t>::max()); }

  constexpr uint64_t us() const { return us_; }
  constexpr bool is_never() const { return us_ == never().us_; }

  // Saturating: never() + d == never(); a negative result clamps to zero.
  constexpr Instant operator+(Duration d) const {
    if (is_never())
      return *this;
    if (d.us() < 0) {
      const uint64_t back = static_cast<uint64_t>(-d.us());
      return Instant(back > us_ ? 0 : us_ - back);
    }
    const uint64_t fwd = static_cast<uint64_t>(d.us());
    return Instant(fwd >= never().us_ - us_ ? never().us_ - 1 : us_ + fwd);
  }
  constexpr Instant operator-(Duration d) const { return *this + Duration::micros(-d.us()); }
  // REQUIRES: neither is never().
  constexpr Duration operator-(Instant o) const {
    return Duration::micros(static_cast<int64_t>(us_) - static_cast<int64_t>(o.us_));
  }
  constexpr auto operator<=>(const Instant&) const = default;

 private:
  constexpr explicit Instant(uint64_t us) : us_(us) {}
  uint64_t us_ = 0;
};

}  // namespace barrel
