// event_heap.h — the simulator's agenda: events ordered by (time, sequence).
//
// The sequence is a run-wide counter assigned at push, so two events at the
// same instant come out in the order they were pushed and the order of the
// whole run is total and reproducible (the tie-break ngtcp2's sim lacks).
//
// Layout, for 100k-node runs where the agenda holds ~10^5-10^6 events: a
// calendar queue in front of a heap. Time is cut into buckets of
// 2^kWidthBits us (~1 ms); the kBuckets buckets after the current one (a
// horizon of ~16.8 s, past every message latency and most timers) are plain
// vectors of 16-byte keys {time, sequence << kSlotBits | slot}, appended to
// at push. Only the current bucket is ordered: when it becomes current it is
// made into a small binary heap (a few hundred keys, in L1), and pops and
// pushes at or before it work there. Keys beyond the horizon wait in a 4-ary
// heap (key_heap.h) and move into their bucket as the horizon reaches them.
// A pop thus costs a heap step over one bucket's keys instead of a walk from
// root to leaf of a heap of 10^6 keys, one cache miss per level (the 4-ary
// heap of the whole agenda was 9.5 % of a 100k-node run). A bitmap of the
// non-empty buckets finds the next one in a few words.
//
// The order is exactly (time, sequence) whatever the layout — the calendar
// changed no trace hash. The events (40 bytes) wait in a slot array, touched
// once at push and once at pop; freed slots are reused LIFO, so they are
// usually still cached. A message travelling with a Deliver lives in the
// simulator's message pool and the event carries only its pool slot.
//
// Time only moves forward in the simulator, but the agenda does not rely on
// it: a key at or before the current bucket goes into the current heap,
// whatever its time, and still comes out in order.
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
#include <vector>

#include "barrel/time.h"
#include "key_heap.h"

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

  // Asserts that every key sits where the calendar says: the current heap's
  // at or before the current bucket, each bucket's in its own, the far
  // heap's beyond the horizon, and the counts add up. O(size); for tests.
  void check_invariants() const;

 private:
  static constexpr unsigned kWidthBits = 10;        // a bucket is 1,024 us
  static constexpr uint64_t kBuckets = 1ull << 14;  // horizon: 16.8 s
  static constexpr size_t kWords = kBuckets / 64;   // of the occupancy bitmap
  static uint64_t bucket_of(uint64_t time) { return time >> kWidthBits; }
  static uint32_t slot_of(const EventKey& k) {
    return static_cast<uint32_t>(k.seq_slot & (kPendingMax - 1));
  }
  // std:: heap order with the earliest key at the front.
  static bool later(const EventKey& a, const EventKey& b) { return earlier(b, a); }

  // Puts `k` in the current heap, its bucket or the far heap.
  void place(EventKey k);
  // REQUIRES: the current heap is empty and size() > 0. Makes the next
  // non-empty bucket current and moves the far keys the horizon now covers.
  void advance();
  // The absolute number of the first non-empty bucket after the current one.
  // REQUIRES: in_buckets_ > 0.
  uint64_t next_occupied() const;

  std::vector<EventKey> current_;  // a binary heap (later()); empty only if size_ == 0
  uint64_t current_bucket_ = 0;    // absolute bucket number: time >> kWidthBits
  // Bucket b (current_bucket_ < b < current_bucket_ + kBuckets) is
  // buckets_[b % kBuckets]; occupied_ has its bit set when it holds keys.
  std::vector<std::vector<EventKey>> buckets_;
  std::vector<uint64_t> occupied_;
  size_t in_buckets_ = 0;
  KeyHeap far_;  // keys at or beyond the horizon
  size_t size_ = 0;
  std::vector<SimEvent> slots_;
  std::vector<uint32_t> free_;
  uint64_t next_seq_ = 0;
  bool overflowed_ = false;
};

}  // namespace barrel::sim
