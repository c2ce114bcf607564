// node.cpp — barrel::Node: input validation and dispatch to the protocols.
//
// Node owns what the protocols share: the config, the Rng seeded by create(),
// the stats and the effect queue (behind an EffectSink). Each input is
// checked here (a peer's message is never trusted), then handed to the
// protocol it belongs to; today that is HyParView only. Later protocols
// (Plumtree, the registry) sit beside it in Impl and take their share of the
// dispatch and of next_deadline(). Keep this file thin: protocol logic lives
// in core/src/<protocol>/.
#include "barrel/node.h"

#include <type_traits>
#include <utility>
#include <variant>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "barrel/rng.h"
#include "hyparview/effect_sink.h"
#include "hyparview/hyparview.h"
#include "hyparview/validate.h"

namespace barrel {
namespace {

// After a drain the queue keeps at most this much capacity, so a burst (a
// JOIN fanning out to a full view) does not pin memory in each of 100k nodes.
constexpr size_t kEffectsRetainedMax = 8;

}  // namespace

struct Node::Impl {
  Impl(const NodeConfig& cfg, const NameTable& table, NodeId self_id, uint64_t seed, Instant now)
      : config(cfg),
        names(&table),
        self(self_id),
        rng(seed),
        sink(&effects, &stats),
        hyparview(config.hyparview, self_id, rng, sink, stats, now) {}

  // Order matters: members are constructed in this order and hyparview keeps
  // references to config, rng, sink and stats.
  NodeConfig config;
  const NameTable* names;
  NodeId self;
  Rng rng;
  NodeStats stats;
  std::vector<Effect> effects;
  hyparview::EffectSink sink;
  hyparview::HyParView hyparview;

  bool is_peer(NodeId id) const { return hyparview::is_handle(id, names->size()) && id != self; }
};

Result<std::unique_ptr<Node>> Node::create(const NodeConfig& config, NameTable& names, NodeId self,
                                           uint64_t seed, Instant now) {
  if (Status s = config.validate(); !s.is_ok())
    return s;
  if (!hyparview::is_handle(self, names.size()))
    return Status::invalid_argument("self is not a handle of the name table");
  auto impl = std::make_unique<Impl>(config, names, self, seed, now);
  BARREL_ASSERT(impl->effects.empty());
  return std::unique_ptr<Node>(new Node(std::move(impl)));
}

Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  BARREL_ASSERT(impl_ != nullptr);
}
Node::~Node() = default;

NodeId Node::self() const {
  return impl_->self;
}

const NodeConfig& Node::config() const {
  return impl_->config;
}

Status Node::join(Instant now, NodeId contact) {
  if (!impl_->is_peer(contact))
    return Status::invalid_argument("contact is invalid, self, or not a handle of the table");
  impl_->sink.begin_input();
  return impl_->hyparview.join(now, contact);
}

void Node::leave(Instant now) {
  impl_->sink.begin_input();
  impl_->hyparview.leave(now);
}

bool Node::has_left() const {
  return impl_->hyparview.has_left();
}

Result<MessageId> Node::broadcast(Instant now, std::span<const uint8_t> payload) {
  (void)now;
  Impl& n = *impl_;
  if (payload.size() > limits::kBroadcastPayloadBytesMax)
    return Status::invalid_argument("payload above limits::kBroadcastPayloadBytesMax");
  if (n.hyparview.has_left())
    return Status::failed_precondition("the node has left");
  n.sink.begin_input();
  const MessageId id{n.rng.next(), n.rng.next()};
  n.stats.broadcasts_delivered++;
  n.sink.emit(BroadcastDelivered{id, n.self, 0,
                                 Payload(std::vector<uint8_t>(payload.begin(), payload.end()))});
  return id;
}

std::span<const NodeId> Node::active_view() const {
  return impl_->hyparview.active_view();
}

std::span<const NodeId> Node::passive_view() const {
  return impl_->hyparview.passive_view();
}

Status Node::deliver(Instant now, NodeId from, const Message& msg) {
  Impl& n = *impl_;
  n.stats.messages_received++;
  Status valid = n.is_peer(from)
                     ? hyparview::validate_message(msg, n.names->size())
                     : Status(Code::kProtocolViolation, "sender is self or not a known handle");
  if (!valid.is_ok()) {
    n.stats.messages_rejected++;
    return valid;
  }
  n.sink.begin_input();
  hyparview::HyParView& hv = n.hyparview;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Join>) {
          hv.on_join(now, from, m);
        } else if constexpr (std::is_same_v<T, ForwardJoin>) {
          hv.on_forward_join(now, from, m);
        } else if constexpr (std::is_same_v<T, JoinAccept>) {
          hv.on_join_accept(now, from, m);
        } else if constexpr (std::is_same_v<T, Neighbor>) {
          hv.on_neighbor(now, from, m);
        } else if constexpr (std::is_same_v<T, NeighborReply>) {
          hv.on_neighbor_reply(now, from, m);
        } else if constexpr (std::is_same_v<T, Disconnect>) {
          hv.on_disconnect(now, from, m);
        } else if constexpr (std::is_same_v<T, Shuffle>) {
          hv.on_shuffle(now, from, m);
        } else if constexpr (std::is_same_v<T, ShuffleReply>) {
          hv.on_shuffle_reply(now, from, m);
        } else {
          // Plumtree: dispatched once the protocol lands.
          static_assert(std::is_same_v<T, Gossip> || std::is_same_v<T, IHave> ||
                            std::is_same_v<T, Graft> || std::is_same_v<T, Prune>,
                        "new message: dispatch it here");
        }
      },
      msg);
  return Status::ok();
}

void Node::on_link_down(Instant now, NodeId peer) {
  if (!impl_->is_peer(peer))
    return;  // a host reporting a link we never had: nothing to do
  impl_->sink.begin_input();
  impl_->hyparview.on_link_down(now, peer);
}

void Node::on_link_failed(Instant now, NodeId peer) {
  if (!impl_->is_peer(peer))
    return;
  impl_->sink.begin_input();
  impl_->hyparview.on_link_failed(now, peer);
}

void Node::handle_timers(Instant now) {
  impl_->sink.begin_input();
  impl_->hyparview.handle_timers(now);
}

Instant Node::next_deadline() const {
  return impl_->hyparview.next_deadline();
}

void Node::drain_effects(std::vector<Effect>* out) {
  BARREL_ASSERT(out != nullptr);
  std::vector<Effect>& q = impl_->effects;
  for (Effect& e : q)
    out->push_back(std::move(e));
  q.clear();
  if (q.capacity() > kEffectsRetainedMax)
    std::vector<Effect>().swap(q);
  BARREL_ASSERT(q.empty());
}

const NodeStats& Node::stats() const {
  return impl_->stats;
}

}  // namespace barrel
