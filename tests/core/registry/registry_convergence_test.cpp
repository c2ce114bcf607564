// registry_convergence_test — three registries exchanging broadcasts and
// anti-entropy converge to identical lookups, whatever the delivery order.
// Property, over many seeds: random register / unregister / close_endpoint on
// random peers; their broadcasts reach the others shuffled, duplicated or
// lost; anti-entropy runs between random pairs now and then and, at the end,
// until all digests agree (bounded rounds). Then every peer's lookup of every
// service is the same set, it is exactly the set of live local registrations,
// and each peer's event stream accounts for it (per (service, node): events
// registered minus removed = 1 if present, else 0).
// Method: in-memory peers (harness.h) with sync_entries_max 2, so answers are
// cut and far-behind peers need several rounds; a seeded Rng; bounded loops.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "barrel/rng.h"
#include "core/registry/harness.h"

namespace barrel::registry {
namespace {

using test::Ev;
using test::Peer;

struct Net {
  std::vector<std::unique_ptr<Peer>> peers;
  std::vector<std::pair<size_t, Payload>> inflight;  // (destination, payload)
  std::vector<std::map<std::pair<std::string, std::string>, int>> balance;  // per peer
};

void collect(Net& net, size_t i) {
  for (const Ev& e : net.peers[i]->events())
    net.balance[i][{e.service, e.node}] += e.kind == 'R' ? 1 : -1;
}

void send_out(Net& net, Rng& rng, size_t from) {
  for (Payload& p : net.peers[from]->broadcasts()) {
    for (size_t to = 0; to < net.peers.size(); ++to) {
      if (to == from || rng.chance(100'000))  // 10 % lost
        continue;
      net.inflight.emplace_back(to, p);
      if (rng.chance(200'000))  // 20 % duplicated
        net.inflight.emplace_back(to, p);
    }
  }
}

void deliver_one(Net& net, Rng& rng) {
  const size_t k = rng.uniform(net.inflight.size());
  auto [to, payload] = net.inflight[k];
  net.inflight.erase(net.inflight.begin() + static_cast<std::ptrdiff_t>(k));
  Peer& p = *net.peers[to];
  Status s = p.in().on_broadcast(p.now, payload.bytes());
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  collect(net, to);
  send_out(net, rng, to);  // a join may queue a cleanup broadcast
}

void local_op(Net& net, Rng& rng) {
  const size_t i = rng.uniform(net.peers.size());
  Peer& p = *net.peers[i];
  const std::string service = "svc-" + std::to_string(rng.uniform(4));
  const std::vector<ServiceInstance> got = p.reg->lookup(service);
  const bool mine =
      !got.empty() && std::any_of(got.begin(), got.end(), [](const auto& s) { return s.local; });
  if (!mine) {
    Metadata md{{"v", std::to_string(rng.uniform(3))}};
    ASSERT_TRUE(p.in().register_service(p.now, service, rng.uniform(2), md, p.boot).is_ok());
  } else if (rng.chance(300'000)) {
    const EndpointId ep =
        std::find_if(got.begin(), got.end(), [](const auto& s) { return s.local; })->endpoint;
    p.in().close_endpoint(p.now, ep);
  } else {
    ASSERT_TRUE(p.in().unregister_service(p.now, service).is_ok());
  }
  collect(net, i);
  send_out(net, rng, i);
}

void sync_pair(Net& net, size_t from, size_t to) {
  test::sync(*net.peers[from], *net.peers[to]);
  collect(net, to);
}

bool digests_agree(Net& net) {
  for (auto& p : net.peers) {
    if (!(p->reg->digest() == net.peers[0]->reg->digest()))
      return false;
  }
  return true;
}

std::vector<ServiceInstance> canonical(const Peer& p, const std::string& service) {
  std::vector<ServiceInstance> out = p.reg->lookup(service);
  for (ServiceInstance& s : out)
    s.local = false;
  return out;
}

void run(uint64_t seed) {
  Rng rng(seed);
  Net net;
  RegistryConfig config = Peer::no_linger();
  config.sync_entries_max = 2;
  for (int i = 0; i < 3; ++i)
    net.peers.push_back(std::make_unique<Peer>("n" + std::to_string(i) + "@h", 100 + i, config));
  net.balance.resize(net.peers.size());
  for (int step = 0; step < 120; ++step) {
    const uint64_t what = rng.uniform(10);
    if (what < 4)
      local_op(net, rng);
    else if (what < 9 && !net.inflight.empty())
      deliver_one(net, rng);
    else if (what == 9)
      sync_pair(net, rng.uniform(3), rng.uniform(3));
    if (::testing::Test::HasFatalFailure())
      return;
  }
  while (!net.inflight.empty() && !::testing::Test::HasFatalFailure())
    deliver_one(net, rng);
  for (int round = 0; round < 64 && !digests_agree(net); ++round) {
    for (size_t a = 0; a < 3; ++a)
      for (size_t b = 0; b < 3; ++b)
        if (a != b)
          sync_pair(net, a, b);
  }
  ASSERT_TRUE(digests_agree(net)) << "seed " << seed;
  for (auto& p : net.peers) {
    p->reg->check_invariants();
    EXPECT_EQ(p->reg->map(), net.peers[0]->reg->map()) << "seed " << seed;
    EXPECT_FALSE(p->reg->own_entries_lost());
  }
  for (int s = 0; s < 4; ++s) {
    const std::string service = "svc-" + std::to_string(s);
    std::vector<std::pair<std::string, EndpointId>> truth;
    for (auto& p : net.peers)
      for (const ServiceInstance& si : p->reg->lookup(service))
        if (si.local)
          truth.emplace_back(si.node, si.endpoint);
    for (size_t i = 0; i < net.peers.size(); ++i) {
      EXPECT_EQ(canonical(*net.peers[i], service), canonical(*net.peers[0], service))
          << "seed " << seed << " " << service;
      EXPECT_EQ(net.peers[i]->who(service), truth) << "seed " << seed;
      for (const auto& p : net.peers) {
        const int present = static_cast<int>(std::count_if(
            truth.begin(), truth.end(), [&](const auto& t) { return t.first == p->name; }));
        const std::pair<std::string, std::string> key{service, p->name};
        EXPECT_EQ(net.balance[i][key], present)
            << "seed " << seed << " peer " << i << " " << service << " of " << p->name;
      }
    }
  }
}

TEST(RegistryConvergence, ShuffledDuplicatedLostDeliveryConverges) {
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    run(seed);
    if (HasFailure())
      return;
  }
}

}  // namespace
}  // namespace barrel::registry
