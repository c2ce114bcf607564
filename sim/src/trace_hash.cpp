// trace_hash.cpp — feeding messages and effects into the trace hash, field by
// field. A new message or effect type must be added here (the visitors below
// do not compile otherwise), so the hash never silently skips content.
#include "trace_hash.h"

#include <type_traits>
#include <variant>

namespace barrel::sim {
namespace {

// The count, then the ids two to a word.
void hash_nodes(TraceHash* h, const std::vector<NodeId>& nodes) {
  const size_t n = nodes.size();
  h->add_u64(n);
  size_t k = 0;
  for (; k + 1 < n; k += 2)
    h->add_pair(nodes[k].value(), nodes[k + 1].value());
  if (k < n)
    h->add_u32(nodes[k].value());
}

void hash_id(TraceHash* h, const MessageId& id) {
  h->add_u64(id.hi);
  h->add_u64(id.lo);
}

void hash_payload(TraceHash* h, const Payload& p) {
  h->add_bytes(p.bytes());
}

struct MessageFields {
  TraceHash* h;
  void operator()(const Join&) const {}
  void operator()(const ForwardJoin& m) const { h->add_pair(m.joiner.value(), m.ttl); }
  void operator()(const JoinAccept&) const {}
  void operator()(const Neighbor& m) const { h->add_u8(m.high_priority ? 1 : 0); }
  void operator()(const NeighborReply& m) const { h->add_u8(m.accepted ? 1 : 0); }
  void operator()(const Disconnect& m) const { h->add_u8(m.leaving ? 1 : 0); }
  void operator()(const Shuffle& m) const {
    h->add_pair(m.origin.value(), m.ttl);
    hash_nodes(h, m.nodes);
  }
  void operator()(const ShuffleReply& m) const { hash_nodes(h, m.nodes); }
  void operator()(const Gossip& m) const {
    hash_id(h, m.id);
    h->add_pair(m.origin.value(), uint32_t{m.round} | uint32_t{static_cast<uint8_t>(m.kind)} << 16);
    hash_payload(h, m.payload);
  }
  void operator()(const IHave& m) const {
    h->add_u32(static_cast<uint32_t>(m.entries.size()));
    for (const IHaveEntry& e : m.entries) {
      hash_id(h, e.id);
      h->add_pair(e.origin.value(), e.round);
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
    h->add_pair(e.to.value(), static_cast<uint8_t>(message_type(e.msg)));
    std::visit(MessageFields{h}, e.msg);
  }
  void operator()(const OpenLink& e) const { h->add_node(e.peer); }
  void operator()(const CloseLink& e) const { h->add_node(e.peer); }
  void operator()(const Emit& e) const { std::visit(EventFields{h}, e.event); }
};

}  // namespace

void TraceHash::add_bytes(std::span<const uint8_t> bytes) {
  const size_t n = bytes.size();
  add_u64(n);
  size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    uint64_t w = 0;
    for (size_t b = 0; b < 8; ++b)  // compiles to one load on a little-endian target
      w |= uint64_t{bytes[k + b]} << (8 * b);
    add_u64(w);
  }
  if (k < n) {
    uint64_t w = 0;
    for (size_t b = 0; k + b < n; ++b)
      w |= uint64_t{bytes[k + b]} << (8 * b);
    add_u64(w);
  }
}

void TraceHash::add_string(std::string_view v) {
  add_bytes({reinterpret_cast<const uint8_t*>(v.data()), v.size()});
}

void hash_effect(TraceHash* h, const Effect& effect) {
  // Effect kinds are hashed as 0x40 + variant index, apart from event kinds.
  h->add_u8(static_cast<uint8_t>(0x40 + effect.index()));
  std::visit(EffectFields{h}, effect);
}

}  // namespace barrel::sim
