// engine_event_heap_test.cpp — goal: the event heap pops in (time, sequence)
// order, so events at one instant come out in insertion order and the run's
// order is total. Method: hand-picked ties, then 10,000 seeded random pushes
// interleaved with pops checked against a sorted reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "barrel/rng.h"
#include "event_heap.h"

namespace barrel::sim {
namespace {

SimEvent at(uint64_t t_us, uint32_t tag) {
  SimEvent e;
  e.time = Instant::from_us(t_us);
  e.aux = tag;
  return e;
}

TEST(EngineEventHeap, OrdersByTimeThenInsertion) {
  EventHeap h;
  h.push(at(30, 0));
  h.push(at(10, 1));
  h.push(at(20, 2));
  h.push(at(10, 3));
  h.push(at(10, 4));
  h.push(at(0, 5));
  std::vector<uint32_t> order;
  while (!h.empty())
    order.push_back(h.pop().aux);
  EXPECT_EQ(order, (std::vector<uint32_t>{5, 1, 3, 4, 2, 0}));
  EXPECT_EQ(h.pushed(), 6u);
}

TEST(EngineEventHeap, SequenceIsAssignedAtPush) {
  EventHeap h;
  SimEvent e = at(5, 0);
  e.seq = 999;  // ignored: the heap numbers events itself
  h.push(e);
  h.push(at(5, 1));
  EXPECT_EQ(h.top().seq, 0u);
  EXPECT_EQ(h.pop().aux, 0u);
  EXPECT_EQ(h.pop().seq, 1u);
}

TEST(EngineEventHeap, MatchesSortedReferenceUnderRandomInterleaving) {
  Rng rng(42);
  EventHeap h;
  std::vector<std::pair<uint64_t, uint64_t>> ref;  // (time, seq) still queued
  uint64_t seq = 0;
  uint64_t last_time = 0;
  for (int round = 0; round < 10000; ++round) {
    if (rng.uniform(3) != 0 || h.empty()) {
      // Times never go below the last popped one, as in the simulator.
      const uint64_t t = last_time + rng.uniform(50);
      h.push(at(t, 0));
      ref.emplace_back(t, seq++);
    } else {
      auto it = std::min_element(ref.begin(), ref.end());
      const SimEvent e = h.pop();
      ASSERT_EQ(e.time.us(), it->first);
      ASSERT_EQ(e.seq, it->second);
      last_time = e.time.us();
      ref.erase(it);
    }
  }
  EXPECT_EQ(h.size(), ref.size());
}

}  // namespace
}  // namespace barrel::sim
