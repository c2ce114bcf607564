// watch.h — barrel-sim --watch NODE: one node's life as readable lines, each
// prefixed with the virtual time and the node's name, printed as the run
// goes: its starts and stops, every input (messages in with type and sender,
// timers, joins, link reports), every effect (messages out with type and
// target, links opened and closed, the events it emits), each change of its
// active and passive views, and the messages that arrived for it but were
// dropped (it had crashed, it is a newer incarnation, or a partition cut it).
//
// For example (quickstart, node2@sim joining node1@sim):
//        1.000000s node2@sim  join via node1@sim
//        1.000000s node2@sim  out Join -> node1@sim
//        1.100000s node2@sim  in  JoinAccept <- node1@sim
//        1.100000s node2@sim  active +node1@sim = [node1@sim]
//
// It is an observer (observer.h): it reads the run and never changes it, so
// the trace hash is the same with or without --watch, and it goes with
// --trace. Bound: one line per input, effect and view change of the one
// node, which the run's max_events bounds.
//
// Thread-safety: one NodeWatch per run.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/sim/observer.h"

namespace barrel::sim {

class NodeWatch final : public RunObserver {
 public:
  // Watches the node called `name` (REQUIRES: check() accepted it); lines go
  // to `out` (not owned).
  NodeWatch(std::string name, std::FILE* out);

  // Empty when `name` names a node of `scenario`, else why not.
  static std::string check(const Scenario& scenario, std::string_view name);

  void on_start(const Scenario& scenario) override;
  void on_event(const ObservedEvent& e) override;
  void on_end(const RunReport& report) override;
  bool watches(uint32_t node) const override { return node == index_; }
  void on_input(Instant now, uint32_t node, NodeInput input, uint32_t peer, const Message* msg,
                std::string_view service) override;
  void on_effect(Instant now, uint32_t node, const Effect& effect) override;
  void on_views(Instant now, uint32_t node, std::span<const NodeId> active,
                std::span<const NodeId> passive) override;

  uint64_t lines() const { return lines_; }

 private:
  void line(Instant at, const std::string& what);
  std::string name_of(uint32_t index) const;
  std::string name_of(NodeId id) const { return name_of(id.value()); }
  void flush_dropped();
  std::string view_change(std::span<const NodeId> was, std::span<const NodeId> now) const;

  const std::string name_;
  std::FILE* const out_;
  std::string pattern_;
  uint32_t index_ = kNoNode;
  uint32_t starts_ = 0;
  uint64_t lines_ = 0;
  // A delivery that arrived for the node: printed as dropped unless the
  // node was fed it before the next event.
  bool arrival_pending_ = false;
  ObservedEvent arrival_;
  MessageType arrival_type_ = MessageType::kJoin;
  std::vector<NodeId> active_, passive_;  // as last printed
};

}  // namespace barrel::sim
