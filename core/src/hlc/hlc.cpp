// hlc.cpp — the hybrid logical clock (hlc.h).
#include "hlc/hlc.h"

#include <algorithm>
#include <string>

#include "barrel/assert.h"

namespace barrel {

Hlc::Hlc(Duration max_offset) : max_offset_(max_offset) {
  BARREL_ASSERT(max_offset.us() >= 0);
  BARREL_ASSERT(static_cast<uint64_t>(max_offset.us()) < kPhysicalUsMax);
}

HlcTimestamp Hlc::successor(uint64_t wall_us, uint32_t logical) {
  if (logical == UINT32_MAX)
    return {wall_us + 1, 0};
  return {wall_us, logical + 1};
}

HlcTimestamp Hlc::now(uint64_t physical_us) {
  BARREL_ASSERT(physical_us < kPhysicalUsMax);
  const HlcTimestamp before = last_;
  if (physical_us > last_.wall_us)
    last_ = {physical_us, 0};
  else
    last_ = successor(last_.wall_us, last_.logical);
  BARREL_ASSERT(last_ > before);
  return last_;
}

Result<HlcTimestamp> Hlc::update(uint64_t physical_us, HlcTimestamp received) {
  BARREL_ASSERT(physical_us < kPhysicalUsMax);
  const uint64_t lead_max_us = static_cast<uint64_t>(max_offset_.us());
  // Compared as received - physical > max, never physical + max: the received
  // wall time comes from a peer and may be anything up to UINT64_MAX.
  if (received.wall_us > physical_us && received.wall_us - physical_us > lead_max_us) {
    return Status(Code::kMalformed, "hlc: received wall time " + std::to_string(received.wall_us) +
                                        " us is more than " + std::to_string(lead_max_us) +
                                        " us ahead of physical " + std::to_string(physical_us));
  }
  const HlcTimestamp before = last_;
  const uint64_t wall_us = std::max({last_.wall_us, received.wall_us, physical_us});
  if (wall_us == last_.wall_us && wall_us == received.wall_us)
    last_ = successor(wall_us, std::max(last_.logical, received.logical));
  else if (wall_us == last_.wall_us)
    last_ = successor(wall_us, last_.logical);
  else if (wall_us == received.wall_us)
    last_ = successor(wall_us, received.logical);
  else
    last_ = {wall_us, 0};
  BARREL_ASSERT(last_ > before);
  BARREL_ASSERT(last_ > received);
  return last_;
}

}  // namespace barrel
