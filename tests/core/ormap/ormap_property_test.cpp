// ormap_property_test — the OR-Map is a CRDT: join is commutative,
// associative and idempotent; any interleaving, duplication or reordering of
// the deltas of 3-5 replicas converges to one state; a removed entry never
// comes back; add wins over a concurrent remove; delta_since() brings a
// lagging replica to equality and two diverged replicas together; the cloud
// shrinks back as gaps fill.
// Method: 300 seeds per property, each a random History (harness.h) of
// bounded length; states compared with == (canonical form: the context is
// compacted, containers are ordered), and check_invariants() on every result.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "barrel/limits.h"
#include "barrel/rng.h"
#include "core/ormap/harness.h"
#include "ormap/delta.h"
#include "ormap/digest.h"
#include "ormap/ormap.h"

namespace barrel::ormap {
namespace {

constexpr uint64_t kSeeds = 300;

ORMap joined(ORMap a, const ORMap& b) {
  EXPECT_TRUE(a.join(b).is_ok());
  a.check_invariants();
  return a;
}

size_t replicas_for(Rng& rng) {
  return 3 + static_cast<size_t>(rng.uniform(3));
}

TEST(ORMapProperty, JoinIsCommutativeAssociativeIdempotent) {
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Rng rng(seed);
    test::History h(rng, 3, 60);
    const ORMap& a = h.states[0];
    const ORMap& b = h.states[1];
    const ORMap& c = h.states[2];
    ASSERT_EQ(joined(a, b), joined(b, a)) << "seed " << seed;
    ASSERT_EQ(joined(joined(a, b), c), joined(a, joined(b, c))) << "seed " << seed;
    ASSERT_EQ(joined(a, a), a) << "seed " << seed;
    // Deltas are states: the same laws hold between a state and a delta.
    const Delta& d = h.deltas[rng.uniform(h.deltas.size())];
    ASSERT_EQ(joined(a, d), joined(d, a)) << "seed " << seed;
    ASSERT_EQ(joined(joined(a, d), d), joined(a, d)) << "seed " << seed;
  }
}

TEST(ORMapProperty, AnyDeliveryOrderWithDuplicatesConverges) {
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Rng rng(seed);
    test::History h(rng, replicas_for(rng), 80);
    const ORMap expected = h.all();
    expected.check_invariants();
    // A shuffled delivery in which every delta appears 1-3 times.
    std::vector<const Delta*> order;
    for (const Delta& d : h.deltas) {
      const uint64_t copies = 1 + rng.uniform(3);
      for (uint64_t i = 0; i < copies; ++i)
        order.push_back(&d);
    }
    rng.shuffle(order.data(), order.size());
    ORMap got;
    for (const Delta* d : order)
      ASSERT_TRUE(got.join(*d).is_ok());
    got.check_invariants();
    ASSERT_EQ(got, expected) << "seed " << seed;
    // A delta group (deltas pre-joined in another order) gives the same.
    ORMap group;
    for (size_t i = order.size(); i > 0; --i)
      ASSERT_TRUE(join_delta(&group, *order[i - 1]).is_ok());
    ASSERT_EQ(group, expected) << "seed " << seed;
    // Every replica that then sees everything reaches the same state.
    for (ORMap& s : h.states) {
      ASSERT_TRUE(s.join(expected).is_ok());
      ASSERT_EQ(s, expected) << "seed " << seed;
    }
  }
}

TEST(ORMapProperty, RemovedEntryNeverComesBack) {
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Rng rng(seed);
    test::History h(rng, replicas_for(rng), 60);
    ORMap observer = h.all();
    const std::string key = test::pick_key(rng);
    Result<Delta> rm = remove_key(&observer, key);
    ASSERT_TRUE(rm.is_ok());
    ASSERT_FALSE(observer.contains(key));
    // Replay the old deltas, with the remove somewhere among them.
    std::vector<const Delta*> order{&rm.value()};
    for (const Delta& d : h.deltas)
      order.push_back(&d);
    rng.shuffle(order.data(), order.size());
    ORMap replay;
    for (const Delta* d : order)
      ASSERT_TRUE(replay.join(*d).is_ok());
    for (const Delta& d : h.deltas)  // and all of them once more afterwards
      ASSERT_TRUE(replay.join(d).is_ok());
    ASSERT_FALSE(replay.contains(key)) << "seed " << seed;
    ASSERT_EQ(replay, observer) << "seed " << seed;
  }
}

