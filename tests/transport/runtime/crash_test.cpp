// A peer that crashes is noticed within the idle timeout, the core promotes a
// passive member in its place, and the peer restarted with its identity is
// accepted again. Garbage datagrams do not disturb a node.
#include <gtest/gtest.h>

#include <boost/asio/ip/udp.hpp>
#include <random>
#include <set>
#include <string>

#include "transport/runtime/cluster.h"

namespace barrel::transport::testing {
namespace {

namespace asio = boost::asio;

std::string name_of(int i) {
  return "c" + std::to_string(i) + "@127.0.0.1";
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(Crash, LinkDownWithinTheIdleTimeoutThenPromotionThenTheRestartedPeerIsAccepted) {
  // 8 nodes with the default views (5 active): each node keeps 2 passive.
  constexpr int kNodes = 8;
  TempDir dir;
  Cluster c;
  auto options = [&](int i) {
    return NodeOptions{.idle_timeout = Duration::seconds(1),
                       .data_dir = dir.sub(std::to_string(i))};
  };
  for (int i = 0; i < kNodes; ++i)
    c.start(name_of(i), options(i));
  auto& nodes = c.nodes();
  for (int i = 1; i < kNodes; ++i)
    ASSERT_TRUE(nodes[i]->rt->join(nodes[0]->name).is_ok());
  TestNode& a = *nodes[0];
  // Settled: one component, symmetric, a's active view full and a passive
  // member there to promote.
  ASSERT_TRUE(c.run_until(
      [&] {
        for (const auto& n : nodes) {
          if (n->rt->active_view().empty())
            return false;
        }
        return c.connected() && c.symmetric() && a.rt->active_view().size() == 5 &&
               !a.rt->passive_view().empty();
      },
      std::chrono::seconds(30)))
      << c.dump();
  const std::string victim_name = a.rt->active_view().front();
  TestNode* victim = nullptr;
  int victim_index = -1;
  for (int i = 0; i < kNodes; ++i) {
    if (nodes[i]->name == victim_name) {
      victim = nodes[i].get();
      victim_index = i;
    }
  }
  ASSERT_NE(victim, nullptr);
  auto total_links_down = [&] {
    uint64_t n = 0;
    for (const auto& x : nodes) {
      if (x->rt)
        n += x->rt->stats().links_down;
    }
    return n;
  };
  const uint64_t downs = total_links_down();
  auto total_neighbor_requests = [&] {
    uint64_t n = 0;
    for (const auto& x : nodes) {
      if (x->rt)
        n += x->rt->node().stats().neighbor_requests_sent;
    }
    return n;
  };
  const uint64_t requests_before = total_neighbor_requests();
  const auto crashed_at = std::chrono::steady_clock::now();
  c.crash(*victim);
  // Every node that had the victim in its active view lets go of it: by the
  // broken link (idle timeout, 1 s) or, if its view changed meanwhile, by the
  // protocol. At least one learns it from the link.
  auto gone = [&] {
    for (const auto& x : nodes) {
      if (x->rt && has(x->rt->active_view(), victim_name))
        return false;
    }
    return total_links_down() > downs;
  };
  ASSERT_TRUE(c.run_until(gone, std::chrono::seconds(5))) << "victim " << victim_name;
  const auto noticed = std::chrono::steady_clock::now() - crashed_at;
  // The idle timeout (1 s) bounds detection; slack for the test's slices.
  // Worst case idle_timeout + keep_alive (1.33 s here); sanitizer builds run
  // several times slower.
#if defined(__SANITIZE_ADDRESS__)
  EXPECT_LT(noticed, std::chrono::milliseconds(3000));
#else
  EXPECT_LT(noticed, std::chrono::milliseconds(1600));
#endif
  // The victim's neighbours ask their passive members to replace it
  // (NEIGHBOR requests: the core's promotion from the passive view; a node
  // may instead be filled by another's request first). Whether every view
  // gets back to 5 depends on who has room — a full view refuses a
  // low-priority request, and 7 nodes cannot all hold 5 links — so the test
  // asserts the promotions and that the live overlay stays one symmetric
  // component; the simulator's tests pin down the protocol's outcomes.
  ASSERT_TRUE(c.run_until([&] { return total_neighbor_requests() > requests_before; })) << c.dump();
  ASSERT_TRUE(c.run_until([&] { return c.connected() && c.symmetric(); })) << c.dump();
  EXPECT_FALSE(has(a.rt->active_view(), victim_name));
  // The victim restarts from its data dir (same key, same port) and joins
  // again: every peer that pinned it accepts it.
  const PublicKey key = victim->identity->public_key();
  c.restart(*victim, options(victim_index));
  EXPECT_TRUE(victim->identity->public_key() == key);
  ASSERT_TRUE(victim->rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until(
      [&] { return !victim->rt->active_view().empty() && c.connected() && c.symmetric(); }));
  for (const auto& n : nodes)
    EXPECT_EQ(n->rt->stats().auth_rejected, 0u) << n->name << "\n" << n->log.back();
}

TEST(Crash, GarbageDatagramsDoNotDisturbANode) {
  Cluster c;
  TestNode& a = c.start(name_of(0));
  TestNode& b = c.start(name_of(1));
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until([&] { return has(a.rt->active_view(), b.name); }));
  asio::ip::udp::socket junk(c.io(), asio::ip::udp::endpoint(asio::ip::udp::v4(), 0));
  const asio::ip::udp::endpoint to(asio::ip::make_address("127.0.0.1"), a.port);
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::vector<uint8_t> d(1 + rng() % 1400);
    for (auto& x : d)
      x = static_cast<uint8_t>(rng());
    if (i % 3 == 0)
      d[0] = 0xc0;  // looks like a long-header Initial
    boost::system::error_code ec;
    junk.send_to(asio::buffer(d), to, 0, ec);
  }
  // The link survives and still carries the protocol: a broadcast arrives.
  bool got = false;
  b.rt->subscribe(
      [&](const Event& e) { got = got || std::holds_alternative<BroadcastDelivered>(e); });
  const std::vector<uint8_t> payload{1, 2, 3};
  ASSERT_TRUE(c.run_until([&] { return a.rt->endpoint_stats().datagrams_dropped >= 400; }));
  ASSERT_TRUE(a.rt->broadcast(payload).is_ok());
  ASSERT_TRUE(c.run_until([&] { return got; }));
  EXPECT_TRUE(has(a.rt->active_view(), b.name));
  EXPECT_EQ(a.rt->stats().links_down, 0u);
}

}  // namespace
}  // namespace barrel::transport::testing
