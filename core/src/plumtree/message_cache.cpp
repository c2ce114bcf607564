// message_cache.cpp — see message_cache.h.
#include "plumtree/message_cache.h"

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::plumtree {

MessageCache::MessageCache(size_t capacity) : capacity_(capacity) {
  BARREL_ASSERT(capacity >= 1 && capacity <= limits::kMessageCacheMax);
}

void MessageCache::insert(const MessageId& id, Instant now) {
  BARREL_ASSERT(!contains(id));
  BARREL_ASSERT(order_.empty() || order_.back().at <= now);
  if (order_.size() == capacity_)
    pop_oldest();
  order_.push_back({id, now});
  ids_.insert(id);
  BARREL_ASSERT(ids_.size() == order_.size() && order_.size() <= capacity_);
}

size_t MessageCache::expire(Instant now, Duration ttl, size_t work_max) {
  size_t done = 0;
  while (done < work_max && !order_.empty() && order_.front().at + ttl <= now) {
    pop_oldest();
    ++done;
  }
  return done;
}

void MessageCache::pop_oldest() {
  BARREL_ASSERT(!order_.empty());
  const size_t erased = ids_.erase(order_.front().id);
  BARREL_ASSERT(erased == 1);
  order_.pop_front();
}

}  // namespace barrel::plumtree
