// engine_wire_test.cpp — goal: in wire mode every message crosses the real
// codec (encode, then decode into the simulation's NameTable) and arrives
// unchanged, with its encoded size accounted; without wire mode nothing is
// encoded. Method: a scripted FakeNode sends one message of every type; the
// receiver's deliveries are compared field by field with what was sent, and
// bytes_encoded with wire::encoded_size().
#include <gtest/gtest.h>

#include <vector>

#include "barrel/codec.h"
#include "engine.h"
#include "sim/engine_fake_node.h"

namespace barrel::sim::test {
namespace {

std::vector<Message> every_message() {
  return {Join{},
          ForwardJoin{NodeId(2), 3},
          JoinAccept{},
          Neighbor{true},
          NeighborReply{false},
          Disconnect{true},
          Shuffle{NodeId(0), 4, {NodeId(0), NodeId(2)}},
          ShuffleReply{{NodeId(2)}}};
}

RunReport run(bool wire_mode, FakeWorld* w) {
  Scenario s;
  s.node_count = 3;
  s.network.wire_mode = wire_mode;
  s.duration = Duration::seconds(2);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  s.timeline.push_back(
      at_step(Duration::seconds(1), join_via(named({"node1@sim"}), {"node2@sim"})));
  w->react = [](FakeNode& n, const std::string& in, Instant, NodeId peer) {
    if (in == "join") {
      for (Message& m : every_message())
        n.queue(Send{peer, std::move(m)});
    }
  };
  Engine engine(s, RunOptions{}, w->factory());
  return engine.run();
}

TEST(EngineWire, EveryMessageCrossesTheCodecUnchangedAndIsCounted) {
  FakeWorld w;
  const RunReport r = run(true, &w);
  ASSERT_TRUE(r.failure.empty()) << r.failure;
  const std::vector<Message> sent = every_message();
  ASSERT_EQ(w.delivered, sent);
  NameTable names(8);
  for (const char* n : {"node1@sim", "node2@sim", "node3@sim"})
    ASSERT_TRUE(names.intern(n).is_ok());
  uint64_t expected = 0;
  for (const Message& m : sent)
    expected += wire::encoded_size(m, names);
  EXPECT_EQ(r.messages.bytes_encoded, expected);
  EXPECT_GT(expected, sent.size() * wire::kHeaderBytes);
}

TEST(EngineWire, InMemoryModeEncodesNothingAndDeliversTheSame) {
  FakeWorld wire_world, memory_world;
  const RunReport wired = run(true, &wire_world);
  const RunReport memory = run(false, &memory_world);
  ASSERT_TRUE(memory.failure.empty()) << memory.failure;
  EXPECT_EQ(memory.messages.bytes_encoded, 0u);
  EXPECT_EQ(memory_world.delivered, wire_world.delivered);
  // The codec changes nothing the trace sees.
  EXPECT_EQ(memory.trace_hash, wired.trace_hash);
}

}  // namespace
}  // namespace barrel::sim::test
