// engine_run_test.cpp — goal: the run-level rules of the engine: bounds
// (max_events, duration), run failures (an invariant violation, an unknown
// contact, a start of a live node) with the messages they promise,
// selectors, join spread, expectations, healing records and the trace hash.
// Method: scripted FakeNodes (engine_fake_node.h) over scenarios built in
// code; the trace hasher against its definition.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <initializer_list>
#include <set>
#include <string_view>

#include "engine.h"
#include "sim/engine_fake_node.h"
#include "trace_hash.h"

namespace barrel::sim::test {
namespace {

Scenario base(uint32_t count) {
  Scenario s;
  s.name = "run";
  s.node_count = count;
  s.duration = Duration::seconds(10);
  return s;
}

RunReport run(const Scenario& s, FakeWorld* world, RunOptions o = RunOptions{}) {
  Engine engine(s, o, world->factory());
  return engine.run();
}

// The definition in trace_hash.h, word by word: a change to it changes every
// recorded hash, so it must be deliberate.
TEST(EngineRun, TraceHashIsWordWiseMultiplyRotate) {
  TraceHash h;
  EXPECT_EQ(h.value(), 0xcbf29ce484222325ull);
  h.add_u64(0x0123456789abcdefull);
  const uint64_t one =
      std::rotl((0xcbf29ce484222325ull ^ 0x0123456789abcdefull) * 0x9e3779b97f4a7c15ull, 31);
  EXPECT_EQ(h.value(), one);
  h.add_pair(7, 9);  // one word, 7 low
  EXPECT_EQ(h.value(), std::rotl((one ^ (uint64_t{9} << 32 | 7)) * 0x9e3779b97f4a7c15ull, 31));
}

// Bytes go as their length, then little-endian words, the last one
// zero-padded: trailing zeros and the split between strings still count.
TEST(EngineRun, TraceHashBytesCountTheirLength) {
  auto of = [](std::initializer_list<std::string_view> parts) {
    TraceHash h;
    for (std::string_view p : parts)
      h.add_string(p);
    return h.value();
  };
  EXPECT_NE(of({"ab"}), of({std::string_view("ab\0", 3)}));
  EXPECT_NE(of({"abc", "d"}), of({"ab", "cd"}));
  EXPECT_NE(of({"abcdefgh"}), of({"abcdefgi"}));
  EXPECT_NE(of({"abcdefghi"}), of({"abcdefghj"}));  // the padded tail word
  EXPECT_EQ(of({"abcdefghi"}), of({"abcdefghi"}));
  TraceHash manual;
  manual.add_u64(9);
  manual.add_u64(0x6867666564636261ull);  // "abcdefgh", little-endian
  manual.add_u64(0x69);                   // "i", zero-padded
  EXPECT_EQ(of({"abcdefghi"}), manual.value());
}

TEST(EngineRun, MaxEventsReachedIsAFailure) {
  Scenario s = base(1);
  s.max_events = 100;
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string&, Instant now, NodeId) {
    n.set_deadline(now + Duration::millis(1));  // a timer every millisecond
  };
  const RunReport r = run(s, &w);
  EXPECT_EQ(r.events, 100u);
  EXPECT_EQ(r.failure, "max_events (100) reached at t=0.100000s");
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.end_time, Instant::from_us(99000));  // the last event processed
}

TEST(EngineRun, RunStopsAtDurationAndCountsEvents) {
  Scenario s = base(1);
  s.duration = Duration::seconds(1);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string&, Instant now, NodeId) {
    n.set_deadline(now + Duration::millis(100));
  };
  const RunReport r = run(s, &w);
  EXPECT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_EQ(w.entries(0, "timers").size(), 10u);  // 0.1 .. 1.0 s inclusive
  EXPECT_EQ(r.events, 11u);                       // the step, and ten timers
  EXPECT_EQ(r.end_time, Instant::from_us(1000000));
  EXPECT_EQ(r.invariant_checks, 11u);  // create + ten timer inputs
  EXPECT_TRUE(r.passed());
}

