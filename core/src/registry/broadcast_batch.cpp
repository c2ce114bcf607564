// broadcast_batch.cpp — grouping deltas into broadcasts (broadcast_batch.h).
#include "registry/broadcast_batch.h"

#include <utility>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "ormap/delta_codec.h"

namespace barrel::registry {

BroadcastBatch::BroadcastBatch(RemovalReason reason, std::vector<Payload>* out)
    : reason_(reason), out_(out) {
  BARREL_ASSERT(out != nullptr);
}

BroadcastBatch::~BroadcastBatch() {
  flush();
}

void BroadcastBatch::add(const ormap::Delta& delta) {
  if (delta.empty())
    return;
  std::vector<uint8_t> alone;
  Status s = encode_broadcast(reason_, delta, &alone);
  BARREL_ASSERT(s.is_ok());
  BARREL_ASSERT(alone.size() <= limits::kBroadcastPayloadBytesMax);
  if (bytes_bound_ + alone.size() > limits::kBroadcastPayloadBytesMax ||
      entries_ + delta.entry_count() > limits::kOrMapDeltaEntriesMax)
    flush();
  s = ormap::join_delta(&group_, delta);
  // Bounded by the checks above and by the map the deltas came from.
  BARREL_ASSERT(s.is_ok());
  bytes_bound_ += alone.size();
  entries_ += delta.entry_count();
}

void BroadcastBatch::flush() {
  if (group_.empty())
    return;
  std::vector<uint8_t> bytes;
  Status s = encode_broadcast(reason_, group_, &bytes);
  BARREL_ASSERT(s.is_ok());
  BARREL_ASSERT(bytes.size() <= bytes_bound_);
  out_->push_back(Payload(std::move(bytes)));
  group_ = ormap::Delta();
  bytes_bound_ = 0;
  entries_ = 0;
}

}  // namespace barrel::registry
