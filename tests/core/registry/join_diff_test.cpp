// join_diff_test — join_diff() predicts exactly what ORMap::join changes, and
// BroadcastBatch cuts large groups into payloads within the broadcast bound.
// Method: random OR-Map histories (core/ormap/harness.h) over many seeds: for
// a random state and a random delta, the entries removed and added by the
// join (compared by dot before and after) equal the diff. Batches: 128
// entries near the value bound, every payload decodes and fits.
#include "registry/join_diff.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

#include "barrel/limits.h"
#include "barrel/rng.h"
#include "core/ormap/harness.h"
#include "registry/broadcast_batch.h"

namespace barrel::registry {
namespace {

std::map<ormap::Dot, std::string> dots_of(const ormap::ORMap& m) {
  return m.dot_index();
}

TEST(JoinDiff, PredictsTheJoinExactly) {
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    Rng rng(seed);
    ormap::test::History h(rng, 3, 40);
    ormap::ORMap state = h.states[rng.uniform(h.states.size())];
    const ormap::Delta& d = rng.chance(500'000) ? h.deltas[rng.uniform(h.deltas.size())]
                                                : h.states[rng.uniform(h.states.size())];
    const JoinDiff diff = join_diff(state, d);
    const auto before = dots_of(state);
    ASSERT_TRUE(state.join(d).is_ok());
    const auto after = dots_of(state);
    std::vector<ormap::Dot> removed, added;
    for (const auto& [dot, key] : before)
      if (after.count(dot) == 0)
        removed.push_back(dot);
    for (const auto& [dot, key] : after)
      if (before.count(dot) == 0)
        added.push_back(dot);
    ASSERT_EQ(diff.removed.size(), removed.size()) << "seed " << seed;
    for (size_t i = 0; i < removed.size(); ++i)
      EXPECT_EQ(diff.removed[i].dot, removed[i]) << "seed " << seed;
    std::vector<ormap::Dot> diff_added;
    for (const ormap::Entry& e : diff.added) {
      diff_added.push_back(e.dot);
      EXPECT_EQ(state.entries(e.key)->at(e.dot), e.value);
    }
    std::sort(diff_added.begin(), diff_added.end());
    EXPECT_EQ(diff_added, added) << "seed " << seed;
  }
}

TEST(BroadcastBatch, CutsLargeGroupsWithinThePayloadBound) {
  ormap::ORMap map;
  std::vector<Payload> out;
  {
    BroadcastBatch batch(RemovalReason::kPlain, &out);
    const std::string value(limits::kOrMapValueBytesMax, 'v');
    for (int i = 0; i < 128; ++i) {
      Result<ormap::Delta> d = ormap::add(&map, 42, "service-" + std::to_string(i), value);
      ASSERT_TRUE(d.is_ok());
      batch.add(*d);
    }
  }
  ASSERT_GT(out.size(), 1u);
  ormap::ORMap rebuilt;
  for (const Payload& p : out) {
    EXPECT_LE(p.size(), limits::kBroadcastPayloadBytesMax);
    Result<RegistryBroadcast> b = decode_broadcast(p.bytes(), {});
    ASSERT_TRUE(b.is_ok()) << b.status().to_string();
    ASSERT_TRUE(rebuilt.join(b->delta).is_ok());
  }
  EXPECT_EQ(rebuilt, map);
}

}  // namespace
}  // namespace barrel::registry
