// registry_liveness_test — the registry's liveness hooks: purge_node removes
// what the judge calls dead (ServiceDown{kNodeDead}, local removal that
// anti-entropy spreads), entries already dead on arrival never show, own
// entries a peer removed are noticed (own_entries_lost) and restored with a
// fresh dot, and a previous life's entries are removed by the new life and
// never come back.
// Method: in-memory peers (harness.h) with a test judge over (node, boot,
// incarnation); broadcasts and anti-entropy moved by hand.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/registry/harness.h"
#include "registry/replica_id.h"

namespace barrel::registry {
namespace {

using test::down;
using test::Ev;
using test::Peer;
using test::reg;
using test::unreg;

constexpr ServiceDownReason kDead = ServiceDownReason::kNodeDead;

TEST(RegistryLiveness, PurgeNodeRemovesJudgedDeadEntriesLocally) {
  Peer a("a@h", 10);
  Peer b("b@h", 20);
  Peer c("c@h", 30);
  ASSERT_TRUE(a.in().register_service(a.now, "s1", 1, {}, 10).is_ok());
  ASSERT_TRUE(a.in().register_service(a.now, "s2", 1, {}, 10).is_ok());
  const std::vector<Payload> out = a.broadcasts();
  test::deliver(b, out);
  test::deliver(c, out);
  b.events();
  c.events();

  // Not dead yet: purge_node removes nothing.
  b.in().purge_node(b.now, "a@h");
  EXPECT_TRUE(b.events().empty());
  EXPECT_EQ(b.reg->lookup("s1").size(), 1u);

  b.dead.insert({"a@h", 10, 10});
  EXPECT_TRUE(b.reg->lookup("s1").empty());  // hidden at once, before the purge
  EXPECT_TRUE(b.reg->list_services().empty());
  b.in().purge_node(b.now, "a@h");
  EXPECT_EQ(b.events(), (std::vector<Ev>{down("s1", "a@h", kDead), down("s2", "a@h", kDead)}));
  EXPECT_TRUE(b.broadcasts().empty());  // local: spreads by anti-entropy
  EXPECT_EQ(b.reg->node_count(), 0u);
  EXPECT_EQ(b.reg->max_incarnation_of("a@h"), 0u);
  b.reg->check_invariants();

  // Anti-entropy spreads the removal to c, whose judge agrees.
  c.dead.insert({"a@h", 10, 10});
  test::sync(b, c);
  EXPECT_EQ(c.events(), (std::vector<Ev>{down("s1", "a@h", kDead), down("s2", "a@h", kDead)}));
  EXPECT_EQ(c.reg->map(), b.reg->map());
  // c's old copy cannot bring them back to b.
  test::sync(c, b);
  EXPECT_TRUE(b.events().empty());
  EXPECT_TRUE(b.reg->lookup("s1").empty());
}

TEST(RegistryLiveness, EntriesDeadOnArrivalNeverShow) {
  Peer a("a@h", 10);
  Peer b("b@h", 20);
  b.dead.insert({"a@h", 10, 10});
  ASSERT_TRUE(a.in().register_service(a.now, "s", 1, {}, 10).is_ok());
  ASSERT_TRUE(a.in().register_service(a.now, "t", 1, {}, 11).is_ok());  // a later incarnation
  test::deliver(b, a.broadcasts());
  EXPECT_EQ(b.events(), (std::vector<Ev>{reg("t", "a@h")}));
  EXPECT_TRUE(b.reg->lookup("s").empty());
  EXPECT_EQ(b.reg->map().entry_count(), 1u);
  EXPECT_EQ(b.reg->max_incarnation_of("a@h"), 11u);
  // Its dot is in b's context: a sync does not bring it back.
  test::sync(a, b);
  EXPECT_TRUE(b.events().empty());
  EXPECT_EQ(b.reg->map().entry_count(), 1u);
  b.reg->check_invariants();
}

TEST(RegistryLiveness, OwnEntriesRemovedByAPeerAreRestoredWithAFreshDot) {
  Peer a("a@h", 10);
  Peer b("b@h", 20);
  ASSERT_TRUE(a.in().register_service(a.now, "s", 3, {{"k", "v"}}, 10).is_ok());
  ASSERT_TRUE(a.in().register_service(a.now, "t", 4, {}, 10).is_ok());
  test::deliver(b, a.broadcasts());
  a.events();
  b.events();
  const ormap::Dot old_dot = a.reg->map().entries("s")->begin()->first;

  // b declares a dead at incarnation 10 and purges; the removal reaches a.
  b.dead.insert({"a@h", 10, 10});
  b.in().purge_node(b.now, "a@h");
  b.events();
  test::sync(b, a);
  EXPECT_TRUE(a.events().empty());  // a's own services never went away for a
  EXPECT_TRUE(a.reg->own_entries_lost());
  EXPECT_EQ(a.reg->lookup("s").size(), 1u);  // still shown locally
  EXPECT_EQ(a.reg->list_services(), (std::vector<std::string>{"s", "t"}));
  a.reg->check_invariants();

  a.in().restore_own(a.now, 11);
  EXPECT_FALSE(a.reg->own_entries_lost());
  EXPECT_EQ(a.stats.own_entries_restored, 2u);
  EXPECT_TRUE(a.events().empty());
  const ormap::Dot new_dot = a.reg->map().entries("s")->begin()->first;
  EXPECT_EQ(new_dot.replica, old_dot.replica);
  EXPECT_GT(new_dot.counter, old_dot.counter);
  EXPECT_EQ(a.reg->lookup("s")[0].incarnation, 11u);
  a.reg->check_invariants();

  std::vector<Payload> out = a.broadcasts();
  ASSERT_EQ(out.size(), 1u);  // both in one broadcast
  test::deliver(b, out);
  EXPECT_EQ(b.events(), (std::vector<Ev>{reg("s", "a@h"), reg("t", "a@h")}));
  ASSERT_EQ(b.reg->lookup("s").size(), 1u);
  EXPECT_EQ(b.reg->lookup("s")[0].incarnation, 11u);
  EXPECT_EQ(b.reg->lookup("s")[0].metadata, (Metadata{{"k", "v"}}));
  EXPECT_EQ(b.reg->max_incarnation_of("a@h"), 11u);
  test::sync(a, b);
  test::sync(b, a);
  EXPECT_EQ(a.reg->map(), b.reg->map());
  EXPECT_FALSE(a.reg->own_entries_lost());
}

TEST(RegistryLiveness, APreviousLifeIsRemovedAndNeverComesBack) {
  auto a1 = std::make_unique<Peer>("a@h", 10);
  Peer b("b@h", 20);
  Peer c("c@h", 30);
  ASSERT_TRUE(a1->in().register_service(a1->now, "s", 1, {}, 10).is_ok());
  const std::vector<Payload> old_life = a1->broadcasts();
  test::deliver(b, old_life);
  test::deliver(c, old_life);
  b.events();
  c.events();
  a1.reset();  // a crashes

  Peer a2("a@h", 40);  // and restarts: a new boot, a new replica
  ASSERT_NE(a2.reg->replica(), replica_id("a@h", 10));
  test::sync(b, a2);
  EXPECT_TRUE(a2.events().empty());  // never shown to the new life
  EXPECT_TRUE(a2.reg->lookup("s").empty());
  EXPECT_EQ(a2.reg->map().entry_count(), 0u);
  a2.reg->check_invariants();
  std::vector<Payload> cleanup = a2.broadcasts();
  ASSERT_EQ(cleanup.size(), 1u);
  EXPECT_EQ(cleanup[0].bytes()[0], 2);  // owner restart cleanup

  test::deliver(b, cleanup);
  EXPECT_EQ(b.events(), (std::vector<Ev>{down("s", "a@h", kDead)}));
  EXPECT_TRUE(b.reg->lookup("s").empty());
  // A late copy of the old life's broadcast, and c's stale state, change nothing.
  test::deliver(b, old_life);
  test::sync(c, b);
  EXPECT_TRUE(b.events().empty());
  EXPECT_TRUE(b.reg->lookup("s").empty());
  test::sync(b, c);
  EXPECT_EQ(c.events(), (std::vector<Ev>{unreg("s", "a@h")}));  // c has no reason: plain
  test::sync(c, a2);
  EXPECT_TRUE(a2.broadcasts().empty());

  // The new life registers again: everyone sees boot 40.
  ASSERT_TRUE(a2.in().register_service(a2.now, "s", 1, {}, 40).is_ok());
  test::deliver(b, a2.broadcasts());
  ASSERT_EQ(b.reg->lookup("s").size(), 1u);
  EXPECT_EQ(b.reg->lookup("s")[0].boot, 40u);
  for (Peer* p : {&a2, &b, &c})
    p->reg->check_invariants();
}

}  // namespace
}  // namespace barrel::registry
