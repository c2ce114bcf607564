// node_registry_test — the service registry and liveness through whole Nodes:
// registrations spread to every node and lookups agree; whereis prefers the
// local instance; a crashed node's entries go everywhere once it is declared
// dead, while a node that only leaves active views keeps them; a restarted
// node never gets its old entries back and is not left considered dead; a
// false death claim is refuted and the victim's entries come back; a leaving
// node's services go; malformed registry state from a peer is rejected and
// counted without changing anything.
// Method: harness.h (FIFO delivery, zero latency, virtual clock, bounded
// steps; a Send to a crashed node fails at once, so probes of a crashed node
// fail fast and only the suspicion timeout takes time); fixed seeds.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/hyparview/harness.h"
#include "liveness/claim_codec.h"

namespace barrel {
namespace {

using test::Harness;

std::string name_of(size_t i) {
  return "n" + std::to_string(i) + "@test";
}

void grow(Harness& h, Duration run = Duration::seconds(20)) {
  for (size_t i = 1; i < h.size(); ++i) {
    h.join(i, 0);
    ASSERT_TRUE(h.settle());
  }
  ASSERT_TRUE(h.run_for(run));
  ASSERT_EQ(h.components(), 1u);
}

void register_at(Harness& h, size_t i, const std::string& service, const Metadata& md = {}) {
  ASSERT_TRUE(h.node(i).register_service(h.now(), service, /*endpoint=*/7, md).is_ok());
  h.collect_for_test(i);
}

// The nodes (by name) of every instance of `service` node i sees.
std::vector<std::string> holders(const Harness& h, size_t i, const std::string& service) {
  std::vector<std::string> out;
  for (const ServiceInstance& s : h.node(i).lookup(service))
    out.push_back(s.node);
  return out;
}

// "" if every live member sees the same instances of every service as node
// `ref`, else the first difference.
std::string disagreement(const Harness& h, size_t ref) {
  const std::vector<std::string> names = h.node(ref).list_services();
  for (size_t i = 0; i < h.size(); ++i) {
    if (!h.member(i))
      continue;
    if (h.node(i).list_services() != names)
      return name_of(i) + " lists other services than " + name_of(ref);
    for (const std::string& s : names) {
      if (h.node(i).lookup(s) != h.node(ref).lookup(s)) {
        // `local` differs by design; compare without it.
        std::vector<ServiceInstance> a = h.node(i).lookup(s), b = h.node(ref).lookup(s);
        for (auto& x : a)
          x.local = false;
        for (auto& x : b)
          x.local = false;
        if (a != b)
          return name_of(i) + " disagrees on " + s;
      }
    }
  }
  return "";
}

// "" if no live member considers live node j dead or suspect at j's
// current incarnation.
std::string live_considered_dead(const Harness& h) {
  for (size_t i = 0; i < h.size(); ++i) {
    if (!h.member(i))
      continue;
    for (const MemberInfo& m : h.node(i).suspect_and_dead_members()) {
      for (size_t j = 0; j < h.size(); ++j) {
        if (h.member(j) && m.node == name_of(j) && m.incarnation >= h.node(j).incarnation())
          return name_of(i) + " considers live " + m.node + " " + std::string(to_string(m.state));
      }
    }
  }
  return "";
}

TEST(NodeRegistry, SeedExampleLookupAndLocalWhereis) {
  Harness h(2, 1);
  grow(h, Duration::seconds(2));
  register_at(h, 0, "my_worker", Metadata{{"role", "worker"}});
  ASSERT_TRUE(h.run_for(Duration::millis(100)));  // past the register linger (20 ms)
  const std::vector<ServiceInstance> seen = h.node(1).lookup("my_worker");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].node, name_of(0));
  EXPECT_EQ(seen[0].metadata.at("role"), "worker");
  EXPECT_FALSE(seen[0].local);
  const std::optional<ServiceInstance> w = h.node(0).whereis("my_worker");
  ASSERT_TRUE(w.has_value());
  EXPECT_TRUE(w->local);
  EXPECT_EQ(w->node, name_of(0));
  // The same name twice on one node is refused; on another node it is a
  // second instance, and whereis still prefers the local one.
  EXPECT_EQ(h.node(0).register_service(h.now(), "my_worker", 8, {}).code(), Code::kAlreadyExists);
  register_at(h, 1, "my_worker");
  ASSERT_TRUE(h.run_for(Duration::millis(100)));
  EXPECT_EQ(h.node(0).lookup("my_worker").size(), 2u);
  EXPECT_EQ(h.node(1).whereis("my_worker")->node, name_of(1));
  EXPECT_EQ(h.node(0).whereis("my_worker")->node, name_of(0));
}

