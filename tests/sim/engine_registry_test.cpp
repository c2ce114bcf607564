// engine_registry_test.cpp — goal: the engine's registry bookkeeping, apart
// from the core: register steps call the node with the expanded names, the
// endpoints and the metadata, a refusal is counted (not a failure), the truth
// loses a crashed node's pairs, the event-hash views open and close
// disagreement intervals at the right samples, disruptions are answered, and
// registry_converged / no_live_dead judge the nodes' own answers. Method: a
// scripted registry node (below) that learns the world's registrations only
// at its 1-second timer (a crude anti-entropy), so convergence times are
// known exactly; assertions on the report.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine.h"
#include "sim/engine_fake_node.h"

namespace barrel::sim {
namespace {

using Pair = std::pair<std::string, std::string>;  // (service, node)

struct RegistryWorld {
  std::map<Pair, std::pair<EndpointId, Metadata>> registered;  // by live nodes
  std::vector<MemberInfo> dead_claims;  // what every node reports as suspect/dead
};

class RegistryNode final : public HostedNode {
 public:
  RegistryNode(RegistryWorld* world, std::string self, Instant now)
      : world_(world), self_(std::move(self)), deadline_(now + Duration::seconds(1)) {}
  ~RegistryNode() override {
    for (auto it = world_->registered.begin(); it != world_->registered.end();)
      it = it->first.second == self_ ? world_->registered.erase(it) : std::next(it);
  }
  Status join(Instant, NodeId) override { return Status::ok(); }
  void leave(Instant) override {}
  bool has_left() const override { return false; }
  Result<MessageId> broadcast(Instant, std::span<const uint8_t>) override { return MessageId{}; }
  std::span<const NodeId> active_view() const override { return {}; }
  std::span<const NodeId> passive_view() const override { return {}; }
  Status deliver(Instant, NodeId, const Message&) override { return Status::ok(); }
  void on_link_down(Instant, NodeId) override {}
  void on_link_failed(Instant, NodeId) override {}
  // Learns the world's registrations: the crude anti-entropy of the fake.
  void handle_timers(Instant now) override {
    for (const auto& [pair, value] : world_->registered) {
      if (known_.insert(pair).second)
        queued_.push_back(Emit{ServiceRegistered{pair.first, pair.second}});
    }
    for (auto it = known_.begin(); it != known_.end();) {
      if (world_->registered.count(*it) != 0) {
        ++it;
        continue;
      }
      queued_.push_back(Emit{ServiceDown{it->first, it->second, ServiceDownReason::kNodeDead}});
      it = known_.erase(it);
    }
    deadline_ = now + Duration::seconds(1);
  }
  Instant next_deadline() const override { return deadline_; }
  void drain_effects(std::vector<Effect>* out) override {
    for (Effect& e : queued_)
      out->push_back(std::move(e));
    queued_.clear();
  }
  Status register_service(Instant, std::string_view name, EndpointId endpoint,
                          const Metadata& metadata) override {
    const Pair pair{std::string(name), self_};
    if (!world_->registered.emplace(pair, std::make_pair(endpoint, metadata)).second)
      return Status::already_exists("registered");
    known_.insert(pair);
    queued_.push_back(Emit{ServiceRegistered{pair.first, self_}});
    return Status::ok();
  }
  std::vector<ServiceInstance> lookup(std::string_view name) const override {
    std::vector<ServiceInstance> out;
    for (const Pair& p : known_) {
      auto it = world_->registered.find(p);
      if (p.first == name) {
        ServiceInstance s;
        s.service = p.first;
        s.node = p.second;
        if (it != world_->registered.end()) {
          s.endpoint = it->second.first;
          s.metadata = it->second.second;
        }
        out.push_back(s);
      }
    }
    return out;
  }
  std::vector<std::string> list_services() const override {
    std::set<std::string> names;
    for (const Pair& p : known_)
      names.insert(p.first);
    return {names.begin(), names.end()};
  }
  uint64_t incarnation() const override { return 7; }
  std::vector<MemberInfo> suspect_and_dead_members() const override { return world_->dead_claims; }

