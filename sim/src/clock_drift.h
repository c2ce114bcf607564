// clock_drift.h — per-node local clocks over the simulator's virtual time.
//
// Node i's clock reads local_i(t) = offset_i + floor(t * (10^6 + drift_i) /
// 10^6) at virtual instant t (microseconds), drift_i in parts per million,
// both drawn once per node at construction (uniformly in the ClockModel's
// ranges, from the clock Rng, in node order), and kept across the node's
// restarts (a restart is a new process on the same machine). Integer
// arithmetic only (128-bit products), so the mapping is exact and monotonic.
//
// The engine feeds a node local_i(now) wherever it hands a node the time, and
// turns the node's next deadline D (local) back into virtual time with
// to_virtual: the first t with local_i(t) >= D, i.e.
// ceil((D - offset_i) * 10^6 / (10^6 + drift_i)) (0 when D <= offset_i), so
// a timer never fires before the node's own clock reaches it.
//
// Disabled (ClockModel all zero): nothing is drawn, no memory is used, and
// both mappings are the identity, so runs without drift are unchanged.
// Memory: 16 bytes per node when enabled.
//
// Thread-safety: one owner.
#pragma once

#include <cstdint>
#include <vector>

#include "barrel/sim/scenario.h"
#include "barrel/time.h"

namespace barrel::sim {

class NodeClocks {
 public:
  // REQUIRES: model valid (drift bounds within +-kClockDriftPpmMax, min <=
  // max, offsets >= 0).
  NodeClocks(const ClockModel& model, uint64_t seed, uint32_t node_count);

  bool enabled() const { return !clocks_.empty(); }

  // Node i's clock at virtual instant t (never stays never).
  Instant local(uint32_t i, Instant t) const;
  // The first virtual instant at which node i's clock reads >= `local`.
  Instant to_virtual(uint32_t i, Instant local) const;

  int32_t drift_ppm(uint32_t i) const { return enabled() ? clocks_[i].drift_ppm : 0; }
  Duration offset(uint32_t i) const {
    return enabled() ? Duration::micros(clocks_[i].offset_us) : Duration::zero();
  }

 private:
  struct Clock {
    int64_t offset_us;
    int32_t drift_ppm;
  };
  std::vector<Clock> clocks_;  // per node; empty when disabled
};

}  // namespace barrel::sim
