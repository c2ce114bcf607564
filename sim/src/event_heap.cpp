// event_heap.cpp — the calendar agenda behind EventHeap (see event_heap.h).
#include "event_heap.h"

#include <algorithm>
#include <bit>

#include "barrel/assert.h"

namespace barrel::sim {

EventHeap::EventHeap() : buckets_(kBuckets), occupied_(kWords, 0) {}
EventHeap::~EventHeap() = default;

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
  size_ += 1;
  place(EventKey{static_cast<uint64_t>(e.time.us()), e.seq << kSlotBits | slot});
  if (current_.empty())
    advance();  // the agenda was empty, or this key went past the current bucket
}

void EventHeap::place(EventKey k) {
  const uint64_t b = bucket_of(k.time);
  if (b <= current_bucket_) {
    current_.push_back(k);
    std::push_heap(current_.begin(), current_.end(), later);
  } else if (b - current_bucket_ < kBuckets) {
    const size_t s = static_cast<size_t>(b & (kBuckets - 1));
    buckets_[s].push_back(k);
    occupied_[s / 64] |= uint64_t{1} << (s % 64);
    in_buckets_ += 1;
  } else {
    far_.push(k);
  }
}

uint64_t EventHeap::next_occupied() const {
  BARREL_ASSERT(in_buckets_ > 0);
  const size_t start = static_cast<size_t>((current_bucket_ + 1) & (kBuckets - 1));
  // Word by word from the start's word, round to it again (the bits below
  // the start are the buckets furthest ahead).
  for (size_t step = 0; step <= kWords; ++step) {
    const size_t w = (start / 64 + step) % kWords;
    uint64_t bits = occupied_[w];
    if (step == 0)
      bits &= ~uint64_t{0} << (start % 64);
    if (bits != 0) {
      const size_t s = w * 64 + static_cast<size_t>(std::countr_zero(bits));
      return current_bucket_ + 1 + ((s + kBuckets - start) & (kBuckets - 1));
    }
  }
  BARREL_ASSERT(false && "in_buckets_ > 0 but no bucket is marked");
  return current_bucket_ + 1;
}

void EventHeap::advance() {
  BARREL_ASSERT(current_.empty() && size_ > 0);
  // The next non-empty bucket, or — when every bucket is empty — the far
  // heap's earliest key's (a jump over an idle stretch of virtual time).
  current_bucket_ = in_buckets_ > 0 ? next_occupied() : bucket_of(far_.top().time);
  const size_t s = static_cast<size_t>(current_bucket_ & (kBuckets - 1));
  std::vector<EventKey>& bucket = buckets_[s];
  if (!bucket.empty()) {
    // Moved, not swapped: an empty bucket holds no memory, so the calendar
    // holds what is pending (times two at most), not the peak of every
    // bucket over a whole horizon (150 MB at 100k nodes).
    current_ = std::move(bucket);
    bucket = std::vector<EventKey>();
    occupied_[s / 64] &= ~(uint64_t{1} << (s % 64));
    in_buckets_ -= current_.size();
    std::make_heap(current_.begin(), current_.end(), later);
  }
  // The horizon moved to current_bucket_ + kBuckets: the far keys before it
  // go to their buckets (or, after a jump, to the current heap).
  while (!far_.empty() && bucket_of(far_.top().time) - current_bucket_ < kBuckets) {
    place(far_.top());
    far_.pop();
  }
  BARREL_ASSERT(!current_.empty());
}

const SimEvent& EventHeap::top() const {
  BARREL_ASSERT(size_ > 0);
  return slots_[slot_of(current_.front())];
}

SimEvent EventHeap::pop() {
  BARREL_ASSERT(size_ > 0);
  const uint32_t slot = slot_of(current_.front());
  std::pop_heap(current_.begin(), current_.end(), later);
  current_.pop_back();
  const SimEvent out = slots_[slot];
  free_.push_back(slot);
  size_ -= 1;
  if (size_ > 0) {
    if (current_.empty())
      advance();
    // The next event is the new top, the one after it most likely the
    // earlier of the top's two children: start loading both events, so the
    // engine reads them from cache.
    __builtin_prefetch(&slots_[slot_of(current_.front())]);
    if (current_.size() > 2)
      __builtin_prefetch(
          &slots_[slot_of(earlier(current_[1], current_[2]) ? current_[1] : current_[2])]);
  }
  return out;
}

void EventHeap::check_invariants() const {
  BARREL_ASSERT(size_ == current_.size() + in_buckets_ + far_.size());
  BARREL_ASSERT(size_ == 0 || !current_.empty());
  BARREL_ASSERT(std::is_heap(current_.begin(), current_.end(), later));
  for (const EventKey& k : current_)
    BARREL_ASSERT(bucket_of(k.time) <= current_bucket_);
  size_t counted = 0;
  for (size_t s = 0; s < kBuckets; ++s) {
    const bool marked = (occupied_[s / 64] >> (s % 64) & 1) != 0;
    BARREL_ASSERT(marked == !buckets_[s].empty());
    for (const EventKey& k : buckets_[s]) {
      const uint64_t b = bucket_of(k.time);
      BARREL_ASSERT(b > current_bucket_ && b - current_bucket_ < kBuckets);
      BARREL_ASSERT((b & (kBuckets - 1)) == s);
    }
    counted += buckets_[s].size();
  }
  BARREL_ASSERT(counted == in_buckets_);
  if (!far_.empty())
    BARREL_ASSERT(bucket_of(far_.top().time) - current_bucket_ >= kBuckets);
}

}  // namespace barrel::sim
