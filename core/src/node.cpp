// node.cpp — barrel::Node: input validation and dispatch to the protocols.
//
// Node owns what the protocols share: the config, the Rng seeded by create(),
// the stats and the effect queue (behind an EffectSink). Each input is
// checked here (a peer's message is never trusted), then handed to the
// protocol it belongs to: HyParView (membership) or Plumtree (broadcast).
// Later protocols (the registry) sit beside them in Impl and take their share
// of the dispatch and of next_deadline(). Keep this file thin: protocol logic
// lives in core/src/<protocol>/.
//
// HyParView -> Plumtree: after every HyParView call, Impl::sync_peers() reads
// the PeerUp / PeerDown events that call just queued, in order, and tells
// Plumtree, so Plumtree's eager and lazy sets always partition the active
// view. (Reading the effects keeps HyParView unaware of Plumtree.)
#include "barrel/node.h"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "barrel/rng.h"
#include "hyparview/effect_sink.h"
#include "hyparview/hyparview.h"
#include "hyparview/validate.h"
#include "plumtree/plumtree.h"
#include "plumtree/validate.h"

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
        hyparview(config.hyparview, self_id, rng, sink, stats, now),
        plumtree(config.plumtree, self_id, rng, sink, stats) {}

  // Order matters: members are constructed in this order and the protocols
  // keep references to config, rng, sink and stats.
  NodeConfig config;
  const NameTable* names;
  NodeId self;
  Rng rng;
  NodeStats stats;
  std::vector<Effect> effects;
  hyparview::EffectSink sink;
  hyparview::HyParView hyparview;
  plumtree::Plumtree plumtree;

  bool is_peer(NodeId id) const { return hyparview::is_handle(id, names->size()) && id != self; }

  // Starts an input: the effect budget, and the mark sync_peers() reads from.
  size_t begin_input() {
    sink.begin_input();
    return effects.size();
  }

  // Tells Plumtree the active-view changes HyParView queued since `mark`.
  // Plumtree's peer handlers emit nothing, so the queue does not move.
  void sync_peers(size_t mark) {
    const size_t end = effects.size();
    BARREL_ASSERT(mark <= end);
    for (size_t i = mark; i < end; ++i) {
      const auto* emit = std::get_if<Emit>(&effects[i]);
      if (emit == nullptr)
        continue;
      if (const auto* up = std::get_if<PeerUp>(&emit->event))
        plumtree.on_peer_up(up->peer);
      else if (const auto* down = std::get_if<PeerDown>(&emit->event))
        plumtree.on_peer_down(down->peer);
    }
    BARREL_ASSERT(effects.size() == end);
    plumtree.check_invariants(hyparview.active_view());
  }

  void dispatch_plumtree(Instant now, NodeId from, const Message& msg) {
    if (hyparview.has_left())
      return;  // a left node takes no part in broadcast (node.h)
    if (const auto* g = std::get_if<Gossip>(&msg))
      plumtree.on_gossip(now, from, *g);
    else if (const auto* ih = std::get_if<IHave>(&msg))
      plumtree.on_ihave(now, from, *ih);
    else if (const auto* gr = std::get_if<Graft>(&msg))
      plumtree.on_graft(now, from, *gr);
    else
      plumtree.on_prune(now, from, std::get<Prune>(msg));
    plumtree.check_invariants(hyparview.active_view());
  }
};

Result<std::unique_ptr<Node>> Node::create(const NodeConfig& config, NameTable& names, NodeId self,
                                           uint64_t seed, Instant now, uint64_t boot_wall_us) {
  (void)boot_wall_us;
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
  const size_t mark = impl_->begin_input();
  Status s = impl_->hyparview.join(now, contact);
  impl_->sync_peers(mark);
  return s;
}

void Node::leave(Instant now) {
  const size_t mark = impl_->begin_input();
  impl_->hyparview.leave(now);
  impl_->sync_peers(mark);
  impl_->plumtree.on_leave();
}

bool Node::has_left() const {
  return impl_->hyparview.has_left();
}

Result<MessageId> Node::broadcast(Instant now, std::span<const uint8_t> payload) {
  Impl& n = *impl_;
  if (payload.size() > limits::kBroadcastPayloadBytesMax)
    return Status::invalid_argument("payload above limits::kBroadcastPayloadBytesMax");
  if (n.hyparview.has_left())
    return Status::failed_precondition("the node has left");
  n.begin_input();
  const MessageId id =
      n.plumtree.broadcast(now, Payload(std::vector<uint8_t>(payload.begin(), payload.end())));
  n.plumtree.check_invariants(n.hyparview.active_view());
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
  if (valid.is_ok())
    valid = plumtree::validate_message(msg, n.names->size());
  if (!valid.is_ok()) {
    n.stats.messages_rejected++;
    return valid;
  }
  if (std::holds_alternative<Probe>(msg) || std::holds_alternative<ProbeAck>(msg) ||
      std::holds_alternative<SyncDigest>(msg) || std::holds_alternative<SyncDelta>(msg))
    return Status::ok();  // liveness and anti-entropy: wired in by the registry work
  const size_t mark = n.begin_input();
  if (plumtree::is_plumtree(msg)) {
    n.dispatch_plumtree(now, from, msg);
    return Status::ok();
  }
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
          // Plumtree's messages went to dispatch_plumtree() above.
          static_assert(std::is_same_v<T, Gossip> || std::is_same_v<T, IHave> ||
                            std::is_same_v<T, Graft> || std::is_same_v<T, Prune> ||
                            std::is_same_v<T, Probe> || std::is_same_v<T, ProbeAck> ||
                            std::is_same_v<T, SyncDigest> || std::is_same_v<T, SyncDelta>,
                        "new message: dispatch it here");
          BARREL_ASSERT(false && "plumtree message in the HyParView dispatch");
        }
      },
      msg);
  n.sync_peers(mark);
  return Status::ok();
}

void Node::on_link_down(Instant now, NodeId peer) {
  if (!impl_->is_peer(peer))
    return;  // a host reporting a link we never had: nothing to do
  const size_t mark = impl_->begin_input();
  impl_->hyparview.on_link_down(now, peer);
  impl_->sync_peers(mark);
}

void Node::on_link_failed(Instant now, NodeId peer) {
  if (!impl_->is_peer(peer))
    return;
  const size_t mark = impl_->begin_input();
  impl_->hyparview.on_link_failed(now, peer);
  impl_->sync_peers(mark);
}

void Node::handle_timers(Instant now) {
  const size_t mark = impl_->begin_input();
  impl_->hyparview.handle_timers(now);
  impl_->sync_peers(mark);
  if (!impl_->hyparview.has_left())
    impl_->plumtree.handle_timers(now);
  impl_->plumtree.check_invariants(impl_->hyparview.active_view());
}

Instant Node::next_deadline() const {
  const Instant plumtree =
      impl_->hyparview.has_left() ? Instant::never() : impl_->plumtree.next_deadline();
  return std::min(impl_->hyparview.next_deadline(), plumtree);
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
