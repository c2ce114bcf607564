// trace_hash.cpp — feeding messages and effects into the trace hash, field by
// field. A new message or effect type must be added here (the visitors below
// do not compile otherwise), so the hash never silently skips content.
#include "trace_hash.h"

#include <type_traits>
#include <variant>

namespace barrel::sim {
namespace {

void hash_nodes(TraceHash* h, const std::vector<NodeId>& nodes) {
  h->add_u32(static_cast<uint32_t>(nodes.size()));
  for (NodeId n : nodes)
    h->add_node(n);
}

void hash_id(TraceHash* h, const MessageId& id) {
  for (uint64_t w : {id.hi, id.lo}) {
    h->add_u32(static_cast<uint32_t>(w >> 32));
    h->add_u32(static_cast<uint32_t>(w));
  }
}

void hash_payload(TraceHash* h, const Payload& p) {
  h->add_u32(static_cast<uint32_t>(p.size()));
  for (uint8_t b : p.bytes())
    h->add_u8(b);
}

struct MessageFields {
  TraceHash* h;
  void operator()(const Join&) const {}
  void operator()(const ForwardJoin& m) const {
    h->add_node(m.joiner);
    h->add_u8(m.ttl);
  }
  void operator()(const JoinAccept&) const {}
  void operator()(const Neighbor& m) const { h->add_u8(m.high_priority ? 1 : 0); }
  void operator()(const NeighborReply& m) const { h->add_u8(m.accepted ? 1 : 0); }
  void operator()(const Disconnect& m) const { h->add_u8(m.leaving ? 1 : 0); }
  void operator()(const Shuffle& m) const {
    h->add_node(m.origin);
    h->add_u8(m.ttl);
    hash_nodes(h, m.nodes);
  }
  void operator()(const ShuffleReply& m) const { hash_nodes(h, m.nodes); }
  void operator()(const Gossip& m) const {
    hash_id(h, m.id);
    h->add_node(m.origin);
    h->add_u32(m.round);
    h->add_u8(static_cast<uint8_t>(m.kind));
    hash_payload(h, m.payload);
  }
  void operator()(const IHave& m) const {
    h->add_u32(static_cast<uint32_t>(m.entries.size()));
    for (const IHaveEntry& e : m.entries) {
      hash_id(h, e.id);
      h->add_node(e.origin);
      h->add_u32(e.round);
    }
  }
  void operator()(const Graft& m) const {
    hash_id(h, m.id);
    h->add_u32(m.round);
  }
  void operator()(const Prune&) const {}
  void operator()(const Probe& m) const { h->add_u64(m.nonce); }
  void operator()(const ProbeAck& m) const {
    h->add_u64(m.nonce);
    h->add_u64(m.boot);
    h->add_u64(m.incarnation);
  }
  void operator()(const SyncDigest& m) const { hash_payload(h, m.body); }
  void operator()(const SyncDelta& m) const { hash_payload(h, m.body); }
};

struct EventFields {
  TraceHash* h;
  void operator()(const PeerUp& e) const {
    h->add_u8(1);
    h->add_node(e.peer);
  }
  void operator()(const PeerDown& e) const {
    h->add_u8(2);
    h->add_node(e.peer);
    h->add_u8(static_cast<uint8_t>(e.reason));
  }
  void operator()(const BroadcastDelivered& e) const {
    h->add_u8(3);
    hash_id(h, e.id);
    h->add_node(e.origin);
    h->add_u32(e.hops);
    hash_payload(h, e.payload);
  }
  void operator()(const ServiceRegistered& e) const {
    h->add_u8(4);
    h->add_string(e.service);
    h->add_string(e.node);
  }
  void operator()(const ServiceUnregistered& e) const {
    h->add_u8(5);
    h->add_string(e.service);
    h->add_string(e.node);
  }
  void operator()(const ServiceDown& e) const {
    h->add_u8(6);
    h->add_string(e.service);
    h->add_string(e.node);
    h->add_u8(static_cast<uint8_t>(e.reason));
  }
};

struct EffectFields {
  TraceHash* h;
  void operator()(const Send& e) const {
    h->add_node(e.to);
    hash_message(h, e.msg);
  }
  void operator()(const OpenLink& e) const { h->add_node(e.peer); }
  void operator()(const CloseLink& e) const { h->add_node(e.peer); }
  void operator()(const Emit& e) const { std::visit(EventFields{h}, e.event); }
};

}  // namespace

void hash_message(TraceHash* h, const Message& msg) {
  h->add_u8(static_cast<uint8_t>(message_type(msg)));
  std::visit(MessageFields{h}, msg);
}

void hash_effect(TraceHash* h, const Effect& effect) {
  // Effect kinds are hashed as 0x40 + variant index, apart from event kinds.
  h->add_u8(static_cast<uint8_t>(0x40 + effect.index()));
  std::visit(EffectFields{h}, effect);
}

}  // namespace barrel::sim
