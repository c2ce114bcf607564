// event_heap.h — the simulator's agenda: a binary min-heap of events ordered
// by (time, sequence).
//
// The sequence is a run-wide counter assigned at push, so two events at the
// same instant come out in the order they were pushed and the order of the
// whole run is total and reproducible (the tie-break ngtcp2's sim lacks).
//
// Events are small plain values (40 bytes): a message travelling with a
// Deliver lives in the simulator's message pool and the event carries only
// its slot, so sifting never moves a std::variant.
//
// Bound: the heap holds what processed events pushed; the run's max_events
// bounds how many are processed, and each processed event pushes at most
// limits::kEffectsPerInputMax + a few, so the heap cannot grow without bound.
// Sequences and sizes are checked against their integer widths (assert).
//
// Thread-safety: one owner.
#pragma once

#include <cstddef>
#include <cstdint>
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
  // Assigns the next sequence number to `e` and inserts it.
  void push(SimEvent e);
  // REQUIRES: !empty(). The earliest event (smallest time, then sequence).
  const SimEvent& top() const;
  // REQUIRES: !empty(). Removes and returns the earliest event.
  SimEvent pop();
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  uint64_t pushed() const { return next_seq_; }

 private:
  static bool earlier(const SimEvent& a, const SimEvent& b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }
  void sift_up(size_t i);
  void sift_down(size_t i);

  std::vector<SimEvent> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace barrel::sim