TEST(ORMapProperty, ConcurrentAddWinsOverRemove) {
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Rng rng(seed);
    test::History h(rng, 3, 40);
    ORMap a = h.all();
    ORMap b = a;
    const std::string key = test::pick_key(rng);
    const std::string value = test::pick_value(rng);
    Result<Delta> rm = rng.chance(kPpmOne / 2) ? remove_key(&a, key) : remove(&a, key, value);
    Result<Delta> ad = add(&b, h.ids[1], key, value);
    ASSERT_TRUE(rm.is_ok() && ad.is_ok());
    ASSERT_TRUE(a.join(*ad).is_ok());
    ASSERT_TRUE(b.join(*rm).is_ok());
    ASSERT_EQ(a, b) << "seed " << seed;
    ASSERT_TRUE(a.contains(key, value)) << "seed " << seed;
  }
}

// Runs anti-entropy from `from` into `to` until `to` stops changing (each
// answer cut at `entries_max`); returns the rounds taken.
int sync(const ORMap& from, ORMap* to, size_t entries_max) {
  for (int round = 1; round <= 1000; ++round) {
    const Delta d = delta_since(from, digest_of(*to), entries_max);
    EXPECT_LE(d.entry_count(), std::max(entries_max, limits::kOrMapEntriesPerReplicaMax));
    if (d.empty())
      return round;
    EXPECT_TRUE(to->join(d).is_ok());
    to->check_invariants();
  }
  ADD_FAILURE() << "anti-entropy did not settle";
  return -1;
}

TEST(ORMapProperty, DeltaSinceBringsALaggingReplicaToEquality) {
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Rng rng(seed);
    test::History h(rng, replicas_for(rng), 80);
    const ORMap full = h.all();
    // A lagging replica: a random subset of the deltas, in order.
    ORMap lagging;
    for (const Delta& d : h.deltas) {
      if (rng.chance(kPpmOne / 2)) {
        ASSERT_TRUE(lagging.join(d).is_ok());
      }
    }
    const size_t entries_max =
        rng.chance(kPpmOne / 2) ? limits::kOrMapDeltaEntriesMax : 1 + rng.uniform(3);
    ASSERT_GT(sync(full, &lagging, entries_max), 0);
    ASSERT_EQ(lagging, full) << "seed " << seed;
    EXPECT_TRUE(delta_since(full, digest_of(full), limits::kOrMapDeltaEntriesMax).empty());
  }
}

TEST(ORMapProperty, TwoWayAntiEntropyJoinsDivergedReplicas) {
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Rng rng(seed);
    test::History h(rng, replicas_for(rng), 80);
    ORMap a = h.states[0];
    ORMap b = h.states[1];
    const ORMap expected = joined(a, b);
    const Digest da = digest_of(a);
    const Digest db = digest_of(b);
    const Delta to_b = delta_since(a, db, limits::kOrMapDeltaEntriesMax);
    const Delta to_a = delta_since(b, da, limits::kOrMapDeltaEntriesMax);
    ASSERT_TRUE(a.join(to_a).is_ok());
    ASSERT_TRUE(b.join(to_b).is_ok());
    ASSERT_EQ(a, b) << "seed " << seed;
    ASSERT_EQ(a, expected) << "seed " << seed;
  }
}

TEST(ORMapProperty, CloudShrinksAsGapsFill) {
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    Rng rng(seed);
    ORMap source;
    std::vector<Delta> deltas;
    for (int i = 0; i < 200; ++i) {
      Result<Delta> d = add(&source, 42, test::pick_key(rng), "v" + std::to_string(i));
      ASSERT_TRUE(d.is_ok());
      deltas.push_back(std::move(d).value());
    }
    // Deliver in reverse: every delta but the last lands in a gap.
    ORMap sink;
    size_t cloud_peak = 0;
    for (size_t i = deltas.size(); i > 0; --i) {
      ASSERT_TRUE(sink.join(deltas[i - 1]).is_ok());
      cloud_peak = std::max(cloud_peak, sink.context().cloud().size());
    }
    EXPECT_GT(cloud_peak, 100u);
    EXPECT_TRUE(sink.context().cloud().empty());
    EXPECT_EQ(sink.context().vv().at(42), 200u);
    EXPECT_EQ(sink, source);
  }
}

}  // namespace
}  // namespace barrel::ormap
