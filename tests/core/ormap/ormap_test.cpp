// ormap_test — the OR-Map's operations one by one: add/values/keys, re-add
// replaces the old dots, observed remove, add wins over a concurrent remove,
// remove_dots_if in bounded chunks, bounds rejected without change.
// Method: two or three replicas driven by hand, deltas exchanged explicitly.
#include "ormap/ormap.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "barrel/limits.h"
#include "ormap/delta.h"

namespace barrel::ormap {
namespace {

using Strings = std::vector<std::string>;

TEST(ORMap, AddThenQuery) {
  ORMap m;
  ASSERT_TRUE(add(&m, 1, "web", "b").is_ok());
  ASSERT_TRUE(add(&m, 1, "web", "a").is_ok());
  ASSERT_TRUE(add(&m, 1, "db", "x").is_ok());
  EXPECT_EQ(m.values("web"), (Strings{"a", "b"}));
  EXPECT_EQ(m.keys(), (Strings{"db", "web"}));
  EXPECT_TRUE(m.contains("db"));
  EXPECT_TRUE(m.contains("web", "a"));
  EXPECT_FALSE(m.contains("web", "x"));
  EXPECT_FALSE(m.contains("nope"));
  EXPECT_TRUE(m.values("nope").empty());
  EXPECT_EQ(m.entry_count(), 3u);
  EXPECT_EQ(m.context().vv().at(1), 3u);
  m.check_invariants();
}

TEST(ORMap, ReAddReplacesOldDotsOfTheSameValue) {
  ORMap m;
  ASSERT_TRUE(add(&m, 1, "web", "a").is_ok());
  Result<Delta> d = add(&m, 1, "web", "a");
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(m.entry_count(), 1u);
  EXPECT_EQ(m.entries("web")->begin()->first, (Dot{1, 2}));
  // The delta's context covers the old dot, so a replica holding it drops it.
  EXPECT_TRUE(d->context().contains({1, 1}));
  EXPECT_TRUE(d->context().contains({1, 2}));
  EXPECT_EQ(d->entry_count(), 1u);
}

TEST(ORMap, ObservedRemovePropagates) {
  ORMap a;
  ORMap b;
  Result<Delta> added = add(&a, 1, "web", "a");
  ASSERT_TRUE(added.is_ok());
  ASSERT_TRUE(b.join(*added).is_ok());
  Result<Delta> removed = remove(&b, "web", "a");
  ASSERT_TRUE(removed.is_ok());
  EXPECT_TRUE(removed->store().empty());
  EXPECT_FALSE(b.contains("web"));
  ASSERT_TRUE(a.join(*removed).is_ok());
  EXPECT_FALSE(a.contains("web"));
  // Replaying the old add changes nothing: the dot is covered, not present.
  ASSERT_TRUE(a.join(*added).is_ok());
  EXPECT_FALSE(a.contains("web"));
  EXPECT_EQ(a, b);
}

TEST(ORMap, ConcurrentAddAndRemoveEndAdded) {
  ORMap a;
  ORMap b;
  Result<Delta> first = add(&a, 1, "web", "a");
  ASSERT_TRUE(first.is_ok());
  ASSERT_TRUE(b.join(*first).is_ok());
  // Concurrently: b removes what it observed, a adds the same value again.
  Result<Delta> rm = remove(&b, "web", "a");
  Result<Delta> again = add(&a, 1, "web", "a");
  ASSERT_TRUE(rm.is_ok() && again.is_ok());
  ASSERT_TRUE(a.join(*rm).is_ok());
  ASSERT_TRUE(b.join(*again).is_ok());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.values("web"), (Strings{"a"}));
  // And a concurrent add by another replica survives a remove_key.
  ORMap c = a;
  Result<Delta> rk = remove_key(&a, "web");
  Result<Delta> other = add(&c, 2, "web", "z");
  ASSERT_TRUE(rk.is_ok() && other.is_ok());
  ASSERT_TRUE(a.join(*other).is_ok());
  ASSERT_TRUE(c.join(*rk).is_ok());
  EXPECT_EQ(a, c);
  EXPECT_EQ(a.values("web"), (Strings{"z"}));
}

TEST(ORMap, RemoveDotsIfWorksInBoundedChunks) {
  ORMap m;
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(add(&m, 1, "svc-" + std::to_string(i), i % 2 ? "dead" : "live").is_ok());
  auto dead = [](std::string_view, Dot, std::string_view v) { return v == "dead"; };
  ORMap peer = m;
  int rounds = 0;
  for (; rounds < 10; ++rounds) {
    Result<Delta> d = remove_dots_if(&m, dead, 2);
    ASSERT_TRUE(d.is_ok());
    if (d->context().empty())
      break;
    EXPECT_LE(d->context().cloud().size() + d->context().vv().size(), 2u);
    ASSERT_TRUE(peer.join(*d).is_ok());
  }
  EXPECT_EQ(rounds, 3);  // 5 dead entries, 2 a call
  EXPECT_EQ(m.entry_count(), 5u);
  EXPECT_EQ(m, peer);
  for (const std::string& k : m.keys())
    EXPECT_EQ(m.values(k), (Strings{"live"}));
}

TEST(ORMap, ArgumentsAndBoundsRejectedWithoutChange) {
  ORMap m;
  EXPECT_EQ(add(&m, 1, "", "v").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(add(&m, 1, std::string(limits::kOrMapKeyBytesMax + 1, 'k'), "v").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(add(&m, 1, "k", std::string(limits::kOrMapValueBytesMax + 1, 'v')).status().code(),
            Code::kInvalidArgument);
  EXPECT_TRUE(m.empty());
  // Several replicas fill the key (one replica owns at most
  // limits::kOrMapEntriesPerReplicaMax entries).
  for (size_t i = 0; i < limits::kOrMapEntriesPerKeyMax; ++i)
    ASSERT_TRUE(
        add(&m, 10 + i / limits::kOrMapEntriesPerReplicaMax, "k", std::to_string(i)).is_ok());
  const ORMap before = m;
  EXPECT_EQ(add(&m, 99, "k", "one-too-many").status().code(), Code::kLimitExceeded);
  EXPECT_EQ(m, before);
  // A join that would pass the bound is refused whole.
  ORMap other;
  ASSERT_TRUE(add(&other, 2, "k", "x").is_ok());
  ASSERT_TRUE(add(&other, 2, "j", "y").is_ok());
  EXPECT_EQ(m.join(other).code(), Code::kLimitExceeded);
  EXPECT_EQ(m, before);
  m.check_invariants();
}

TEST(ORMap, OneReplicaOwnsAtMostItsBound) {
  ORMap m;
  for (size_t i = 0; i < limits::kOrMapEntriesPerReplicaMax; ++i)
    ASSERT_TRUE(add(&m, 5, "k" + std::to_string(i % 7), std::to_string(i)).is_ok());
  EXPECT_EQ(m.live_count(5), limits::kOrMapEntriesPerReplicaMax);
  const ORMap before = m;
  EXPECT_EQ(add(&m, 5, "k", "more").status().code(), Code::kLimitExceeded);
  EXPECT_EQ(m, before);
  // Re-adding an existing value replaces its entry: the count does not grow.
  EXPECT_TRUE(add(&m, 5, "k0", "0").is_ok());
  EXPECT_EQ(m.live_count(5), limits::kOrMapEntriesPerReplicaMax);
  // After a remove there is room again.
  ASSERT_TRUE(remove(&m, "k1", "1").is_ok());
  EXPECT_TRUE(add(&m, 5, "k", "more").is_ok());
}

}  // namespace
}  // namespace barrel::ormap
