// engine_connection_test.cpp — goal: the engine's QUIC-like connection
// semantics (network.h) hold exactly: a send to a crashed node yields one
// LinkFailed after the detection delay; a monitored link to a crashed node
// yields one LinkDown after the detection delay, and none after CloseLink;
// stale timers and deliveries of an earlier incarnation never reach a node.
// Method: two or three scripted FakeNodes (engine_fake_node.h) whose reactions
// emit chosen effects; assertions on the exact virtual times of the inputs
// each node was fed. Latency 10 ms constant, detection delay 2 s.
#include <gtest/gtest.h>

#include "engine.h"
#include "sim/engine_fake_node.h"
#include "sim/engine_test_util.h"

namespace barrel::sim::test {
namespace {

constexpr uint64_t kMs = 1000;

Scenario two_nodes(uint32_t count = 2) {
  Scenario s;
  s.name = "connection";
  s.node_count = count;
  s.network.latency.min = Duration::millis(10);
  s.network.detection_delay = Duration::seconds(2);
  s.duration = Duration::seconds(20);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  return s;
}

TEST(EngineConnection, SendBurstToCrashedNodeYieldsOneLinkFailedAfterDetectionDelay) {
  Scenario s = two_nodes();
  s.timeline.push_back(at_step(Duration::seconds(1), CrashAction{named({"node2@sim"})}));
  s.timeline.push_back(
      at_step(Duration::seconds(2), join_via(named({"node1@sim"}), {"node2@sim"})));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join") {
      for (int k = 0; k < 3; ++k)
        n.queue(Send{peer, Join{}});
    }
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto failed = w.entries(0, "link_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].t_us, 2000 * kMs + 10 * kMs + 2000 * kMs);  // arrival + detection
  EXPECT_EQ(failed[0].peer, 1u);
  EXPECT_EQ(r.messages.sent, 3u);
  EXPECT_EQ(r.messages.dropped, 3u);
  EXPECT_EQ(r.messages.delivered, 0u);
  EXPECT_EQ(r.link_failures, 1u);
}

TEST(EngineConnection, OpenLinkToDeadNodeFailsOnceTogetherWithItsSend) {
  Scenario s = two_nodes();
  s.timeline[0] = at_step(Duration::zero(), StartAction{named({"node1@sim"})});  // node2 never runs
  s.timeline.push_back(
      at_step(Duration::seconds(1), join_via(named({"node1@sim"}), {"node2@sim"})));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join") {
      n.queue(Send{peer, Join{}});
      n.queue(OpenLink{peer});
    }
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto failed = w.entries(0, "link_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].t_us, 1000 * kMs + 2000 * kMs);  // the handshake timeout of the OpenLink
}

TEST(EngineConnection, MonitoredLinkToCrashedNodeYieldsOneLinkDownAfterDetectionDelay) {
  Scenario s = two_nodes();
  s.timeline.push_back(
      at_step(Duration::millis(500), join_via(named({"node1@sim"}), {"node2@sim"})));
  s.timeline.push_back(at_step(Duration::seconds(1), CrashAction{named({"node2@sim"})}));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join") {
      n.queue(OpenLink{peer});
      n.queue(Send{peer, Join{}});
      n.queue(Send{peer, Join{}});
    }
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto down = w.entries(0, "link_down");
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].t_us, 1000 * kMs + 2000 * kMs);
  EXPECT_EQ(down[0].peer, 1u);
  EXPECT_TRUE(w.entries(0, "link_failed").empty());  // the monitor reports it instead
  EXPECT_EQ(w.entries(1, "deliver:JOIN").size(), 2u);
  EXPECT_EQ(r.link_downs, 1u);
}

