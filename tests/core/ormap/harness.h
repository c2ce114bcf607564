// harness.h — random OR-Map histories for the property tests and the bench.
//
// A History runs `replicas` replicas, each with its own ORMap and replica id,
// for `ops` random operations drawn from a seeded Rng: add, remove (of an
// observed value), remove_key, remove_dots_if (by value), or delivery of a
// random earlier delta to a random replica (so replicas observe each other
// partially and concurrent operations happen). Every delta produced is kept
// in `deltas`, in production order. Keys and values come from small pools so
// that operations collide (the interesting cases for a CRDT).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "barrel/rng.h"
#include "ormap/delta.h"
#include "ormap/ormap.h"

namespace barrel::ormap::test {

inline std::string pick_key(Rng& rng) {
  return "svc-" + std::to_string(rng.uniform(5));
}
inline std::string pick_value(Rng& rng) {
  return "node-" + std::to_string(rng.uniform(4)) + "@h";
}

struct History {
  std::vector<ORMap> states;
  std::vector<Delta> deltas;
  std::vector<ReplicaId> ids;

  History(Rng& rng, size_t replicas, int ops) {
    for (size_t i = 0; i < replicas; ++i) {
      states.emplace_back();
      ids.push_back(1000 + 7 * i);  // arbitrary, content-based ids
    }
    for (int i = 0; i < ops; ++i)
      step(rng);
  }

  void keep(Result<Delta> d) {
    ASSERT_TRUE(d.is_ok()) << d.status().to_string();
    deltas.push_back(std::move(d).value());
  }

  void step(Rng& rng) {
    const size_t at = rng.uniform(states.size());
    ORMap* m = &states[at];
    const uint64_t op = rng.uniform(10);
    if (op < 4) {
      keep(add(m, ids[at], pick_key(rng), pick_value(rng)));
    } else if (op < 6) {
      keep(remove(m, pick_key(rng), pick_value(rng)));
    } else if (op < 7) {
      keep(remove_key(m, pick_key(rng)));
    } else if (op < 8) {
      const std::string v = pick_value(rng);
      keep(remove_dots_if(
          m, [&](std::string_view, Dot, std::string_view value) { return value == v; }, 3));
    } else if (!deltas.empty()) {
      const Delta& d = deltas[rng.uniform(deltas.size())];
      ASSERT_TRUE(m->join(d).is_ok());
    }
  }

  // The join of every delta: what every replica reaches once all are seen.
  ORMap all() const {
    ORMap out;
    for (const Delta& d : deltas)
      EXPECT_TRUE(out.join(d).is_ok());
    return out;
  }
};

}  // namespace barrel::ormap::test
