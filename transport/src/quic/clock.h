// clock.h — the one clock of the QUIC code: steady_clock in nanoseconds, the
// unit of ngtcp2_tstamp (quic.md, gotcha 11). Timers use the same clock, so an
// ngtcp2 expiry converts to an Asio deadline without an offset.
#pragma once

#include <chrono>
#include <cstdint>

#include "barrel/time.h"

namespace barrel::transport::quic {

inline uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

inline std::chrono::steady_clock::time_point to_time_point(uint64_t ns) {
  return std::chrono::steady_clock::time_point(
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::nanoseconds(ns)));
}

inline uint64_t to_ns(Duration d) {
  return d.us() <= 0 ? 0 : static_cast<uint64_t>(d.us()) * 1000;
}

}  // namespace barrel::transport::quic
