// broadcast_batch.h — groups the registry's deltas into kRegistry broadcasts.
//
// One operation that touches several local services (close_endpoint,
// unregister_all, restore_own, a previous life's cleanup) sends one
// broadcast rather than one per service, as long as the payload stays within
// limits::kBroadcastPayloadBytesMax and limits::kOrMapDeltaEntriesMax entries;
// beyond either, the group is flushed and a new one started.
//
// Size accounting is an upper bound: the encoding of a join of deltas is never
// larger than the sum of their encodings (the union of contexts never has more
// dots than the parts, shared keys are written once), so summing the parts'
// sizes is safe without re-encoding the group.
//
// Thread-safety: a plain value.
#pragma once

#include <cstddef>
#include <vector>

#include "barrel/message.h"
#include "ormap/delta.h"
#include "registry/broadcast_codec.h"

namespace barrel::registry {

class BroadcastBatch {
 public:
  // Finished payloads are appended to *out. REQUIRES: out != nullptr, outlives the batch.
  BroadcastBatch(RemovalReason reason, std::vector<Payload>* out);
  BroadcastBatch(const BroadcastBatch&) = delete;
  BroadcastBatch& operator=(const BroadcastBatch&) = delete;
  ~BroadcastBatch();  // flushes

  // Adds `delta` to the group (an empty delta is ignored).
  // REQUIRES: delta alone encodes within the payload bound.
  void add(const ormap::Delta& delta);
  // Sends the group, if any.
  void flush();

 private:
  RemovalReason reason_;
  std::vector<Payload>* out_;
  ormap::Delta group_;
  size_t bytes_bound_ = 0;  // upper bound of the group's encoded payload
  size_t entries_ = 0;
};

}  // namespace barrel::registry