 private:
  RegistryWorld* world_;
  std::string self_;
  Instant deadline_;
  std::set<Pair> known_;
  std::vector<Effect> queued_;
};

NodeFactory registry_factory(RegistryWorld* world) {
  return [world](const NodeConfig&, NameTable& names, NodeId self, uint64_t,
                 Instant now) -> Result<std::unique_ptr<HostedNode>> {
    return std::unique_ptr<HostedNode>(new RegistryNode(world, std::string(names.name(self)), now));
  };
}

Expectation check(Duration at, Expectation::Kind kind) {
  Expectation x;
  x.at = at;
  x.kind = kind;
  return x;
}

// node1 and node2 start at 0 (timers at 1 s, 2 s, ...). node1 registers
// svc1, svc2 at 2.5 s (node2 learns them at 3 s); registers them again at
// 3.5 s (refused); crashes at 4.5 s (node2 forgets at 5 s).
Scenario two_nodes() {
  Scenario s;
  s.node_count = 2;
  s.duration = Duration::seconds(8);
  s.timeline.push_back(test::at_step(Duration::zero(), StartAction{test::all_nodes()}));
  RegisterAction r{test::named({"node1@sim"}), "svc{k}", 2, {{"role", "worker"}}};
  s.timeline.push_back(test::at_step(Duration::millis(2500), r));
  s.timeline.push_back(test::at_step(Duration::millis(3500), r));
  s.timeline.push_back(
      test::at_step(Duration::millis(4500), CrashAction{test::named({"node1@sim"})}));
  s.expectations.push_back(check(Duration::millis(2700), Expectation::Kind::kRegistryConverged));
  s.expectations.push_back(check(Duration::millis(3200), Expectation::Kind::kRegistryConverged));
  Expectation within = check(Duration::millis(3300), Expectation::Kind::kRegistryConverged);
  within.within = Duration::millis(500);
  s.expectations.push_back(within);
  s.expectations.push_back(check(Duration::millis(4700), Expectation::Kind::kRegistryConverged));
  s.expectations.push_back(check(Duration::seconds(6), Expectation::Kind::kNoLiveDead));
  return s;
}

TEST(EngineRegistry, TruthViewsIntervalsAndChecksOverAScriptedRegistry) {
  RegistryWorld world;
  const Scenario s = two_nodes();
  Engine engine(s, RunOptions{}, registry_factory(&world));
  const RunReport r = engine.run();
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_EQ(r.expectations.size(), 5u);
  EXPECT_FALSE(r.expectations[0].passed);
  EXPECT_NE(r.expectations[0].detail.find("node2@sim lacks (svc1, node1@sim)"), std::string::npos)
      << r.expectations[0].detail;
  EXPECT_TRUE(r.expectations[1].passed) << r.expectations[1].detail;
  EXPECT_TRUE(r.expectations[2].passed) << r.expectations[2].detail;  // 500 ms after the change
  EXPECT_FALSE(r.expectations[3].passed);
  EXPECT_NE(r.expectations[3].detail.find("node2@sim has extra (svc1, node1@sim)"),
            std::string::npos)
      << r.expectations[3].detail;
  EXPECT_TRUE(r.expectations[4].passed) << r.expectations[4].detail;
  // The same agreement judged with a tighter bound fails.
  Scenario tight = two_nodes();
  tight.expectations[2].within = Duration::millis(400);
  RegistryWorld world2;
  Engine tighter(tight, RunOptions{}, registry_factory(&world2));
  const RunReport t = tighter.run();
  EXPECT_FALSE(t.expectations[2].passed);
  EXPECT_NE(t.expectations[2].detail.find("agreement 0.500000s after the last change"),
            std::string::npos)
      << t.expectations[2].detail;

  const RegistryReport& g = r.registry;
  EXPECT_TRUE(g.active);
  EXPECT_EQ(g.registrations, 2u);
  EXPECT_EQ(g.refused, 2u);
  EXPECT_EQ(g.instances_at_end, 0u);
  // Disagreement from 2.5 s (the register) to the sample at 3 s (node2's
  // timer at 3 s was queued before that sample, so it runs first), and from
  // 4.5 s (the crash) to the sample at 5 s.
  ASSERT_EQ(g.intervals.size(), 2u);
  EXPECT_EQ(g.intervals[0].from, Instant::zero() + Duration::millis(2500));
  EXPECT_EQ(g.intervals[0].to, Instant::zero() + Duration::millis(3000));
  EXPECT_EQ(g.intervals[1].from, Instant::zero() + Duration::millis(4500));
  EXPECT_EQ(g.intervals[1].to, Instant::zero() + Duration::millis(5000));
  EXPECT_EQ(g.converged, 2u);
  EXPECT_EQ(g.max, Duration::millis(500));
  ASSERT_EQ(g.disruptions.size(), 2u);
  EXPECT_EQ(g.disruptions[0].cause, "register");
  EXPECT_EQ(g.disruptions[1].cause, "crash");
  EXPECT_EQ(g.disruptions[1].agreed_at, Instant::zero() + Duration::millis(5000));
}

TEST(EngineRegistry, NoLiveDeadNamesBothNodesAndTheState) {
  RegistryWorld world;
  world.dead_claims.push_back(MemberInfo{"node2@sim", MemberState::kDead, 7, 7});
  Scenario s = two_nodes();
  s.expectations = {check(Duration::seconds(1), Expectation::Kind::kNoLiveDead)};
  Engine engine(s, RunOptions{}, registry_factory(&world));
  const RunReport r = engine.run();
  ASSERT_EQ(r.expectations.size(), 1u);
  EXPECT_FALSE(r.expectations[0].passed);
  EXPECT_NE(r.expectations[0].detail.find("node1@sim holds node2@sim dead at incarnation 7"),
            std::string::npos)
      << r.expectations[0].detail;
  // A record about an older incarnation is history.
  world.dead_claims[0].incarnation = 6;
  Engine again(s, RunOptions{}, registry_factory(&world));
  EXPECT_TRUE(again.run().passed());
}

}  // namespace
}  // namespace barrel::sim
