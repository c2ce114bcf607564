// event_heap.h — the simulator's agenda: a min-heap of events ordered by
// (time, sequence).
//
// The sequence is a run-wide counter assigned at push, so two events at the
// same instant come out in the order they were pushed and the order of the
// whole run is total and reproducible (the tie-break ngtcp2's sim lacks).
//
// Layout, for 100k-node runs where the agenda holds ~10^5-10^6 events and
// every pop walks it from root to leaf: the heap itself holds only 16-byte
// keys {time, sequence << kSlotBits | slot}, four children per node, the
// array aligned so that the four children of a key share one 64-byte cache
// line — a pop touches half the levels of a binary heap and one line per
// level. The events (40 bytes) wait in a slot array, touched once at push and
// once at pop; freed slots are reused LIFO, so they are usually still cached.
// A message travelling with a Deliver lives in the simulator's message pool
// and the event carries only its pool slot.
//
// The order is exactly (time, sequence): a key compares by time, then by the
// sequence in its high bits (unique, so the slot never decides), whatever the
// heap's arity — changing the layout changed no trace hash.
//
// Bounds: sequences below 2^kSeqBits (2.7 * 10^11 pushes: days of simulated
// work at 10^6 events/s; asserted), and at most kPendingMax events pending at
// once (6.7 * 10^7, 3.7 GB of agenda). A push beyond kPendingMax is refused:
// the event is dropped and overflowed() turns true, which the engine checks
// after each event and fails the run with a message, since a run missing an
// event is wrong. The run's max_events bounds how many events are processed,
// and each processed event pushes at most limits::kEffectsPerInputMax + a few
// (a timeline step: one per node it selects).
//
// Thread-safety: one owner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "barrel/time.h"

namespace barrel::sim {

enum class EventKind : uint8_t {
  kDeliver = 1,          // node = to, epoch = to's epoch at send, peer = from, aux = pool slot
  kTimer = 2,            // node, epoch; fires when time == the node's scheduled timer
  kLinkDown = 3,         // node = monitor, peer = crashed or cut-off node, epoch = peer's epoch
                         // when monitored, aux = serial of the partition (0: a crash)
  kLinkFailed = 4,       // node = sender, peer = unreachable target, epoch = sender's epoch
  kStep = 5,             // aux = step index, aux2 = repetition
  kProbe = 6,            // healing probe
  kExpect = 7,           // aux = expectation index
  kJoin = 8,             // node joins via peer (invalid = just start); aux = step index
  kWindow = 9,           // end of a report window; aux = window index
  kRegistrySample = 10,  // registry agreement sample (every probe_period)
  // Scenario-language events (only scenarios that use them push them, so the
  // values above and older traces are untouched).
  kStepNode = 21,        // a `between` step's action at one node: node, aux = step index
  kChurnArrival = 22,    // the next arrival of a churn step: aux = step index, aux2 = serial
  kChurnDeparture = 23,  // node's session ends: node, epoch at arrival, aux = step index
  kMark = 24,            // snapshot for a msgs_per_node_per_second check: aux = expectation
};

struct SimEvent {
  Instant time;
  uint64_t seq = 0;  // assigned by EventHeap::push
  EventKind kind = EventKind::kProbe;
  uint32_t node = UINT32_MAX;
  uint32_t peer = UINT32_MAX;
  uint32_t epoch = 0;
  uint32_t aux = 0;
  uint32_t aux2 = 0;
};

class EventHeap {
 public:
  static constexpr unsigned kSlotBits = 26;
  static constexpr unsigned kSeqBits = 64 - kSlotBits;
  static constexpr size_t kPendingMax = size_t{1} << kSlotBits;

  EventHeap();
  ~EventHeap();
  EventHeap(const EventHeap&) = delete;
  EventHeap& operator=(const EventHeap&) = delete;

  // Assigns the next sequence number to `e` and inserts it; if kPendingMax
  // events are pending already, drops it and sets overflowed().
  void push(SimEvent e);
  // REQUIRES: !empty(). The earliest event (smallest time, then sequence).
  // Valid until the next push or pop.
  const SimEvent& top() const;
  // REQUIRES: !empty(). Removes and returns the earliest event.
  SimEvent pop();
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  uint64_t pushed() const { return next_seq_; }
  // A push was refused for want of room (see the header comment).
  bool overflowed() const { return overflowed_; }

 private:
  struct Key {
    uint64_t time;
    uint64_t seq_slot;  // seq << kSlotBits | slot
  };
  static_assert(sizeof(Key) == 16);
  static constexpr size_t kArity = 4;
  // Keys start this many entries into a 64-byte-aligned block, so the
  // children 4k+1..4k+4 of key k sit at entries 4k+4..4k+7: one line.
  static constexpr size_t kOffset = 3;

  static bool earlier(const Key& a, const Key& b) {
    return a.time < b.time || (a.time == b.time && a.seq_slot < b.seq_slot);
  }
  static uint32_t slot_of(const Key& k) {
    return static_cast<uint32_t>(k.seq_slot & (kPendingMax - 1));
  }
  Key& key(size_t i) { return keys_[kOffset + i]; }
  const Key& key(size_t i) const { return keys_[kOffset + i]; }
  void grow();
  void sift_up(size_t i, Key k);
  void sift_down(Key k);

  struct AlignedFree {
    void operator()(Key* p) const;
  };
  std::unique_ptr<Key[], AlignedFree> keys_;
  size_t capacity_ = 0;  // keys the block holds after kOffset
  size_t size_ = 0;
  std::vector<SimEvent> slots_;
  std::vector<uint32_t> free_;
  uint64_t next_seq_ = 0;
  bool overflowed_ = false;
};

}  // namespace barrel::sim
