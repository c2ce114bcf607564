// broadcast_codec.h — the payload of a kRegistry broadcast.
//
// Grammar:
//   payload := reason:u8 delta        (delta: ormap/delta_codec.h)
//   reason  := 0 (plain: registrations, unregistrations)
//            | 1 (endpoint closed)
//            | 2 (owner restart cleanup: a new life removes its old lives' entries)
//                                     else kMalformed
// The reason only qualifies the removals the delta carries: receivers report
// them as ServiceUnregistered, ServiceDown{kEndpointClosed} or
// ServiceDown{kNodeDead}. An empty payload is kTruncated.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "barrel/result.h"
#include "barrel/status.h"
#include "ormap/delta.h"
#include "ormap/delta_codec.h"

namespace barrel::registry {

enum class RemovalReason : uint8_t {
  kPlain = 0,
  kEndpointClosed = 1,
  kOwnerRestart = 2,
};
inline constexpr uint8_t kRemovalReasonMax = 2;

struct RegistryBroadcast {
  RemovalReason reason = RemovalReason::kPlain;
  ormap::Delta delta;
};

// Appends reason and delta to *out. kLimitExceeded (out unchanged) as
// encode_delta(). REQUIRES: out != nullptr.
Status encode_broadcast(RemovalReason reason, const ormap::Delta& delta, std::vector<uint8_t>* out);

// Decodes a payload; `check` as for decode_delta. Returns kTruncated (empty),
// kMalformed (unknown reason: "reason N") or decode_delta's codes.
Result<RegistryBroadcast> decode_broadcast(std::span<const uint8_t> in,
                                           const ormap::DotCheck& check);

}  // namespace barrel::registry
