// payload_cache.cpp — see payload_cache.h.
#include "plumtree/payload_cache.h"

#include <utility>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::plumtree {

PayloadCache::PayloadCache(size_t capacity) : capacity_(capacity) {
  BARREL_ASSERT(capacity >= 1 && capacity <= limits::kPayloadCacheMax);
}

const PayloadCache::Stored* PayloadCache::find(const MessageId& id) const {
  auto it = kept_.find(id);
  return it == kept_.end() ? nullptr : &it->second;
}

void PayloadCache::insert(const MessageId& id, Stored stored, Instant now) {
  BARREL_ASSERT(find(id) == nullptr);
  BARREL_ASSERT(order_.empty() || order_.back().at <= now);
  if (order_.size() == capacity_)
    pop_oldest();
  order_.push_back({id, now});
  kept_.emplace(id, std::move(stored));
  BARREL_ASSERT(kept_.size() == order_.size() && order_.size() <= capacity_);
}

size_t PayloadCache::expire(Instant now, Duration ttl, size_t work_max) {
  size_t done = 0;
  while (done < work_max && !order_.empty() && order_.front().at + ttl <= now) {
    pop_oldest();
    ++done;
  }
  return done;
}

void PayloadCache::pop_oldest() {
  BARREL_ASSERT(!order_.empty());
  const size_t erased = kept_.erase(order_.front().id);
  BARREL_ASSERT(erased == 1);
  order_.pop_front();
}

}  // namespace barrel::plumtree
