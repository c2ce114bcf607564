// hlc.h — the hybrid logical clock (HLC; Kulkarni et al., "Logical Physical
// Clocks and Consistent Snapshots in Globally Distributed Databases", 2014).
//
// A timestamp is (wall_us, logical): wall_us follows the largest physical
// time seen (ours or a peer's), logical counts events within one wall_us.
// Timestamps are totally ordered lexicographically; where two nodes may
// produce the same timestamp, HlcStamp adds a caller-given tiebreak (e.g. a
// replica id) to make the order total across the cluster.
//
// The core never reads a clock: `physical_us` is an input, the host's clock
// in microseconds since its epoch. The HLC stays monotonic even if that input
// goes backwards (then only `logical` advances).
//
// Skew tolerance: a received timestamp more than `max_offset` ahead of our
// physical time is rejected (kMalformed) and the clock does not move, so one
// peer with a broken clock cannot drag everyone's clock into the future.
//
// Logical overflow: when `logical` would pass UINT32_MAX, wall_us advances by
// one microsecond and logical restarts at 0 (the clock runs one microsecond
// ahead of physical time at most once per 2^32 events in one microsecond,
// which keeps the order strict without failing the caller).
//
// Thread-safety: a plain value; one per Node.
#pragma once

#include <compare>
#include <cstdint>

#include "barrel/result.h"
#include "barrel/time.h"

namespace barrel {

struct HlcTimestamp {
  uint64_t wall_us = 0;
  uint32_t logical = 0;
  constexpr auto operator<=>(const HlcTimestamp&) const = default;
};

// A timestamp made unique across nodes by a tiebreak the caller chooses (a
// replica id or an interned-independent value; never a NodeId handle).
struct HlcStamp {
  HlcTimestamp ts;
  uint64_t tiebreak = 0;
  constexpr auto operator<=>(const HlcStamp&) const = default;
};

class Hlc {
 public:
  // Default largest accepted lead of a peer's clock over ours.
  static constexpr Duration kMaxOffsetDefault = Duration::seconds(60);
  // Physical inputs must stay below this (2^62 µs is ~146,000 years), so
  // wall_us + 1 on logical overflow and physical + max_offset never wrap.
  static constexpr uint64_t kPhysicalUsMax = uint64_t{1} << 62;

  // REQUIRES: 0 <= max_offset.us() < kPhysicalUsMax.
  explicit Hlc(Duration max_offset = kMaxOffsetDefault);

  // A timestamp for a local or send event: strictly greater than every
  // timestamp this clock returned or accepted before.
  // REQUIRES: physical_us < kPhysicalUsMax.
  HlcTimestamp now(uint64_t physical_us);

  // Merges a timestamp received from a peer and returns the timestamp of the
  // receive event: strictly greater than both `received` and every earlier
  // timestamp of this clock.
  // Returns kMalformed if `received.wall_us` is more than max_offset ahead of
  // `physical_us` (the clock is unchanged: the caller drops the message or its
  // timestamp). REQUIRES: physical_us < kPhysicalUsMax.
  Result<HlcTimestamp> update(uint64_t physical_us, HlcTimestamp received);

  // The last timestamp returned (or the zero timestamp).
  HlcTimestamp last() const { return last_; }
  Duration max_offset() const { return max_offset_; }

 private:
  // last_ moved to (wall, logical + 1) with overflow carried into wall.
  static HlcTimestamp successor(uint64_t wall_us, uint32_t logical);

  Duration max_offset_;
  HlcTimestamp last_;
};

}  // namespace barrel
