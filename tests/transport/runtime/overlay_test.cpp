// Real nodes on loopback form a HyParView overlay through the QUIC transport:
// authenticated connections, bounded symmetric active views, one component.
#include <gtest/gtest.h>

#include <string>

#include "transport/runtime/cluster.h"

namespace barrel::transport::testing {
namespace {

std::string name_of(int i) {
  return "n" + std::to_string(i) + "@127.0.0.1";
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(Overlay, TwoNodesJoinEachOthersActiveViewsThroughAuthenticatedQuic) {
  Cluster c;
  TestNode& a = c.start(name_of(1));
  TestNode& b = c.start(name_of(2));
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until([&] {
    return has(a.rt->active_view(), b.name) && has(b.rt->active_view(), a.name);
  })) << "a: "
      << a.rt->active_view().size() << " b: " << b.rt->active_view().size();
  // One authenticated connection each way, key pinned on first contact.
  EXPECT_EQ(a.rt->connected_peers(), std::vector<std::string>{b.name});
  EXPECT_EQ(b.rt->connected_peers(), std::vector<std::string>{a.name});
  EXPECT_GE(a.rt->stats().auth_accepted, 1u);
  EXPECT_EQ(a.rt->stats().auth_rejected, 0u);
  EXPECT_EQ(a.pins.size(), 1u);
  EXPECT_EQ(b.pins.size(), 1u);
  EXPECT_TRUE(*a.pins.find(b.name).value() == b.identity->public_key());
}

TEST(Overlay, SimultaneousDialsFromBothSidesEndWithOneConnection) {
  Cluster c;
  TestNode& a = c.start(name_of(1));
  TestNode& b = c.start(name_of(2));
  // Both dial before either runs: two connections, each authenticated.
  ASSERT_TRUE(a.rt->join(b.name).is_ok());
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until([&] {
    return has(a.rt->active_view(), b.name) && has(b.rt->active_view(), a.name) &&
           a.rt->connection_count() == 1 && b.rt->connection_count() == 1;
  })) << a.rt->connection_count()
      << " " << b.rt->connection_count();
  // Both ends retired the same duplicate (the one dialed by the name that
  // sorts last), so the survivor is one connection seen from both sides.
  EXPECT_EQ(a.rt->stats().duplicate_connections, 1u);
  EXPECT_EQ(b.rt->stats().duplicate_connections, 1u);
  EXPECT_EQ(a.rt->stats().links_down, 0u);
  EXPECT_EQ(b.rt->stats().links_down, 0u);
}

TEST(Overlay, AuthDisabledWarnsAtStartAndStillConnects) {
  Cluster c;
  TestNode& a = c.start(name_of(1), {.auth_enabled = false});
  TestNode& b = c.start(name_of(2), {.auth_enabled = false});
  EXPECT_TRUE(a.logged("authentication is DISABLED"));
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until([&] { return has(a.rt->active_view(), b.name); }));
  EXPECT_EQ(a.pins.size(), 0u);  // nothing pinned without authentication
  // The cookie still counts.
  TestNode& d = c.start(name_of(3), {.auth_enabled = false, .cookie = "other"});
  ASSERT_TRUE(d.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until([&] { return a.rt->stats().auth_rejected > 0; }));
  EXPECT_FALSE(has(a.rt->active_view(), d.name));
}

TEST(Overlay, TwentyNodesFormOneComponentWithBoundedSymmetricViews) {
  Cluster c;
  for (int i = 0; i < 20; ++i)
    c.start(name_of(i));
  auto& nodes = c.nodes();
  // Each joins through an earlier node: the overlay is grown, not given.
  for (int i = 1; i < 20; ++i)
    ASSERT_TRUE(nodes[i]->rt->join(nodes[i / 2]->name).is_ok());
  auto settled = [&] {
    for (const auto& n : nodes) {
      if (n->rt->active_view().empty())
        return false;
    }
    return c.connected() && c.symmetric() && c.views_bounded(5);
  };
  ASSERT_TRUE(c.run_until(settled, std::chrono::seconds(30)));
  // Quiet: the views stay bounded, symmetric and connected while shuffles
  // and repairs keep running.
  for (int round = 0; round < 10; ++round) {
    c.run_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(c.views_bounded(5));
  }
  ASSERT_TRUE(c.run_until(settled, std::chrono::seconds(10)));
  size_t rejected = 0;
  for (const auto& n : nodes)
    rejected += n->rt->stats().auth_rejected;
  EXPECT_EQ(rejected, 0u);
}

TEST(Overlay, ABroadcastReachesEveryNode) {
  Cluster c;
  for (int i = 0; i < 8; ++i)
    c.start(name_of(i));
  auto& nodes = c.nodes();
  std::map<std::string, int> delivered;
  for (const auto& n : nodes) {
    std::string who = n->name;
    n->rt->subscribe([&delivered, who](const Event& e) {
      if (std::holds_alternative<BroadcastDelivered>(e))
        delivered[who] += 1;
    });
  }
  for (int i = 1; i < 8; ++i)
    ASSERT_TRUE(nodes[i]->rt->join(nodes[0]->name).is_ok());
  ASSERT_TRUE(c.run_until([&] { return c.connected() && c.symmetric(); }));
  const std::vector<uint8_t> payload{'h', 'i'};
  ASSERT_TRUE(nodes[3]->rt->broadcast(payload).is_ok());
  ASSERT_TRUE(c.run_until([&] { return delivered.size() == nodes.size(); }));
  for (const auto& [who, count] : delivered)
    EXPECT_EQ(count, 1) << who;
}

}  // namespace
}  // namespace barrel::transport::testing
