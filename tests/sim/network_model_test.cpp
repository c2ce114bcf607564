// network_model_test.cpp — goal: the engine carries out the network model of
// network.h and partitions.h exactly: duplication delivers a message twice
// within its bound, reordering lets later messages overtake within its bound
// and loses none, a limited up-link serialises one sender's messages by
// their encoded size (and only that sender's), link-class overrides set the
// latency of the links they name, and a one-way cut takes links down at both
// ends, fails connections from either side, drops messages one way and
// carries them the other way until it heals.
// Method: two or three scripted FakeNodes (engine_fake_node.h); a `join` step
// on a running node is a poke that makes it emit chosen effects at a chosen
// instant; assertions on the exact virtual times of the inputs each node was
// fed. Latency 10 ms constant, detection delay 2 s.
#include <gtest/gtest.h>

#include <map>

#include "barrel/codec.h"
#include "engine.h"
#include "sim/engine_fake_node.h"
#include "sim/engine_test_util.h"

namespace barrel::sim::test {
namespace {

constexpr uint64_t kMs = 1000;

Scenario nodes(uint32_t count) {
  return started_nodes(count, "net-model");
}

// A poke at `at`: `node` is fed join(peer).
Step poke(Duration at, const std::string& node, const std::string& peer) {
  return at_step(at, join_via(named({node}), {peer}));
}

// On each poke, the node sends `count` FORWARD_JOINs tagged 0..count-1.
void send_burst(FakeWorld* w, int count) {
  w->react = [count](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in != "join")
      return;
    for (int k = 0; k < count; ++k)
      queue_forward_join(n, peer, static_cast<uint8_t>(k));
  };
}

TEST(NetworkModel, DuplicationDeliversTwiceWithinTheLatencyBound) {
  Scenario s = nodes(2);
  s.network.duplicate_ppm = kPpmOne;
  s.timeline.push_back(poke(Duration::seconds(1), "node1@sim", "node2@sim"));
  FakeWorld w;
  send_burst(&w, 20);
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  std::map<uint8_t, int> seen;
  for (const Message& m : w.delivered)
    seen[std::get<ForwardJoin>(m).ttl] += 1;
  ASSERT_EQ(seen.size(), 20u);
  for (const auto& [ttl, n] : seen)
    EXPECT_EQ(n, 2) << "ttl " << int{ttl};
  for (const FakeLogEntry& e : w.entries(1, "deliver:FORWARD_JOIN")) {
    EXPECT_GE(e.t_us, 1010 * kMs);
    EXPECT_LE(e.t_us, 1020 * kMs);  // the copy: at most max(latency, 1 ms) later
  }
  EXPECT_EQ(r.messages.sent, 20u);
  EXPECT_EQ(r.messages.delivered, 40u);
}

TEST(NetworkModel, ReorderingLetsLaterMessagesOvertakeWithinItsBound) {
  Scenario s = nodes(2);
  s.network.reorder_ppm = 500'000;
  s.network.reorder_delay = Duration::millis(5);
  s.timeline.push_back(poke(Duration::seconds(1), "node1@sim", "node2@sim"));
  FakeWorld w;
  send_burst(&w, 100);
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_EQ(w.delivered.size(), 100u);  // none lost, none duplicated
  uint32_t inversions = 0;
  std::map<uint8_t, int> seen;
  for (size_t k = 0; k < w.delivered.size(); ++k) {
    const uint8_t ttl = std::get<ForwardJoin>(w.delivered[k]).ttl;
    seen[ttl] += 1;
    if (k > 0 && ttl < std::get<ForwardJoin>(w.delivered[k - 1]).ttl)
      inversions += 1;
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_GT(inversions, 10u);
  for (const FakeLogEntry& e : w.entries(1, "deliver:FORWARD_JOIN")) {
    EXPECT_GE(e.t_us, 1010 * kMs);
    EXPECT_LE(e.t_us, 1015 * kMs);
  }
}

TEST(NetworkModel, BandwidthSerialisesOneSendersMessagesByEncodedSize) {
  for (const bool wire : {false, true}) {
    Scenario s = nodes(3);
    s.network.wire_mode = wire;
    s.network.bandwidth_bytes_per_s = 1000;
    s.timeline.push_back(poke(Duration::seconds(1), "node1@sim", "node2@sim"));
    s.timeline.push_back(poke(Duration::seconds(1), "node3@sim", "node2@sim"));
    FakeWorld w;
    send_burst(&w, 3);
    const RunReport r = run(s, &w);
    ASSERT_TRUE(r.failure.empty()) << r.failure;
    NameTable names(3);
    ASSERT_TRUE(names.intern("node1@sim").is_ok());
    const uint64_t bytes = wire::encoded_size(ForwardJoin{NodeId(0), 1}, names);
    const uint64_t tx_us = (bytes * 1'000'000 + 999) / 1000;
    const auto got = w.entries(1, "deliver:FORWARD_JOIN");
    ASSERT_EQ(got.size(), 6u);
    // Each sender's k-th message arrives after k + 1 transmissions and the
    // latency: the two up-links do not hold each other back.
    std::map<uint32_t, std::vector<uint64_t>> by_sender;
    for (const FakeLogEntry& e : got)
      by_sender[e.peer].push_back(e.t_us);
    for (uint32_t sender : {0u, 2u}) {
      ASSERT_EQ(by_sender[sender].size(), 3u);
      for (uint64_t k = 0; k < 3; ++k)
        EXPECT_EQ(by_sender[sender][k], 1000 * kMs + (k + 1) * tx_us + 10 * kMs) << wire;
    }
  }
}

TEST(NetworkModel, LinkClassesSetTheLatencyOfTheLinksTheyName) {
  Scenario s = nodes(3);
  LinkOverride far;
  far.from = named({"node1@sim"});
  far.to.kind = NodeSelector::Kind::kRange;
  far.to.first = 2;
  far.to.last = 3;
  far.latency.min = far.latency.max = Duration::millis(50);
  s.network.links.push_back(far);
  s.timeline.push_back(poke(Duration::seconds(1), "node2@sim", "node1@sim"));
  s.timeline.push_back(poke(Duration::seconds(1), "node2@sim", "node3@sim"));
  FakeWorld w;
  send_burst(&w, 1);
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto at1 = w.entries(0, "deliver:FORWARD_JOIN");
  const auto at3 = w.entries(2, "deliver:FORWARD_JOIN");
  ASSERT_EQ(at1.size(), 1u);
  ASSERT_EQ(at3.size(), 1u);
  EXPECT_EQ(at1[0].t_us, 1050 * kMs);  // node2 -> node1: the override, either direction
  EXPECT_EQ(at3[0].t_us, 1010 * kMs);  // node2 -> node3: the base latency
}

TEST(NetworkModel, LinkClassWithAnUnknownNameFailsTheRun) {
  Scenario s = nodes(2);
  LinkOverride bad;
  bad.from = named({"nobody@sim"});
  bad.to = all_nodes();
  s.network.links.push_back(bad);
  FakeWorld w;
  const RunReport r = run(s, &w);
  EXPECT_NE(r.failure.find("unknown node name 'nobody@sim'"), std::string::npos) << r.failure;
}

PartitionAction one_way(const std::string& from, const std::string& to) {
  PartitionAction p;
  p.name = "oneway";
  p.one_way = true;
  p.from = named({from});
  p.to = named({to});
  return p;
}

// node1 cannot reach node2 from 5 s to 12 s; node2 still reaches node1.
TEST(NetworkModel, OneWayCutDownsLinksBothEndsAndDropsOneDirectionOnly) {
  Scenario s = nodes(2);
  s.timeline.push_back(poke(Duration::seconds(1), "node1@sim", "node2@sim"));
  s.timeline.push_back(poke(Duration::seconds(1), "node2@sim", "node1@sim"));
  s.timeline.push_back(at_step(Duration::seconds(5), one_way("node1@sim", "node2@sim")));
  s.timeline.push_back(poke(Duration::seconds(8), "node1@sim", "node2@sim"));
  s.timeline.push_back(poke(Duration::seconds(8), "node2@sim", "node1@sim"));
  s.timeline.push_back(at_step(Duration::seconds(12), HealAction{"oneway"}));
  s.timeline.push_back(poke(Duration::seconds(13), "node1@sim", "node2@sim"));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant now, NodeId peer) {
    if (in != "join")
      return;
    if (now < Instant::from_us(2000 * kMs)) {
      n.queue(OpenLink{peer});
    } else if (now < Instant::from_us(9000 * kMs)) {
      n.queue(Send{peer, Join{}});
      if (n.self().value() == 1)
        n.queue(OpenLink{peer});  // node2 connects to node1: fails too
    } else {
      n.queue(Send{peer, Join{}});
    }
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  for (uint32_t i : {0u, 1u}) {
    const auto down = w.entries(i, "link_down");
    ASSERT_EQ(down.size(), 1u) << "node " << i;
    EXPECT_EQ(down[0].t_us, 7000 * kMs);
  }
  // node2 -> node1 arrives; node1 -> node2 only after the heal.
  const auto at1 = w.entries(0, "deliver:JOIN");
  ASSERT_EQ(at1.size(), 1u);
  EXPECT_EQ(at1[0].t_us, 8010 * kMs);
  const auto at2 = w.entries(1, "deliver:JOIN");
  ASSERT_EQ(at2.size(), 1u);
  EXPECT_EQ(at2[0].t_us, 13010 * kMs);
  // node1 learns its message was lost as from a dead target; node2's
  // connection attempt times out.
  const auto failed1 = w.entries(0, "link_failed");
  ASSERT_EQ(failed1.size(), 1u);
  EXPECT_EQ(failed1[0].t_us, 10010 * kMs);
  const auto failed2 = w.entries(1, "link_failed");
  ASSERT_EQ(failed2.size(), 1u);
  EXPECT_EQ(failed2[0].t_us, 10000 * kMs);
  EXPECT_EQ(r.messages.partitioned, 1u);
}

TEST(NetworkModel, OneWayCutWithANodeOnBothSidesFailsTheRun) {
  Scenario s = nodes(3);
  PartitionAction p = one_way("node1@sim", "node2@sim");
  p.to.kind = NodeSelector::Kind::kRange;  // node1..node3: node1 is in both
  p.to.first = 1;
  p.to.last = 3;
  s.timeline.push_back(at_step(Duration::seconds(1), p));
  FakeWorld w;
  const RunReport r = run(s, &w);
  EXPECT_NE(r.failure.find("on both sides of a one-way cut"), std::string::npos) << r.failure;
}

}  // namespace
}  // namespace barrel::sim::test
