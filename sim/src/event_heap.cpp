// event_heap.cpp — the 4-ary key heap behind EventHeap (see event_heap.h).
#include "event_heap.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "barrel/assert.h"

namespace barrel::sim {

namespace {
constexpr std::align_val_t kLine{64};
}  // namespace

void EventHeap::AlignedFree::operator()(Key* p) const {
  ::operator delete[](p, kLine);
}

EventHeap::EventHeap() = default;
EventHeap::~EventHeap() = default;

void EventHeap::grow() {
  const size_t capacity = std::max<size_t>(1024, capacity_ * 2);
  std::unique_ptr<Key[], AlignedFree> keys(
      static_cast<Key*>(::operator new[]((kOffset + capacity) * sizeof(Key), kLine)));
  if (size_ > 0)
    std::memcpy(keys.get() + kOffset, keys_.get() + kOffset, size_ * sizeof(Key));
  keys_ = std::move(keys);
  capacity_ = capacity;
}

void EventHeap::push(SimEvent e) {
  BARREL_ASSERT(!e.time.is_never());
  BARREL_ASSERT(next_seq_ < (uint64_t{1} << kSeqBits));
  if (size_ == kPendingMax) {
    overflowed_ = true;
    return;
  }
  uint32_t slot;
  if (free_.empty()) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.push_back(SimEvent{});
  } else {
    slot = free_.back();
    free_.pop_back();
  }
  e.seq = next_seq_++;
  slots_[slot] = e;
  if (size_ == capacity_)
    grow();
  size_ += 1;
  sift_up(size_ - 1, Key{e.time.us(), e.seq << kSlotBits | slot});
}

const SimEvent& EventHeap::top() const {
  BARREL_ASSERT(size_ > 0);
  return slots_[slot_of(key(0))];
}

SimEvent EventHeap::pop() {
  BARREL_ASSERT(size_ > 0);
  const uint32_t slot = slot_of(key(0));
  const SimEvent out = slots_[slot];
  free_.push_back(slot);
  size_ -= 1;
  if (size_ > 0) {
    sift_down(key(size_));
    // The next event is the new top, the one after it most likely the
    // earliest of the top's children (the second-earliest key is always one
    // of them): start loading both events, so the engine reads them from cache.
    __builtin_prefetch(&slots_[slot_of(key(0))]);
    if (size_ > 1) {
      const size_t last = std::min<size_t>(kArity + 1, size_);
      size_t best = 1;
      for (size_t c = 2; c < last; ++c) {
        if (earlier(key(c), key(best)))
          best = c;
      }
      __builtin_prefetch(&slots_[slot_of(key(best))]);
    }
  }
  return out;
}

void EventHeap::sift_up(size_t i, Key k) {
  while (i > 0) {
    const size_t parent = (i - 1) / kArity;
    if (!earlier(k, key(parent)))
      break;
    key(i) = key(parent);
    i = parent;
  }
  key(i) = k;
}

// Moves `k` (the former last key) down from the root into the hole the pop
// left, promoting the earliest of each set of four children.
void EventHeap::sift_down(Key k) {
  const size_t n = size_;
  size_t i = 0;
  for (;;) {
    const size_t first = kArity * i + 1;
    if (first >= n)
      break;
    const size_t last = std::min(first + kArity, n);
    size_t best = first;
    for (size_t c = first + 1; c < last; ++c) {
      if (earlier(key(c), key(best)))
        best = c;
    }
    if (!earlier(key(best), k))
      break;
    key(i) = key(best);
    i = best;
  }
  key(i) = k;
  BARREL_ASSERT(i < n);
}

}  // namespace barrel::sim
