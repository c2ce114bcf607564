// key_heap.cpp — the 4-ary key heap (key_heap.h).
#include "key_heap.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "barrel/assert.h"

namespace barrel::sim {

namespace {
constexpr std::align_val_t kLine{64};
}  // namespace

void KeyHeap::AlignedFree::operator()(EventKey* p) const {
  ::operator delete[](p, kLine);
}

KeyHeap::KeyHeap() = default;
KeyHeap::~KeyHeap() = default;

void KeyHeap::grow() {
  const size_t capacity = std::max<size_t>(1024, capacity_ * 2);
  std::unique_ptr<EventKey[], AlignedFree> keys(
      static_cast<EventKey*>(::operator new[]((kOffset + capacity) * sizeof(EventKey), kLine)));
  if (size_ > 0)
    std::memcpy(keys.get() + kOffset, keys_.get() + kOffset, size_ * sizeof(EventKey));
  keys_ = std::move(keys);
  capacity_ = capacity;
}

void KeyHeap::push(EventKey k) {
  if (size_ == capacity_)
    grow();
  size_t i = size_++;
  while (i > 0) {
    const size_t parent = (i - 1) / kArity;
    if (!earlier(k, key(parent)))
      break;
    key(i) = key(parent);
    i = parent;
  }
  key(i) = k;
}

// Moves the last key down from the root into the hole the pop left,
// promoting the earliest of each set of four children.
void KeyHeap::pop() {
  BARREL_ASSERT(size_ > 0);
  const size_t n = --size_;
  if (n == 0)
    return;
  const EventKey k = key(n);
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
}

}  // namespace barrel::sim
