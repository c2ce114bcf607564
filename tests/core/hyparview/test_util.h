// test_util.h — helpers shared by the HyParView and Node tests: a table of
// test node names, readable printing of effects for GoogleTest, and small
// builders for the exact effect sequences the tests expect.
#pragma once

// g++ 12 reports -Wmaybe-uninitialized, falsely, when a test moves Effect or
// Message variants (Effects{Send{...}} literals) in the sanitizer build. The
// core avoids the moves (effect_sink.h); the tests keep their literals.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "barrel/effect.h"
#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/node.h"

namespace barrel {

inline void PrintTo(NodeId id, std::ostream* os) {
  *os << "#" << id.value();
}

inline void print_nodes(const std::vector<NodeId>& nodes, std::ostream* os) {
  *os << "[";
  for (size_t i = 0; i < nodes.size(); ++i)
    *os << (i ? " #" : "#") << nodes[i].value();
  *os << "]";
}

inline void PrintTo(const Message& m, std::ostream* os) {
  *os << to_string(message_type(m));
  std::visit(
      [os](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, ForwardJoin>) {
          *os << "{joiner=#" << v.joiner.value() << " ttl=" << int{v.ttl} << "}";
        } else if constexpr (std::is_same_v<T, Neighbor>) {
          *os << "{high=" << v.high_priority << "}";
        } else if constexpr (std::is_same_v<T, NeighborReply>) {
          *os << "{accepted=" << v.accepted << "}";
        } else if constexpr (std::is_same_v<T, Disconnect>) {
          *os << "{leaving=" << v.leaving << "}";
        } else if constexpr (std::is_same_v<T, Shuffle>) {
          *os << "{origin=#" << v.origin.value() << " ttl=" << int{v.ttl} << " nodes=";
          print_nodes(v.nodes, os);
          *os << "}";
        } else if constexpr (std::is_same_v<T, ShuffleReply>) {
          *os << "{nodes=";
          print_nodes(v.nodes, os);
          *os << "}";
        } else if constexpr (std::is_same_v<T, Gossip>) {
          *os << "{id=" << std::hex << v.id.hi << ":" << v.id.lo << std::dec << " origin=#"
              << v.origin.value() << " round=" << v.round << " bytes=" << v.payload.size() << "}";
        } else if constexpr (std::is_same_v<T, IHave>) {
          *os << "{";
          for (const IHaveEntry& e : v.entries) {
            *os << " " << std::hex << e.id.hi << ":" << e.id.lo << std::dec << "/#"
                << e.origin.value() << "/r" << e.round;
          }
          *os << " }";
        } else if constexpr (std::is_same_v<T, Graft>) {
          *os << "{id=" << std::hex << v.id.hi << ":" << v.id.lo << std::dec << " round=" << v.round
              << "}";
        }
      },
      m);
}

inline void PrintTo(const Effect& e, std::ostream* os) {
  std::visit(
      [os](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Send>) {
          *os << "Send(#" << v.to.value() << ", ";
          PrintTo(v.msg, os);
          *os << ")";
        } else if constexpr (std::is_same_v<T, OpenLink>) {
          *os << "OpenLink(#" << v.peer.value() << ")";
        } else if constexpr (std::is_same_v<T, CloseLink>) {
          *os << "CloseLink(#" << v.peer.value() << ")";
        } else if (const auto* up = std::get_if<PeerUp>(&v.event)) {
          *os << "PeerUp(#" << up->peer.value() << ")";
        } else if (const auto* d = std::get_if<BroadcastDelivered>(&v.event)) {
          *os << "BroadcastDelivered(" << std::hex << d->id.hi << ":" << d->id.lo << std::dec
              << " origin=#" << d->origin.value() << " hops=" << d->hops
              << " bytes=" << d->payload.size() << ")";
        } else {
          const auto& down = std::get<PeerDown>(v.event);
          *os << "PeerDown(#" << down.peer.value() << ", " << to_string(down.reason) << ")";
        }
      },
      e);
}

// GoogleTest prints a variant through its alternatives: one printer each.
inline void PrintTo(const Send& e, std::ostream* os) {
  PrintTo(Effect{e}, os);
}
inline void PrintTo(const OpenLink& e, std::ostream* os) {
  PrintTo(Effect{e}, os);
}
inline void PrintTo(const CloseLink& e, std::ostream* os) {
  PrintTo(Effect{e}, os);
}
inline void PrintTo(const Emit& e, std::ostream* os) {
  PrintTo(Effect{e}, os);
}

