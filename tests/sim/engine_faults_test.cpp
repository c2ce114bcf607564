// engine_faults_test.cpp — goal: the fault actions of the engine keep QUIC
// semantics exactly (network.h, partitions.h): a partition reports monitored
// links across it down at both ends after the detection delay, drops messages
// across it (their sender learns it as from a dead target), fails OpenLinks
// across it; a heal within the detection delay keeps the links; after a heal
// messages get through. Loss delays messages but never loses or reorders them
// on a link. A restart crashes now and creates a new incarnation `after`
// later, at that instant, which joins through its contact.
// Method: two or three scripted FakeNodes (engine_fake_node.h); a `join` step
// on a running node is used as a poke that makes it emit chosen effects at a
// chosen instant; assertions on the exact virtual times of the inputs each
// node was fed. Latency 10 ms constant, detection delay 2 s.
#include <gtest/gtest.h>

#include "engine.h"
#include "sim/engine_fake_node.h"
#include "sim/engine_test_util.h"

namespace barrel::sim::test {
namespace {

constexpr uint64_t kMs = 1000;

Scenario nodes(uint32_t count) {
  return started_nodes(count, "faults");
}

// node1 (index 0) alone in a group; the others form the implicit group.
Step isolate_node1(Duration at, const std::string& name = "cut") {
  PartitionAction p;
  p.name = name;
  p.groups.push_back(named({"node1@sim"}));
  return at_step(at, p);
}

// node1 and node2 open links to each other at 1 s.
void link_both(Scenario* s) {
  s->timeline.push_back(
      at_step(Duration::seconds(1), join_via(named({"node1@sim"}), {"node2@sim"})));
  s->timeline.push_back(
      at_step(Duration::seconds(1), join_via(named({"node2@sim"}), {"node1@sim"})));
}

TEST(EngineFaults, CutReportsMonitoredLinkDownAtBothEndsAfterDetectionDelay) {
  Scenario s = nodes(2);
  link_both(&s);
  s.timeline.push_back(isolate_node1(Duration::seconds(5)));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join")
      n.queue(OpenLink{peer});
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  for (uint32_t i : {0u, 1u}) {
    const auto down = w.entries(i, "link_down");
    ASSERT_EQ(down.size(), 1u) << "node " << i;
    EXPECT_EQ(down[0].t_us, 5000 * kMs + 2000 * kMs);
    EXPECT_EQ(down[0].peer, 1 - i);
  }
  EXPECT_EQ(r.link_downs, 2u);
  EXPECT_EQ(r.link_failures, 0u);
}

TEST(EngineFaults, MessageAcrossIsDroppedAndSenderGetsLinkFailed) {
  Scenario s = nodes(2);
  s.timeline.push_back(isolate_node1(Duration::seconds(1)));
  s.timeline.push_back(
      at_step(Duration::seconds(3), join_via(named({"node1@sim"}), {"node2@sim"})));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join") {
      n.queue(Send{peer, Join{}});
      n.queue(Send{peer, Join{}});
    }
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_TRUE(w.entries(1, "deliver:JOIN").empty());
  const auto failed = w.entries(0, "link_failed");
  ASSERT_EQ(failed.size(), 1u);                                   // one per burst
  EXPECT_EQ(failed[0].t_us, 3000 * kMs + 10 * kMs + 2000 * kMs);  // arrival + detection
  EXPECT_EQ(r.messages.dropped, 2u);
  EXPECT_EQ(r.messages.partitioned, 2u);
}

TEST(EngineFaults, OpenLinkAcrossFailsAfterDetectionDelay) {
  Scenario s = nodes(2);
  s.timeline.push_back(isolate_node1(Duration::seconds(1)));
  s.timeline.push_back(
      at_step(Duration::seconds(3), join_via(named({"node2@sim"}), {"node1@sim"})));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join")
      n.queue(OpenLink{peer});
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto failed = w.entries(1, "link_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].t_us, 3000 * kMs + 2000 * kMs);
  EXPECT_TRUE(w.entries(0, "link_failed").empty());
}

TEST(EngineFaults, HealWithinDetectionDelayKeepsLinksAndMessagesFlowAgain) {
  Scenario s = nodes(2);
  link_both(&s);
  s.timeline.push_back(isolate_node1(Duration::seconds(5)));
  s.timeline.push_back(at_step(Duration::seconds(6), HealAction{"cut"}));
  s.timeline.push_back(
      at_step(Duration::seconds(9), join_via(named({"node1@sim"}), {"node2@sim"})));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant now, NodeId peer) {
    if (in != "join")
      return;
    if (now < Instant::from_us(2000 * kMs)) {
      n.queue(OpenLink{peer});
    } else {
      n.queue(Send{peer, Join{}});
    }
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_TRUE(w.entries(0, "link_down").empty());
  EXPECT_TRUE(w.entries(1, "link_down").empty());
  const auto got = w.entries(1, "deliver:JOIN");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].t_us, 9000 * kMs + 10 * kMs);
  ASSERT_EQ(r.healings.size(), 1u);
  EXPECT_EQ(r.healings[0].cause, "heal");
  EXPECT_EQ(r.healings[0].crash_at, Instant::from_us(6000 * kMs));
}