TEST(EngineConnection, NoLinkDownAfterCloseLink) {
  Scenario s = two_nodes();
  s.timeline.push_back(
      at_step(Duration::millis(500), join_via(named({"node1@sim"}), {"node2@sim"})));
  s.timeline.push_back(at_step(Duration::seconds(1), CrashAction{named({"node2@sim"})}));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join") {
      n.queue(OpenLink{peer});
      n.set_deadline(Instant::from_us(1500 * kMs));  // after the crash, before detection
    } else if (in == "timers") {
      n.queue(CloseLink{NodeId(1)});
    }
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_EQ(w.entries(0, "timers").size(), 1u);
  EXPECT_TRUE(w.entries(0, "link_down").empty());
  EXPECT_TRUE(w.entries(0, "link_failed").empty());
  EXPECT_EQ(r.link_downs, 0u);
}

TEST(EngineConnection, StaleTimerOfCrashedIncarnationDoesNotFire) {
  Scenario s = two_nodes(1);
  s.timeline.push_back(at_step(Duration::seconds(1), CrashAction{all_nodes()}));
  s.timeline.push_back(at_step(Duration::seconds(2), StartAction{all_nodes()}));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId) {
    if (in == "create")
      n.set_deadline(Instant::from_us(5000 * kMs));  // both incarnations: same instant
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto timers = w.entries(0, "timers");
  ASSERT_EQ(timers.size(), 1u);  // the second incarnation's only
  EXPECT_EQ(timers[0].t_us, 5000 * kMs);
  EXPECT_EQ(w.created, 2u);
}

TEST(EngineConnection, CrashedNodeTimerNeverFires) {
  Scenario s = two_nodes(1);
  s.timeline.push_back(at_step(Duration::seconds(1), CrashAction{all_nodes()}));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId) {
    if (in == "create")
      n.set_deadline(Instant::from_us(5000 * kMs));
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_TRUE(w.entries(0, "timers").empty());
  EXPECT_EQ(r.live_nodes, 0u);
}

TEST(EngineConnection, MessagesSentBeforeACrashAreStillDelivered) {
  Scenario s = two_nodes();
  s.timeline.push_back(
      at_step(Duration::seconds(1), join_via(named({"node1@sim"}), {"node2@sim"})));
  s.timeline.push_back(
      at_step(Duration::seconds(1) + Duration::millis(1), CrashAction{named({"node1@sim"})}));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join")
      n.queue(Send{peer, Neighbor{true}});
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const auto got = w.entries(1, "deliver:NEIGHBOR");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].t_us, 1010 * kMs);
  EXPECT_EQ(got[0].peer, 0u);
}

TEST(EngineConnection, DeliveryToARestartedNodeIsDropped) {
  Scenario s = two_nodes();
  s.network.latency.min = Duration::millis(100);
  s.timeline.push_back(
      at_step(Duration::seconds(1), join_via(named({"node1@sim"}), {"node2@sim"})));
  s.timeline.push_back(
      at_step(Duration::seconds(1) + Duration::millis(10), CrashAction{named({"node2@sim"})}));
  s.timeline.push_back(
      at_step(Duration::seconds(1) + Duration::millis(20), StartAction{named({"node2@sim"})}));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join")
      n.queue(Send{peer, Join{}});
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_TRUE(w.entries(1, "deliver:JOIN").empty());
  EXPECT_EQ(r.messages.dropped, 1u);
  const auto failed = w.entries(0, "link_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].t_us, 1100 * kMs + 2000 * kMs);
}

TEST(EngineConnection, CrashOfTheMonitorCancelsItsLinkDown) {
  Scenario s = two_nodes(3);
  s.timeline.push_back(
      at_step(Duration::millis(500), join_via(named({"node1@sim", "node3@sim"}), {"node2@sim"})));
  s.timeline.push_back(at_step(Duration::seconds(1), CrashAction{named({"node2@sim"})}));
  s.timeline.push_back(at_step(Duration::seconds(2), CrashAction{named({"node1@sim"})}));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join")
      n.queue(OpenLink{peer});
  };
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_TRUE(w.entries(0, "link_down").empty());  // node1 died before detection
  EXPECT_EQ(w.entries(2, "link_down").size(), 1u);
  EXPECT_EQ(r.link_downs, 1u);
}

}  // namespace
}  // namespace barrel::sim::test
