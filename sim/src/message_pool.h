// message_pool.h — where messages wait while their Deliver event is in the
// heap, so that events stay small plain values (see event_heap.h).
//
// A slot is taken at send and given back at delivery (or drop); freed slots
// are reused LIFO, so the pool's size is the peak number of messages in
// flight, which the run's bounds limit (max_events; each processed event sends
// at most limits::kEffectsPerInputMax messages). Slot indices are 32-bit
// (assert).
//
// Thread-safety: one owner.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "barrel/assert.h"
#include "barrel/message.h"

namespace barrel::sim {

class MessagePool {
 public:
  uint32_t put(Message&& msg) {
    if (free_.empty()) {
      BARREL_ASSERT(slots_.size() < UINT32_MAX);
      slots_.push_back(std::move(msg));
      return static_cast<uint32_t>(slots_.size() - 1);
    }
    const uint32_t slot = free_.back();
    free_.pop_back();
    slots_[slot] = std::move(msg);
    return slot;
  }

  // Moves the message out of `slot` and frees the slot.
  Message take(uint32_t slot) {
    BARREL_ASSERT(slot < slots_.size());
    Message out = std::move(slots_[slot]);
    slots_[slot] = Join{};  // drop what the moved-from value may still own
    free_.push_back(slot);
    return out;
  }

  // The message parked in `slot`, left in place (observers read it, see
  // observer.h).
  const Message& peek(uint32_t slot) const {
    BARREL_ASSERT(slot < slots_.size());
    return slots_[slot];
  }

  // Starts loading the message in `slot` (Engine::prefetch); no effect on
  // the pool.
  void prefetch(uint32_t slot) const {
    if (slot < slots_.size())
      __builtin_prefetch(&slots_[slot]);
  }

  // Messages currently parked.
  size_t in_flight() const { return slots_.size() - free_.size(); }

 private:
  std::vector<Message> slots_;
  std::vector<uint32_t> free_;
};

}  // namespace barrel::sim