TEST(EngineFaults, LinksCutLongerThanDetectionAreDownAndHealAllRestoresTraffic) {
  Scenario s = nodes(3);
  link_both(&s);
  s.timeline.push_back(isolate_node1(Duration::seconds(5), "a"));
  PartitionAction second;  // unnamed: only heal all ends it
  second.groups.push_back(named({"node3@sim"}));
  s.timeline.push_back(at_step(Duration::seconds(5), second));
  s.timeline.push_back(at_step(Duration::seconds(10), HealAction{}));
  s.timeline.push_back(
      at_step(Duration::seconds(12), join_via(named({"node2@sim"}), {"node1@sim"})));
  s.timeline.push_back(
      at_step(Duration::seconds(12), join_via(named({"node3@sim"}), {"node1@sim"})));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant now, NodeId peer) {
    if (in != "join")
      return;
    if (now < Instant::from_us(2000 * kMs)) {
      n.queue(OpenLink{peer});
    } else {
      n.queue(Send{peer, Join{}});
    }
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_EQ(w.entries(0, "link_down").size(), 1u);
  EXPECT_EQ(w.entries(1, "link_down").size(), 1u);
  const auto got = w.entries(0, "deliver:JOIN");
  ASSERT_EQ(got.size(), 2u);  // from node2 and node3, both partitions healed
  EXPECT_EQ(got[0].t_us, 12000 * kMs + 10 * kMs);
  EXPECT_EQ(r.messages.partitioned, 0u);
}

TEST(EngineFaults, LossDelaysButKeepsEveryMessageInStreamOrder) {
  Scenario s = nodes(2);
  s.network.loss_ppm = 300'000;
  s.timeline.push_back(
      at_step(Duration::seconds(1), join_via(named({"node1@sim"}), {"node2@sim"})));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in != "join")
      return;
    for (int k = 0; k < 100; ++k)
      queue_forward_join(n, peer, static_cast<uint8_t>(k));
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_EQ(w.delivered.size(), 100u);
  for (size_t k = 0; k < w.delivered.size(); ++k)
    EXPECT_EQ(std::get<ForwardJoin>(w.delivered[k]).ttl, k);
  EXPECT_GT(r.messages.retransmitted, 10u);
  EXPECT_LT(r.messages.retransmitted, 60u);
  const auto got = w.entries(1, "deliver:FORWARD_JOIN");
  ASSERT_EQ(got.size(), 100u);
  EXPECT_GT(got.back().t_us, 1000 * kMs + 10 * kMs);  // the last waited behind a loss at least
  // A loss round costs 3 x latency; rounds are bounded.
  EXPECT_LE(got.back().t_us, 1000 * kMs + 10 * kMs + Network::kLossRoundsMax * 30 * kMs);
}

TEST(EngineFaults, RestartCrashesNowAndCreatesTheNextIncarnationAfterwards) {
  Scenario s = nodes(2);
  link_both(&s);
  RestartAction restart;
  restart.nodes = named({"node2@sim"});
  restart.after = Duration::seconds(3);
  restart.contacts = {"node1@sim"};
  s.timeline.push_back(at_step(Duration::seconds(5), restart));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant now, NodeId peer) {
    if (in == "join" && now < Instant::from_us(2000 * kMs))
      n.queue(OpenLink{peer});
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto created = w.entries(1, "create");
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[1].t_us, 8000 * kMs);  // the restart instant
  const auto joins = w.entries(1, "join");
  ASSERT_EQ(joins.size(), 2u);
  EXPECT_EQ(joins[1].t_us, 8000 * kMs);
  EXPECT_EQ(joins[1].peer, 0u);
  const auto down = w.entries(0, "link_down");
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].t_us, 7000 * kMs);  // the crash at 5 s, detected 2 s later
  ASSERT_EQ(r.healings.size(), 1u);
  EXPECT_EQ(r.healings[0].cause, "restart");
  EXPECT_EQ(r.healings[0].crashed, 1u);
  EXPECT_EQ(r.live_nodes, 2u);
}

}  // namespace
}  // namespace barrel::sim::test