TEST(EngineRun, InvariantViolationEndsTheRunNamingNodeAndTime) {
  Scenario s = base(2);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  s.timeline.push_back(
      at_step(Duration::millis(1500), join_via(named({"node2@sim"}), {"node1@sim"})));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join") {
      n.active().push_back(peer);
      n.passive().push_back(peer);  // both views: a violation
    }
  };
  const RunReport r = run(s, &w);
  EXPECT_EQ(r.failure,
            "invariant violated at node2@sim at t=1.500000s: node1@sim is in both the active and "
            "the passive view");
  EXPECT_EQ(r.end_time, Instant::from_us(1500000));
}

// The local check rescans a node's views only when its views_version() moved
// since they last passed: a change under the old version goes unseen (the
// contract Node::views_version() keeps), the same change under a new one is
// caught at that input.
TEST(EngineRun, LocalCheckRescansOnlyViewsWhoseVersionMoved) {
  Scenario s = base(2);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  s.timeline.push_back(
      at_step(Duration::seconds(1), join_via(named({"node2@sim"}), {"node1@sim"})));
  s.timeline.push_back(
      at_step(Duration::seconds(2), join_via(named({"node2@sim"}), {"node1@sim"})));
  FakeWorld w;
  int joins = 0;
  w.react = [&joins](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in != "join")
      return;
    joins += 1;
    n.active().assign({peer});
    n.passive().assign({peer});  // both views: a violation
    n.set_views_version(joins == 1 ? 1 : 2);
  };
  // Version 1 matches nothing checked yet (0): the first join is caught.
  RunReport r = run(s, &w);
  EXPECT_EQ(r.failure,
            "invariant violated at node2@sim at t=1.000000s: node1@sim is in both the active and "
            "the passive view");
  // Now the first join leaves valid views at version 1, the second breaks
  // them at version 1 (unseen), and a timer at 3 s moves it to 2 (caught).
  FakeWorld w2;
  joins = 0;
  w2.react = [&joins](FakeNode& n, const std::string& in, Instant now, NodeId peer) {
    if (in == "join") {
      joins += 1;
      n.active().assign({peer});
      if (joins == 2)
        n.passive().assign({peer});
      n.set_views_version(1);
      n.set_deadline(now + Duration::seconds(1));
    } else if (in == "timers" && joins == 2) {
      n.set_views_version(2);
    }
  };
  r = run(s, &w2);
  EXPECT_EQ(r.failure,
            "invariant violated at node2@sim at t=3.000000s: node1@sim is in both the active and "
            "the passive view");
}

TEST(EngineRun, UnknownContactFailsWithTheStepLocation) {
  Scenario s = base(2);
  Step step = at_step(Duration::seconds(1), join_via(all_nodes(), {"nobody@sim"}));
  step.loc = SourceLoc{"x.yaml", 12, 5};
  s.timeline.push_back(step);
  FakeWorld w;
  const RunReport r = run(s, &w);
  EXPECT_EQ(r.failure, "x.yaml:12:5: unknown contact node name 'nobody@sim'");
  EXPECT_EQ(r.events, 0u);
}

TEST(EngineRun, StartOfALiveNodeFails) {
  Scenario s = base(2);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  s.timeline.push_back(at_step(Duration::seconds(1), StartAction{named({"node2@sim"})}));
  FakeWorld w;
  const RunReport r = run(s, &w);
  EXPECT_EQ(r.failure, "timeline step 2: start of node2@sim, which is running, at t=1.000000s");
}

