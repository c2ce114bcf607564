// payload_cache.h — the payloads a node keeps to answer GRAFTs.
//
// Each delivered broadcast is kept with its origin and the round this node
// would send it with (its hops), until message_ttl has passed (expire(),
// bounded work per call) or the cache is full (policy: drop the oldest;
// limits::kPayloadCacheMax). A GRAFT for a dropped payload goes unanswered
// and the grafter tries its next announcer. Payloads are shared, not
// copied (message.h), so keeping one costs a pointer.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>

#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/time.h"
#include "plumtree/message_id_hash.h"

namespace barrel::plumtree {

class PayloadCache {
 public:
  struct Stored {
    NodeId origin;
    uint16_t hops = 0;
    Payload payload;
    BroadcastKind kind = BroadcastKind::kUser;
    // The peer the first copy came from (invalid: our own broadcast). A
    // second copy from the same peer is not a redundant path (plumtree.cpp).
    NodeId from;
  };

  // REQUIRES: 1 <= capacity <= limits::kPayloadCacheMax.
  explicit PayloadCache(size_t capacity);

  // The payload kept for `id`, or null. Valid until the next change.
  const Stored* find(const MessageId& id) const;
  // Keeps `stored` for `id`, delivered at `now`, dropping the oldest if full.
  // REQUIRES: find(id) == nullptr.
  void insert(const MessageId& id, Stored stored, Instant now);
  // Drops at most `work_max` payloads kept since now - ttl or longer.
  size_t expire(Instant now, Duration ttl, size_t work_max);
  Instant oldest() const { return order_.empty() ? Instant::never() : order_.front().at; }
  size_t size() const { return order_.size(); }

 private:
  struct Age {
    MessageId id;
    Instant at;
  };
  void pop_oldest();

  size_t capacity_;
  std::deque<Age> order_;                                      // oldest first
  std::unordered_map<MessageId, Stored, MessageIdHash> kept_;  // lookups only, never iterated
};

}  // namespace barrel::plumtree
