// engine_test_util.h — helpers shared by the engine tests that drive
// scripted nodes (engine_fake_node.h) through a real Engine: a small
// scenario with every node started at 0, a run, and a FORWARD_JOIN to
// queue without g++ 12's false warning.
#pragma once

#include <cstdint>
#include <string>

#include "engine.h"
#include "sim/engine_fake_node.h"

namespace barrel::sim::test {

// `count` nodes, all started at 0; constant 10 ms links, 2 s detection
// delay, 30 s run.
inline Scenario started_nodes(uint32_t count, const std::string& name) {
  Scenario s;
  s.name = name;
  s.node_count = count;
  s.network.latency.min = Duration::millis(10);
  s.network.detection_delay = Duration::seconds(2);
  s.duration = Duration::seconds(30);
  s.timeline.push_back(at_step(Duration::zero(), StartAction{all_nodes()}));
  return s;
}

inline RunReport run(const Scenario& s, FakeWorld* world) {
  Engine engine(s, RunOptions{}, world->factory());
  return engine.run();
}

// g++ 12 -O2 reports a false maybe-uninitialized on the other alternatives
// of the Effect variant when a Send carrying a ForwardJoin is moved into it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
inline void queue_forward_join(FakeNode& n, NodeId peer, uint8_t ttl = 1) {
  n.queue(Send{peer, ForwardJoin{NodeId(0), ttl}});
}
#pragma GCC diagnostic pop

}  // namespace barrel::sim::test
