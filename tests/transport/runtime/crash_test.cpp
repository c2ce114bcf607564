// A peer that crashes is noticed within the idle timeout, the core promotes a
// passive member in its place, and the peer restarted with its identity is
// accepted again. Garbage datagrams do not disturb a node.
#include <gtest/gtest.h>

#include <boost/asio/ip/udp.hpp>
#include <random>
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
  TempDir dir;
  Cluster c;
  auto options = [&](int i) {
    return NodeOptions{.idle_timeout = Duration::seconds(1),
                       .data_dir = dir.sub(std::to_string(i)),
                       .active_size = 2,
                       .passive_size = 5};
  };
  for (int i = 0; i < 6; ++i)
    c.start(name_of(i), options(i));
  auto& nodes = c.nodes();
  for (int i = 1; i < 6; ++i)
    ASSERT_TRUE(nodes[i]->rt->join(nodes[0]->name).is_ok());
  TestNode& a = *nodes[0];
  // Settled: every view full, one component, and a has a passive member to
  // promote.
  ASSERT_TRUE(c.run_until(
      [&] {
        for (const auto& n : nodes) {
          if (n->rt->active_view().size() != 2)
            return false;
        }
        return c.connected() && c.symmetric() && !a.rt->passive_view().empty();
      },
      std::chrono::seconds(30)));
  const std::string victim_name = a.rt->active_view().front();
  TestNode* victim = nullptr;
  int victim_index = -1;
  for (int i = 0; i < 6; ++i) {
    if (nodes[i]->name == victim_name) {
      victim = nodes[i].get();
      victim_index = i;
    }
  }
  ASSERT_NE(victim, nullptr);
  const uint64_t downs = a.rt->stats().links_down;
  const auto crashed_at = std::chrono::steady_clock::now();
  c.crash(*victim);
  ASSERT_TRUE(
      c.run_until([&] { return a.rt->stats().links_down > downs; }, std::chrono::seconds(5)));
  const auto noticed = std::chrono::steady_clock::now() - crashed_at;
  // The idle timeout (1 s) bounds detection; slack for the test's slices.
  EXPECT_LT(noticed, std::chrono::milliseconds(1600));
  EXPECT_FALSE(has(a.rt->active_view(), victim_name));
  // Promotion from the passive view refills a's active view.
  ASSERT_TRUE(c.run_until(
      [&] { return a.rt->active_view().size() == 2 && !has(a.rt->active_view(), victim_name); }));
  // The victim restarts from its data dir (same key, same port) and joins
  // again: every peer that pinned it accepts it.
  const PublicKey key = victim->identity->public_key();
  c.restart(*victim, options(victim_index));
  EXPECT_TRUE(victim->identity->public_key() == key);
  ASSERT_TRUE(victim->rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until(
      [&] { return !victim->rt->active_view().empty() && c.connected() && c.symmetric(); }));
  for (const auto& n : nodes)
    EXPECT_EQ(n->rt->stats().auth_rejected, 0u) << n->name;
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