TEST(NodeRegistry, ThirtyNodesAgreeOnEveryLookup) {
  Harness h(30, 7);
  grow(h);
  for (size_t i = 0; i < h.size(); ++i) {
    register_at(h, i, "svc" + std::to_string(i % 4));
    register_at(h, i, "own" + std::to_string(i));
  }
  ASSERT_TRUE(h.run_for(Duration::seconds(10)));
  EXPECT_EQ(disagreement(h, 0), "");
  EXPECT_EQ(h.node(17).lookup("svc1").size(), 8u);  // i % 4 == 1 for 8 of 30
  EXPECT_EQ(h.node(3).list_services().size(), 4u + 30u);
}

TEST(NodeRegistry, CrashedNodesEntriesGoEverywhereWithinTheSuspicionTimeout) {
  Harness h(20, 3);
  grow(h);
  register_at(h, 5, "svc");
  register_at(h, 6, "svc");
  ASSERT_TRUE(h.run_for(Duration::seconds(5)));
  ASSERT_EQ(holders(h, 0, "svc").size(), 2u);
  h.crash(5);
  // Probes fail at once here; the suspicion timeout is 2 s + 1 s * log2(N).
  ASSERT_TRUE(h.run_for(Duration::seconds(30)));
  for (size_t i = 0; i < h.size(); ++i) {
    if (!h.member(i))
      continue;
    EXPECT_EQ(holders(h, i, "svc"), std::vector<std::string>{name_of(6)}) << name_of(i);
    const std::optional<MemberInfo> m = h.node(i).member(name_of(5));
    ASSERT_TRUE(m.has_value()) << name_of(i);
    EXPECT_EQ(m->state, MemberState::kDead) << name_of(i);
  }
  EXPECT_EQ(live_considered_dead(h), "");
}

TEST(NodeRegistry, LeavingActiveViewsIsNotDeath) {
  // Active views of 3 and many joins: nodes are evicted and shuffled out of
  // active views all the time, and no one is suspected for it.
  NodeConfig config;
  config.hyparview.active_size = 3;
  config.hyparview.passive_size = 8;
  config.hyparview.repair_high_below = 2;
  config.hyparview.shuffle_period = Duration::seconds(2);
  Harness h(24, 11, config);
  grow(h);
  for (size_t i = 0; i < h.size(); ++i)
    register_at(h, i, "svc");
  ASSERT_TRUE(h.run_for(Duration::seconds(120)));
  uint64_t evictions = 0;
  for (size_t i = 0; i < h.size(); ++i)
    evictions += h.node(i).stats().evictions;
  EXPECT_GT(evictions, 0u);
  for (size_t i = 0; i < h.size(); ++i)
    EXPECT_EQ(h.node(i).lookup("svc").size(), h.size()) << name_of(i);
  EXPECT_EQ(live_considered_dead(h), "");
}

TEST(NodeRegistry, RestartedNodeGetsNoOldEntriesBackAndIsNotLeftDead) {
  Harness h(16, 5);
  grow(h);
  register_at(h, 4, "old");
  ASSERT_TRUE(h.run_for(Duration::seconds(5)));
  const uint64_t old_boot = h.node(4).boot_incarnation();
  h.crash(4);
  ASSERT_TRUE(h.run_for(Duration::seconds(1)));
  h.restart(4, 99);
  EXPECT_GT(h.node(4).boot_incarnation(), old_boot);
  h.join(4, 0);
  register_at(h, 4, "new");
  ASSERT_TRUE(h.run_for(Duration::seconds(60)));
  for (size_t i = 0; i < h.size(); ++i) {
    EXPECT_TRUE(h.node(i).lookup("old").empty()) << name_of(i);
    EXPECT_EQ(holders(h, i, "new"), std::vector<std::string>{name_of(4)}) << name_of(i);
  }
  EXPECT_EQ(live_considered_dead(h), "");
  EXPECT_EQ(disagreement(h, 0), "");
}