inline std::string describe(const Effect& e) {
  std::ostringstream os;
  PrintTo(e, &os);
  return os.str();
}

namespace test {

using Effects = std::vector<Effect>;
using Ids = std::vector<NodeId>;

// Every effect `node` queued, in order.
inline Effects drain_all(Node& node) {
  Effects out;
  node.drain_effects(&out);
  return out;
}

// Liveness probes and anti-entropy (a SYNC_DIGEST goes to every new active
// member): the HyParView and Plumtree handler tests compare exact effects of
// their own protocol and leave these to their own tests
// (tests/core/liveness, tests/core/registry, node_registry_test).
inline bool is_liveness_or_sync(const Effect& e) {
  const auto* s = std::get_if<Send>(&e);
  return s != nullptr &&
         (std::holds_alternative<SyncDigest>(s->msg) || std::holds_alternative<SyncDelta>(s->msg) ||
          std::holds_alternative<Probe>(s->msg) || std::holds_alternative<ProbeAck>(s->msg));
}

// The effects `node` queued, in order, without liveness and anti-entropy.
inline Effects drain(Node& node) {
  Effects out;
  for (Effect& e : drain_all(node)) {
    if (!is_liveness_or_sync(e))
      out.push_back(std::move(e));
  }
  return out;
}

inline Ids ids(std::span<const NodeId> view) {
  return Ids(view.begin(), view.end());
}

inline Effect up(NodeId peer) {
  return Emit{PeerUp{peer}};
}
inline Effect down(NodeId peer, PeerDownReason reason) {
  return Emit{PeerDown{peer, reason}};
}

// A NameTable with `count` names "n<i>@test", whose handles are id(i).
class Names {
 public:
  explicit Names(size_t count, size_t table_max = 1024) : table_(table_max) {
    for (size_t i = 0; i < count; ++i) {
      Result<NodeId> r = table_.intern("n" + std::to_string(i) + "@test");
      EXPECT_TRUE(r.is_ok());
      ids_.push_back(r.value());
    }
  }
  NodeId id(size_t i) const { return ids_.at(i); }
  NameTable& table() { return table_; }

 private:
  NameTable table_;
  Ids ids_;
};

// A config with small views so corner cases are easy to reach; the other
// values are the defaults.
inline NodeConfig small_config(uint32_t active_size, uint32_t passive_size) {
  NodeConfig c;
  c.hyparview.active_size = active_size;
  c.hyparview.passive_size = passive_size;
  // The paper's rule (high priority only from an empty view), which the
  // handler tests spell out; repair_priority tests cover larger values.
  c.hyparview.repair_high_below = 1;
  // The periodic anti-entropy timer would fire before the HyParView timers
  // these tests step through (a new member is still synced at once).
  c.registry.sync_period = Duration::seconds(3600);
  return c;
}

inline std::unique_ptr<Node> make_node(const NodeConfig& config, Names& names, size_t self,
                                       uint64_t seed = 1, Instant now = Instant::zero()) {
  Result<std::unique_ptr<Node>> r = Node::create(config, names.table(), names.id(self), seed, now);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return std::move(r).value();
}

// Puts `peers` in node's active view (each sends JOIN_ACCEPT), in order, and
// drops the resulting effects.
inline void admit(Node& node, std::initializer_list<NodeId> peers, Instant now = {}) {
  for (NodeId p : peers)
    EXPECT_TRUE(node.deliver(now, p, JoinAccept{}).is_ok());
  drain(node);
}

// Merges `nodes` into node's passive view (a SHUFFLE_REPLY from `from`) and
// drops the resulting effects (a NEIGHBOR request, if the active view has room).
inline void give_passive(Node& node, NodeId from, const Ids& nodes, Instant now = {}) {
  EXPECT_TRUE(node.deliver(now, from, ShuffleReply{nodes}).is_ok());
  drain(node);
}

inline bool contains(std::span<const NodeId> view, NodeId id) {
  return std::find(view.begin(), view.end(), id) != view.end();
}

// The view without `id` (order kept).
inline Ids without(const Ids& view, NodeId id) {
  Ids out;
  for (NodeId v : view) {
    if (v != id)
      out.push_back(v);
  }
  return out;
}

// The peer of the first Send in `effects` carrying message type T, or invalid.
template <typename T>
NodeId first_send_of(const Effects& effects) {
  for (const Effect& e : effects) {
    if (const auto* s = std::get_if<Send>(&e); s && std::holds_alternative<T>(s->msg))
      return s->to;
  }
  return NodeId::invalid();
}

}  // namespace test
}  // namespace barrel
