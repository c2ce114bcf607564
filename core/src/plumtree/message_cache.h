// message_cache.h — the broadcast ids a node has received, to drop duplicates.
//
// Insertion-ordered with expiry: an id is forgotten message_ttl after it was
// received (expire(), bounded work per call) or, when the cache is full, to
// admit a new one (policy: forget the oldest; limits::kMessageCacheMax).
// Inputs arrive with non-decreasing `now`, so insertion order is age order
// and expiry only ever looks at the front.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <cstddef>
#include <deque>
#include <unordered_set>

#include "barrel/message.h"
#include "barrel/time.h"
#include "plumtree/message_id_hash.h"

namespace barrel::plumtree {

class MessageCache {
 public:
  // REQUIRES: 1 <= capacity <= limits::kMessageCacheMax.
  explicit MessageCache(size_t capacity);

  bool contains(const MessageId& id) const { return ids_.count(id) != 0; }
  // Remembers `id`, received at `now`, forgetting the oldest id if full.
  // REQUIRES: !contains(id).
  void insert(const MessageId& id, Instant now);
  // Forgets at most `work_max` ids received at or before now - ttl; returns
  // how many it forgot.
  size_t expire(Instant now, Duration ttl, size_t work_max);
  // When the oldest id was received, or Instant::never() if empty.
  Instant oldest() const { return order_.empty() ? Instant::never() : order_.front().at; }
  size_t size() const { return order_.size(); }
  size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    MessageId id;
    Instant at;
  };
  void pop_oldest();

  size_t capacity_;
  std::deque<Entry> order_;                           // oldest first
  std::unordered_set<MessageId, MessageIdHash> ids_;  // lookups only, never iterated
};

}  // namespace barrel::plumtree
