// registry_budget_test — registry events are bounded per input: a join or a
// purge with more than limits::kRegistryEventsPerInputMax events emits that
// many, keeps the rest (pending events, pending purges), reports
// next_deadline() = now, and finishes at handle_timers(); nothing is lost or
// reordered, and lookup() hides the judged-dead entries while a purge waits.
// Method: one registry fed an anti-entropy delta of 10 nodes x 120 services
// (1200 entries); each "input" starts with sink.begin_input() as in the Node.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "barrel/limits.h"
#include "core/registry/harness.h"
#include "registry/replica_id.h"

namespace barrel::registry {
namespace {

using test::Ev;
using test::Peer;

constexpr int kNodes = 10;
constexpr int kServicesPerNode = 120;
constexpr size_t kTotal = kNodes * kServicesPerNode;

std::string node_name(int n) {
  return "n" + std::to_string(n) + "@h";
}
std::string service_name(int n, int s) {
  return "svc-" + std::to_string(n) + "-" + std::to_string(s);
}

ormap::Delta big_delta() {
  ormap::ORMap all;
  for (int n = 0; n < kNodes; ++n) {
    ormap::ORMap one;
    const std::string value = encode_entry_value(RegistryEntry{node_name(n), 5, 5, 1, {}});
    for (int s = 0; s < kServicesPerNode; ++s)
      EXPECT_TRUE(ormap::add(&one, replica_id(node_name(n), 5), service_name(n, s), value).is_ok());
    EXPECT_TRUE(all.join(one).is_ok());
  }
  EXPECT_EQ(all.entry_count(), kTotal);
  return all;
}

// Runs handle_timers inputs until the registry is idle (bounded), returning
// each input's event count.
std::vector<size_t> finish(Peer& p, std::vector<Ev>* events) {
  std::vector<size_t> per_input;
  for (int i = 0; i < 8 && !p.reg->next_deadline().is_never(); ++i) {
    EXPECT_LE(p.reg->next_deadline(), p.now);  // due now
    p.in().handle_timers(p.now);
    std::vector<Ev> got = p.events();
    per_input.push_back(got.size());
    events->insert(events->end(), got.begin(), got.end());
  }
  EXPECT_TRUE(p.reg->next_deadline().is_never());
  return per_input;
}

TEST(RegistryBudget, JoinAndPurgeBeyondTheBudgetContinueOnTimers) {
  Peer b("b@h", 20);
  EXPECT_TRUE(b.reg->next_deadline().is_never());
  ASSERT_TRUE(b.in().apply_sync_delta(b.now, big_delta()).is_ok());
  std::vector<Ev> events = b.events();
  EXPECT_EQ(events.size(), limits::kRegistryEventsPerInputMax);
  EXPECT_EQ(b.reg->pending_events(), kTotal - limits::kRegistryEventsPerInputMax);
  EXPECT_EQ(b.reg->lookup(service_name(9, 119)).size(), 1u);  // the state is whole already
  const std::vector<size_t> rest = finish(b, &events);
  EXPECT_EQ(rest, (std::vector<size_t>{kTotal - limits::kRegistryEventsPerInputMax}));
  ASSERT_EQ(events.size(), kTotal);
  // Every entry reported once, in (key, dot) order.
  for (size_t i = 1; i < events.size(); ++i)
    EXPECT_LT(events[i - 1].service, events[i].service);
  EXPECT_EQ(b.reg->node_count(), static_cast<size_t>(kNodes));

  // All ten nodes die at once: one input purges them all.
  for (int n = 0; n < kNodes; ++n)
    b.dead_nodes.insert(node_name(n));
  EXPECT_TRUE(b.reg->list_services().empty());  // hidden before any purge
  Registry& r = b.in();
  for (int n = 0; n < kNodes; ++n)
    r.purge_node(b.now, node_name(n));
  EXPECT_LE(b.sink.produced(), limits::kRegistryEventsPerInputMax);
  events = b.events();
  EXPECT_EQ(events.size(), limits::kRegistryEventsPerInputMax);
  EXPECT_EQ(b.reg->map().entry_count(), kTotal - limits::kRegistryEventsPerInputMax);
  EXPECT_TRUE(b.reg->lookup(service_name(9, 119)).empty());  // pending, but hidden
  finish(b, &events);
  ASSERT_EQ(events.size(), kTotal);
  for (const Ev& e : events)
    EXPECT_EQ(e, test::down(e.service, e.node, ServiceDownReason::kNodeDead));
  EXPECT_EQ(b.reg->map().entry_count(), 0u);
  EXPECT_EQ(b.reg->node_count(), 0u);
  b.reg->check_invariants();
}

TEST(RegistryBudget, OtherEffectsOfTheInputCountAgainstTheBudget) {
  Peer b("b@h", 20);
  b.sink.begin_input();
  for (int i = 0; i < 100; ++i)
    b.sink.emit(PeerUp{});
  ASSERT_TRUE(b.reg->apply_sync_delta(b.now, big_delta()).is_ok());
  EXPECT_EQ(b.sink.produced(), limits::kRegistryEventsPerInputMax);
  EXPECT_EQ(b.reg->pending_events(), kTotal - (limits::kRegistryEventsPerInputMax - 100));
  // A local registration waits behind them: order is kept.
  ASSERT_TRUE(b.reg->register_service(b.now, "late", 1, {}, 20).is_ok());
  std::vector<Ev> events;
  b.effects.clear();
  finish(b, &events);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back(), test::reg("late", "b@h"));
}

}  // namespace
}  // namespace barrel::registry
