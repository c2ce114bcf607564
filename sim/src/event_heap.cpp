// event_heap.cpp — the binary min-heap behind EventHeap (see event_heap.h).
#include "event_heap.h"

#include <utility>

#include "barrel/assert.h"

namespace barrel::sim {

void EventHeap::push(SimEvent e) {
  BARREL_ASSERT(next_seq_ < UINT64_MAX);
  BARREL_ASSERT(!e.time.is_never());
  e.seq = next_seq_++;
  heap_.push_back(e);
  sift_up(heap_.size() - 1);
}

const SimEvent& EventHeap::top() const {
  BARREL_ASSERT(!heap_.empty());
  return heap_.front();
}

SimEvent EventHeap::pop() {
  BARREL_ASSERT(!heap_.empty());
  const SimEvent out = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty())
    sift_down(0);
  return out;
}

void EventHeap::sift_up(size_t i) {
  const SimEvent e = heap_[i];
  while (i > 0) {
    const size_t parent = (i - 1) / 2;
    if (!earlier(e, heap_[parent]))
      break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

void EventHeap::sift_down(size_t i) {
  const size_t n = heap_.size();
  const SimEvent e = heap_[i];
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= n)
      break;
    if (child + 1 < n && earlier(heap_[child + 1], heap_[child]))
      ++child;
    if (!earlier(heap_[child], e))
      break;
    heap_[i] = heap_[child];
    i = child;
  }
  heap_[i] = e;
  BARREL_ASSERT(i < n);
}

}  // namespace barrel::sim