TEST(EngineRun, JoinSpreadDrawsInstantsInRangeAndContactsNeverSelf) {
  Scenario s = base(50);
  s.timeline.push_back(at_step(
      Duration::seconds(1),
      join_via(all_nodes(), {"node1@sim", "node2@sim", "node3@sim"}, Duration::seconds(2))));
  FakeWorld w;
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  std::set<uint32_t> contacts;
  uint64_t lo = UINT64_MAX, hi = 0;
  int joins = 0;
  for (const auto& e : w.log) {
    if (e.input != "join")
      continue;
    joins += 1;
    EXPECT_NE(e.peer, e.node);
    EXPECT_LT(e.peer, 3u);
    contacts.insert(e.peer);
    lo = std::min(lo, e.t_us);
    hi = std::max(hi, e.t_us);
  }
  EXPECT_EQ(joins, 50);  // every node, the seeds via another seed
  EXPECT_EQ(contacts.size(), 3u);
  EXPECT_GE(lo, 1000000u);
  EXPECT_LT(hi, 3000000u);
  EXPECT_GT(hi - lo, 1000000u);  // spread, not bunched
  EXPECT_EQ(w.created, 50u);     // started at their join instant
}

TEST(EngineRun, CountAndFractionCrashLiveNodesOnly) {
  Scenario s = base(10);
  s.probe_period = Duration::zero();
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  NodeSelector half;
  half.kind = NodeSelector::Kind::kFraction;
  half.fraction_ppm = 500000;
  s.timeline.push_back(at_step(Duration::seconds(1), CrashAction{half}));
  NodeSelector three;
  three.kind = NodeSelector::Kind::kCount;
  three.count = 3;
  s.timeline.push_back(at_step(Duration::seconds(2), CrashAction{three}));
  FakeWorld w;
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_EQ(r.healings.size(), 2u);
  EXPECT_EQ(r.healings[0].crashed, 5u);
  EXPECT_EQ(r.healings[0].live, 5u);
  EXPECT_EQ(r.healings[1].crashed, 3u);
  EXPECT_EQ(r.live_nodes, 2u);
  EXPECT_TRUE(r.healings[1].healed_at.is_never());  // probing is off
}

TEST(EngineRun, RepeatedStepsRunEveryPeriodUntilInclusive) {
  Scenario s = base(10);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  Step crash = at_step(Duration::seconds(1),
                       CrashAction{NodeSelector{NodeSelector::Kind::kCount, {}, 0, 0, 1, 0}});
  crash.every = Duration::seconds(1);
  crash.until = Duration::seconds(4);
  s.timeline.push_back(crash);
  FakeWorld w;
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  EXPECT_EQ(r.healings.size(), 4u);  // at 1, 2, 3, 4 s
  EXPECT_EQ(r.live_nodes, 6u);
}

