// key_heap.h — a 4-ary min-heap of 16-byte event keys {time, sequence|slot},
// laid out for large agendas: the four children of a key share one 64-byte
// cache line, so a pop touches half the levels of a binary heap and one line
// per level. EventHeap (event_heap.h) keeps here only the events beyond its
// calendar's horizon.
//
// Thread-safety: one owner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace barrel::sim {

struct EventKey {
  uint64_t time;      // microseconds
  uint64_t seq_slot;  // sequence << kSlotBits | slot (event_heap.h)
};
static_assert(sizeof(EventKey) == 16);

// The order of the run: by time, then by sequence (in the high bits, unique,
// so the slot never decides).
inline bool earlier(const EventKey& a, const EventKey& b) {
  return a.time < b.time || (a.time == b.time && a.seq_slot < b.seq_slot);
}

class KeyHeap {
 public:
  KeyHeap();
  ~KeyHeap();
  KeyHeap(const KeyHeap&) = delete;
  KeyHeap& operator=(const KeyHeap&) = delete;

  void push(EventKey k);
  // REQUIRES: !empty().
  const EventKey& top() const { return key(0); }
  // REQUIRES: !empty(). Removes the earliest key.
  void pop();
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }

 private:
  static constexpr size_t kArity = 4;
  // Keys start this many entries into a 64-byte-aligned block, so the
  // children 4k+1..4k+4 of key k sit at entries 4k+4..4k+7: one line.
  static constexpr size_t kOffset = 3;

  EventKey& key(size_t i) { return keys_[kOffset + i]; }
  const EventKey& key(size_t i) const { return keys_[kOffset + i]; }
  void grow();

  struct AlignedFree {
    void operator()(EventKey* p) const;
  };
  std::unique_ptr<EventKey[], AlignedFree> keys_;
  size_t capacity_ = 0;  // keys the block holds after kOffset
  size_t size_ = 0;
};

}  // namespace barrel::sim
