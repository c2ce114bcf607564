// plumtree_util.h — helpers for the Plumtree tests: a node with a few active
// peers, and the Plumtree part of an effect list (HyParView's timers may add
// a SHUFFLE at any time; the Plumtree tests compare only their own effects).
#pragma once

#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include "core/hyparview/test_util.h"

namespace barrel::test {

inline bool is_plumtree_effect(const Effect& e) {
  if (const auto* s = std::get_if<Send>(&e)) {
    return std::holds_alternative<Gossip>(s->msg) || std::holds_alternative<IHave>(s->msg) ||
           std::holds_alternative<Graft>(s->msg) || std::holds_alternative<Prune>(s->msg);
  }
  if (const auto* em = std::get_if<Emit>(&e))
    return std::holds_alternative<BroadcastDelivered>(em->event);
  return false;
}

// The Plumtree effects `node` queued, in order (the rest is dropped).
inline Effects plumtree_drain(Node& node) {
  Effects out;
  for (Effect& e : drain(node)) {
    if (is_plumtree_effect(e))
      out.push_back(std::move(e));
  }
  return out;
}

inline Payload bytes(std::initializer_list<uint8_t> b) {
  return Payload(std::vector<uint8_t>(b));
}

inline Effect delivered(MessageId id, NodeId origin, uint16_t hops, const Payload& p) {
  return Emit{BroadcastDelivered{id, origin, hops, p}};
}
inline Effect gossip(NodeId to, MessageId id, NodeId origin, uint16_t round, const Payload& p) {
  return Send{to, Gossip{id, origin, round, p}};
}
inline Effect ihave(NodeId to, std::vector<IHaveEntry> entries) {
  return Send{to, IHave{std::move(entries)}};
}
inline Effect graft(NodeId to, MessageId id, uint16_t round) {
  return Send{to, Graft{id, round}};
}
inline Effect prune(NodeId to) {
  return Send{to, Prune{}};
}

}  // namespace barrel::test