TEST(EngineRun, ExpectationsMeasureAndHealingIsProbed) {
  Scenario s = base(3);
  s.probe_period = Duration::millis(100);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  s.timeline.push_back(at_step(Duration::seconds(1), CrashAction{named({"node3@sim"})}));
  // node1 <-> node2 linked from the start; node1 -> node3 dangles until 1.25 s.
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant now, NodeId) {
    if (in == "create") {
      if (n.self() == NodeId(0)) {
        n.active() = {NodeId(1), NodeId(2)};
        n.set_deadline(Instant::from_us(1250000));
      } else {
        n.active() = {NodeId(0)};
      }
    } else if (in == "timers") {
      n.active() = {NodeId(1)};
    }
    (void)now;
  };
  auto expect = [&s](Expectation::Kind k, int64_t at_ms) {
    Expectation x;
    x.kind = k;
    x.at = Duration::millis(at_ms);
    x.within = Duration::millis(400);
    x.count = 1;
    s.expectations.push_back(x);
  };
  expect(Expectation::Kind::kConnected, 500);
  expect(Expectation::Kind::kSymmetric, 1100);
  expect(Expectation::Kind::kSymmetric, 2000);
  expect(Expectation::Kind::kHealedWithin, 2000);
  expect(Expectation::Kind::kActiveMin, 2000);
  expect(Expectation::Kind::kViewBounds, 2000);
  expect(Expectation::Kind::kConnected, 60000);  // beyond the duration
  // The dangling link of 1.1 s is still there 100 ms later (fails), but gone
  // within a 500 ms settle window (passes): symmetric judges links once quiet.
  s.expectations[1].settle = Duration::millis(100);
  expect(Expectation::Kind::kSymmetric, 1100);
  s.expectations.back().settle = Duration::millis(500);
  const RunReport r = run(s, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  ASSERT_EQ(r.expectations.size(), 8u);
  EXPECT_TRUE(r.expectations[0].passed) << r.expectations[0].detail;
  EXPECT_EQ(r.expectations[0].detail, "t=0.500000s: 1 component among 3 live nodes");
  EXPECT_FALSE(r.expectations[1].passed);
  EXPECT_EQ(r.expectations[1].detail,
            "t=1.100000s: 0 one-way links, 1 links to non-live nodes (e.g. node1@sim -> "
            "node3@sim); 1 still one-way at t=1.200000s (e.g. node1@sim -> node3@sim)");
  EXPECT_TRUE(r.expectations[7].passed) << r.expectations[7].detail;
  EXPECT_EQ(r.expectations[7].detail,
            "t=1.100000s: 0 one-way links, 1 links to non-live nodes (e.g. node1@sim -> "
            "node3@sim); all settled by t=1.600000s");
  EXPECT_TRUE(r.expectations[2].passed) << r.expectations[2].detail;
  EXPECT_TRUE(r.expectations[3].passed) << r.expectations[3].detail;
  EXPECT_TRUE(r.expectations[4].passed) << r.expectations[4].detail;
  EXPECT_TRUE(r.expectations[5].passed) << r.expectations[5].detail;
  EXPECT_FALSE(r.expectations[6].passed);
  EXPECT_EQ(r.expectations[6].detail, "not evaluated: the run ended at t=10.000000s");
  ASSERT_EQ(r.healings.size(), 1u);
  EXPECT_EQ(r.healings[0].healed_at, Instant::from_us(1300000));  // first probe after 1.25 s
  EXPECT_FALSE(r.passed());
}

TEST(EngineRun, HealedWithinFailsWhenNotHealed) {
  Scenario s = base(2);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  s.timeline.push_back(at_step(Duration::seconds(1), CrashAction{named({"node2@sim"})}));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId) {
    if (in == "create" && n.self() == NodeId(0))
      n.active() = {NodeId(1)};  // never noticed: dangles forever
  };
  Expectation x;
  x.kind = Expectation::Kind::kHealedWithin;
  x.at = Duration::seconds(5);
  x.within = Duration::seconds(2);
  s.expectations.push_back(x);
  const RunReport r = run(s, &w);
  ASSERT_EQ(r.expectations.size(), 1u);
  EXPECT_FALSE(r.expectations[0].passed);
  EXPECT_EQ(r.expectations[0].detail,
            "t=5.000000s: crash at t=1.000000s (1 nodes) not healed yet (within 2.000000s)");
}

TEST(EngineRun, NodeSummariesNameTheViews) {
  Scenario s = base(3);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  FakeWorld w;
  w.react = [](FakeNode& n, const std::string& in, Instant, NodeId) {
    if (in == "create" && n.self() == NodeId(0)) {
      n.active() = {NodeId(2)};
      n.passive() = {NodeId(1)};
    }
  };
  RunOptions o;
  o.node_summaries_max = 2;
  const RunReport r = run(s, &w, o);
  ASSERT_EQ(r.nodes.size(), 2u);
  EXPECT_EQ(r.nodes[0].name, "node1@sim");
  EXPECT_TRUE(r.nodes[0].alive);
  EXPECT_EQ(r.nodes[0].active, std::vector<std::string>{"node3@sim"});
  EXPECT_EQ(r.nodes[0].passive, std::vector<std::string>{"node2@sim"});
  EXPECT_EQ(r.live_nodes, 3u);
}

}  // namespace
}  // namespace barrel::sim::test