TEST(NodeRegistry, FalseDeathClaimIsRefutedAndEntriesComeBack) {
  Harness h(12, 9);
  grow(h);
  register_at(h, 3, "svc");
  ASSERT_TRUE(h.run_for(Duration::seconds(5)));
  // Node 0 hears (from its neighbour) that node 3 is dead at its current
  // incarnation: everyone purges node 3's entries; node 3 hears it, refutes
  // with a higher incarnation and re-adds them.
  const size_t from = h.node(0).active_view()[0].value();
  liveness::Claim claim{MemberState::kDead, name_of(3), h.node(3).boot_incarnation(),
                        h.node(3).incarnation()};
  std::vector<uint8_t> bytes;
  liveness::encode_claim(claim, &bytes);
  Gossip g{MessageId{42, 42}, h.id(from), 0, Payload(std::move(bytes)), BroadcastKind::kLiveness};
  h.deliver_for_test(0, from, g);
  ASSERT_TRUE(h.run_for(Duration::seconds(30)));
  EXPECT_GT(h.node(3).incarnation(), claim.incarnation);
  for (size_t i = 0; i < h.size(); ++i)
    EXPECT_EQ(holders(h, i, "svc"), std::vector<std::string>{name_of(3)}) << name_of(i);
  EXPECT_EQ(live_considered_dead(h), "");
}

TEST(NodeRegistry, LeavingNodeUnregistersItsServices) {
  Harness h(8, 2);
  grow(h);
  register_at(h, 2, "svc");
  ASSERT_TRUE(h.run_for(Duration::seconds(2)));
  ASSERT_EQ(holders(h, 5, "svc").size(), 1u);
  h.leave(2);
  ASSERT_TRUE(h.run_for(Duration::seconds(5)));
  for (size_t i = 0; i < h.size(); ++i) {
    if (h.member(i)) {
      EXPECT_TRUE(h.node(i).lookup("svc").empty()) << name_of(i);
    }
  }
}

TEST(NodeRegistry, ClosedEndpointTakesItsServices) {
  Harness h(4, 2);
  grow(h, Duration::seconds(2));
  ASSERT_TRUE(h.node(1).register_service(h.now(), "a", 1, {}).is_ok());
  ASSERT_TRUE(h.node(1).register_service(h.now(), "b", 2, {}).is_ok());
  h.collect_for_test(1);
  ASSERT_TRUE(h.run_for(Duration::millis(100)));
  h.node(1).close_endpoint(h.now(), 1);
  h.collect_for_test(1);
  ASSERT_TRUE(h.settle());
  for (size_t i = 0; i < h.size(); ++i) {
    EXPECT_TRUE(h.node(i).lookup("a").empty()) << name_of(i);
    EXPECT_EQ(h.node(i).lookup("b").size(), 1u) << name_of(i);
  }
}

TEST(NodeRegistry, MalformedStateFromAPeerIsRejectedAndCounted) {
  Harness h(3, 4);
  grow(h, Duration::seconds(2));
  register_at(h, 1, "svc");
  ASSERT_TRUE(h.run_for(Duration::millis(100)));
  const std::vector<ServiceInstance> before = h.node(0).lookup("svc");
  const NodeId peer = h.id(1);
  Node& n = h.node(0);
  // A registry delta of an unknown version inside a well-formed GOSSIP.
  const uint64_t rejected = n.stats().registry_deltas_rejected;
  Gossip g{MessageId{7, 7}, peer, 0, Payload({0, 99, 1, 2, 3}), BroadcastKind::kRegistry};
  EXPECT_TRUE(n.deliver(h.now(), peer, g).is_ok());  // the GOSSIP is fine; its payload is not
  EXPECT_EQ(n.stats().registry_deltas_rejected, rejected + 1);
  // A digest body that does not decode.
  const uint64_t digests = n.stats().sync_digests_rejected;
  EXPECT_FALSE(n.deliver(h.now(), peer, SyncDigest{Payload({1, 1, 0})}).is_ok());
  EXPECT_EQ(n.stats().sync_digests_rejected, digests + 1);
  // A claim that does not decode.
  const uint64_t claims = n.stats().claims_rejected;
  Gossip c{MessageId{8, 8}, peer, 0, Payload({9}), BroadcastKind::kLiveness};
  EXPECT_TRUE(n.deliver(h.now(), peer, c).is_ok());
  EXPECT_EQ(n.stats().claims_rejected, claims + 1);
  h.collect_for_test(0);
  ASSERT_TRUE(h.settle());
  EXPECT_EQ(h.node(0).lookup("svc"), before);
}

}  // namespace
}  // namespace barrel
