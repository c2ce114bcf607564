// broadcast_codec.cpp — kRegistry broadcast payloads (broadcast_codec.h).
#include "registry/broadcast_codec.h"

#include <string>
#include <utility>

#include "barrel/assert.h"

namespace barrel::registry {

Status encode_broadcast(RemovalReason reason, const ormap::Delta& delta,
                        std::vector<uint8_t>* out) {
  BARREL_ASSERT(out != nullptr);
  BARREL_ASSERT(static_cast<uint8_t>(reason) <= kRemovalReasonMax);
  const size_t before = out->size();
  out->push_back(static_cast<uint8_t>(reason));
  if (Status s = ormap::encode_delta(delta, out); !s.is_ok()) {
    out->resize(before);
    return s;
  }
  return Status::ok();
}

Result<RegistryBroadcast> decode_broadcast(std::span<const uint8_t> in,
                                           const ormap::DotCheck& check) {
  if (in.empty())
    return Status(Code::kTruncated, "registry broadcast: empty payload");
  if (in[0] > kRemovalReasonMax)
    return Status(Code::kMalformed, "registry broadcast: reason " + std::to_string(in[0]));
  Result<ormap::Delta> delta = ormap::decode_delta(in.subspan(1), check);
  if (!delta.is_ok())
    return Status(delta.status().code(),
                  "registry broadcast: delta: " + std::string(delta.status().message()));
  return RegistryBroadcast{static_cast<RemovalReason>(in[0]), std::move(delta).value()};
}

}  // namespace barrel::registry
