// engine_event_heap_test.cpp — goal: the event heap pops in (time, sequence)
// order, so events at one instant come out in insertion order and the run's
// order is total, whatever calendar bucket, far heap or jump a key goes
// through. Method: hand-picked ties, then seeded random pushes interleaved
// with pops checked against a sorted reference, at time spreads below a
// bucket, across buckets and past the calendar's horizon, with the
// calendar's invariants checked after every operation.
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

// `spread`: the largest step ahead of the last popped time a push draws.
void check_against_reference(uint64_t seed, uint64_t spread, int rounds) {
  Rng rng(seed);
  EventHeap h;
  std::vector<std::pair<uint64_t, uint64_t>> ref;  // (time, seq) still queued
  uint64_t seq = 0;
  uint64_t last_time = 0;
  for (int round = 0; round < rounds; ++round) {
    if (rng.uniform(3) != 0 || h.empty()) {
      // Times never go below the last popped one, as in the simulator.
      const uint64_t t = last_time + rng.uniform(spread);
      h.push(at(t, 0));
      ref.emplace_back(t, seq++);
    } else {
      auto it = std::min_element(ref.begin(), ref.end());
      ASSERT_EQ(h.top().seq, it->second);
      const SimEvent e = h.pop();
      ASSERT_EQ(e.time.us(), it->first);
      ASSERT_EQ(e.seq, it->second);
      last_time = e.time.us();
      ref.erase(it);
    }
    if (round % 97 == 0)
      h.check_invariants();
  }
  EXPECT_EQ(h.size(), ref.size());
  while (!h.empty()) {  // drain: the rest in order too
    auto it = std::min_element(ref.begin(), ref.end());
    const SimEvent e = h.pop();
    ASSERT_EQ(e.seq, it->second);
    ref.erase(it);
  }
  h.check_invariants();
}

TEST(EngineEventHeap, MatchesSortedReferenceUnderRandomInterleaving) {
  check_against_reference(42, 50, 10000);  // within one ~1 ms bucket: ties, the current heap
}

TEST(EngineEventHeap, MatchesSortedReferenceAcrossBucketsAndTheHorizon) {
  check_against_reference(7, 200'000, 20000);          // across buckets (latencies)
  check_against_reference(8, 60'000'000, 20000);       // past the 16.8 s horizon: the far heap
  check_against_reference(9, 3'600'000'000ull, 5000);  // hours apart: jumps over idle time
}

// A key earlier than the current bucket (the simulator never pushes one, but
// setup pushes in any order before the first pop) still comes out first.
TEST(EngineEventHeap, AKeyBeforeTheCurrentBucketStillComesFirst) {
  EventHeap h;
  h.push(at(60'000'000, 0));  // the agenda jumps to 60 s
  h.push(at(30'000'000, 1));
  h.push(at(0, 2));
  h.push(at(90'000'000, 3));
  h.check_invariants();
  std::vector<uint32_t> order;
  while (!h.empty())
    order.push_back(h.pop().aux);
  EXPECT_EQ(order, (std::vector<uint32_t>{2, 1, 0, 3}));
}

}  // namespace
}  // namespace barrel::sim
