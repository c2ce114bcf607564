// node.cpp — barrel::Node: input validation and dispatch to the protocols.
//
// Node owns what the protocols share: the config, the Rng seeded by create(),
// the stats and the effect queue (behind an EffectSink). Each input is
// checked here (a peer's message is never trusted), then handed to the
// protocol it belongs to: HyParView (membership), Plumtree (broadcast),
// Liveness (probes, suspicion, death), the Registry (the OR-Map of services)
// or AntiEntropy (digest exchange). Keep this file thin: protocol logic lives
// in core/src/<protocol>/.
//
// HyParView -> the others: after every HyParView call, Impl::sync_peers()
// reads the PeerUp / PeerDown events that call just queued, in order, and
// tells Plumtree (so its eager and lazy sets always partition the active
// view), Liveness (a lost link starts probes; a returning peer ends them) and
// AntiEntropy (a new member gets our digest at once). Reading the effects
// keeps HyParView unaware of them.
//
// Between the protocols, Impl::settle() runs after every input until nothing
// moves (a bounded number of rounds): liveness changes purge registry entries
// of dead nodes; own entries removed by others make Liveness refute and the
// Registry re-add them; claims and deltas the protocols queued are broadcast
// through Plumtree; and Plumtree's internal deliveries (claims and deltas
// from others) go to Liveness and the Registry. The protocols never call each
// other, so each stays testable alone.
#include "barrel/node.h"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "barrel/rng.h"
#include "hlc/hlc.h"
#include "hyparview/effect_sink.h"
#include "hyparview/hyparview.h"
#include "hyparview/validate.h"
#include "liveness/claim_codec.h"
#include "liveness/liveness.h"
#include "plumtree/plumtree.h"
#include "plumtree/validate.h"
#include "registry/registry.h"
#include "sync/anti_entropy.h"

namespace barrel {
namespace {

// After a drain the queue keeps at most this much capacity, so a burst (a
// JOIN fanning out to a full view) does not pin memory in each of 100k nodes.
constexpr size_t kEffectsRetainedMax = 8;

// Rounds of Impl::settle() per input. Each round moves one step of a bounded
// chain (a claim -> a purge -> a refutation -> a broadcast); more than this
// would be a loop between the protocols, a bug.
constexpr int kSettleRoundsMax = 8;

// The boot incarnation: the HLC's reading of the host's wall clock at boot
// (at least 1, so 0 can mean "unknown" in claims and records).
uint64_t boot_incarnation_of(Instant now, uint64_t boot_wall_us) {
  const uint64_t physical =
      boot_wall_us != 0 ? boot_wall_us : static_cast<uint64_t>(std::max<int64_t>(now.us(), 0));
  Hlc hlc;
  const HlcTimestamp ts = hlc.now(std::min(physical, Hlc::kPhysicalUsMax - 1));
  return std::max<uint64_t>(ts.wall_us, 1);
}

}  // namespace

struct Node::Impl {
  Impl(const NodeConfig& cfg, const NameTable& table, NodeId self_id, uint64_t seed, Instant now,
       uint64_t boot)
      : config(cfg),
        names(&table),
        self(self_id),
        rng(seed),
        sink(&effects, &stats),
        hyparview(config.hyparview, self_id, rng, sink, stats, now),
        plumtree(config.plumtree, self_id, rng, sink, stats),
        liveness(config.liveness, table, self_id, boot, rng, sink, stats),
        registry(config.registry, std::string(table.name(self_id)), boot, sink, stats),
        anti_entropy(config.registry, rng, sink, stats, registry, liveness, now) {
    registry.set_dead_judge([this](std::string_view node, uint64_t b, uint64_t inc) {
      return liveness.entry_is_dead(node, b, inc);
    });
    liveness.set_relevance([this](std::string_view node) { return relevant(node); });
    liveness.set_newsworthy(
        [this](std::string_view node) { return registry.max_incarnation_of(node) > 0; });
  }

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
  liveness::Liveness liveness;
  registry::Registry registry;
  sync::AntiEntropy anti_entropy;
  // Scratch of settle() and sync_peers(), kept to reuse their capacity.
  std::vector<std::string> changed_members;
  std::vector<liveness::Claim> claims_out;
  std::vector<Payload> deltas_out;
  std::vector<plumtree::Plumtree::Internal> internal_in;
  std::vector<Emit> peer_changes;
  std::vector<NodeId> revived;

  bool is_peer(NodeId id) const { return hyparview::is_handle(id, names->size()) && id != self; }

  // Starts an input: the effect budget, and the mark sync_peers() reads from.
  size_t begin_input() {
    sink.begin_input();
    return effects.size();
  }

  // Whether claims about `node` matter here (liveness.h, on_claim): it has
  // registry entries, or it is in our views.
  bool relevant(std::string_view node) const {
    if (registry.max_incarnation_of(node) > 0)
      return true;
    const NodeId id = names->find(node);
    if (!id.valid())
      return false;
    const auto has = [id](std::span<const NodeId> v) {
      return std::find(v.begin(), v.end(), id) != v.end();
    };
    return has(hyparview.active_view()) || has(hyparview.passive_view());
  }

  // After a HyParView call: tell the others, then settle.
  void sync_peers(Instant now, size_t mark) {
    notify_peer_changes(now, mark);
    settle(now);
  }

  // Tells Plumtree, Liveness and AntiEntropy the active-view changes
  // HyParView queued since `mark`. They are copied out first: AntiEntropy
  // and Liveness send, which grows the queue being read.
  void notify_peer_changes(Instant now, size_t mark) {
    const size_t end = effects.size();
    BARREL_ASSERT(mark <= end);
    peer_changes.clear();
    for (size_t i = mark; i < end; ++i) {
      const auto* emit = std::get_if<Emit>(&effects[i]);
      if (emit != nullptr && (std::holds_alternative<PeerUp>(emit->event) ||
                              std::holds_alternative<PeerDown>(emit->event)))
        peer_changes.push_back(*emit);
    }
    for (const Emit& e : peer_changes) {
      if (const auto* up = std::get_if<PeerUp>(&e.event))
        plumtree.on_peer_up(up->peer);
      else
        plumtree.on_peer_down(std::get<PeerDown>(e.event).peer);
    }
    BARREL_ASSERT(effects.size() == end);  // Plumtree's peer handlers emit nothing
    plumtree.check_invariants(hyparview.active_view());
    for (const Emit& e : peer_changes) {
      if (const auto* up = std::get_if<PeerUp>(&e.event)) {
        liveness.on_peer_up(now, up->peer);
        anti_entropy.on_peer_up(now, up->peer);
      } else if (const auto& down = std::get<PeerDown>(e.event);
                 down.reason == PeerDownReason::kLinkLost) {
        liveness.on_link_lost(now, down.peer, registry.max_incarnation_of(names->name(down.peer)));
      }
    }
  }

  // Moves work between the protocols until nothing moves (see the file
  // comment). Called at the end of every input.
  void settle(Instant now) {
    liveness.set_cluster_size_estimate(cluster_size_estimate());
    for (int round = 0; round < kSettleRoundsMax; ++round) {
      bool moved = false;
      changed_members.clear();
      liveness.take_changes(&changed_members);
      for (const std::string& m : changed_members)
        registry.purge_node(now, m);
      moved |= !changed_members.empty();
      if (registry.own_entries_lost()) {
        registry.restore_own(now, liveness.refute(now));
        moved = true;
      }
      revived.clear();
      liveness.take_revived(&revived);
      for (NodeId peer : revived) {
        // A member we hold dead answered: another part of a healed
        // partition. Bridge to it, and send it our claims to refute.
        const size_t mark = effects.size();
        if (hyparview.bridge(now, peer))
          notify_peer_changes(now, mark);
        anti_entropy.on_peer_up(now, peer);
        moved = true;
      }
      moved |= broadcast_queued(now);
      internal_in.clear();
      plumtree.take_internal(&internal_in);
      for (const plumtree::Plumtree::Internal& d : internal_in) {
        if (d.origin != self)  // our own claims and deltas are applied already
          apply_internal(now, d);
      }
      moved |= !internal_in.empty();
      if (!moved)
        return;
    }
    BARREL_ASSERT(false && "settle() did not converge: a loop between the protocols");
  }

  // Broadcasts the claims and deltas Liveness and the Registry queued.
  bool broadcast_queued(Instant now) {
    claims_out.clear();
    liveness.take_broadcasts(&claims_out);
    deltas_out.clear();
    registry.take_broadcasts(&deltas_out);
    if (hyparview.has_left())
      return false;  // a left node has no one to tell (leave() broadcast first)
    for (const liveness::Claim& c : claims_out) {
      std::vector<uint8_t> bytes;
      liveness::encode_claim(c, &bytes);
      (void)plumtree.broadcast(now, BroadcastKind::kLiveness, Payload(std::move(bytes)));
    }
    for (Payload& p : deltas_out)
      (void)plumtree.broadcast(now, BroadcastKind::kRegistry, std::move(p));
    return !claims_out.empty() || !deltas_out.empty();
  }

  // A liveness claim or a registry delta another node broadcast. A payload
  // that does not decode is counted and dropped (the GOSSIP itself was well
  // formed, so Plumtree already forwarded it: every node judges it alike).
  void apply_internal(Instant now, const plumtree::Plumtree::Internal& d) {
    if (d.kind == BroadcastKind::kLiveness) {
      Result<liveness::Claim> c = liveness::decode_claim(d.payload.bytes());
      if (c.is_ok())
        liveness.on_claim(now, *c);
      else
        stats.claims_rejected++;
      return;
    }
    BARREL_ASSERT(d.kind == BroadcastKind::kRegistry);
    (void)registry.on_broadcast(now, d.payload.bytes());  // counts its rejections
  }

  // N for the suspicion timeout: the most nodes this node has evidence of.
  size_t cluster_size_estimate() const {
    const size_t views = hyparview.active_view().size() + hyparview.passive_view().size() + 1;
    return std::max({views, liveness.member_count() + 1, registry.node_count()});
  }

  // Messages of liveness and anti-entropy; a body that does not decode is
  // rejected with its status (counted by the protocol).
  Status dispatch_liveness(Instant now, NodeId from, const Message& msg) {
    if (hyparview.has_left())
      return Status::ok();  // a left node takes no part (node.h)
    Status s = Status::ok();
    if (const auto* p = std::get_if<Probe>(&msg))
      liveness.on_probe(now, from, *p);
    else if (const auto* a = std::get_if<ProbeAck>(&msg))
      liveness.on_probe_ack(now, from, *a);
    else if (const auto* d = std::get_if<SyncDigest>(&msg))
      s = anti_entropy.on_digest(now, from, *d);
    else
      s = anti_entropy.on_delta(now, from, std::get<SyncDelta>(msg));
    settle(now);
    return s;
  }

  static bool is_liveness(const Message& msg) {
    return std::holds_alternative<Probe>(msg) || std::holds_alternative<ProbeAck>(msg) ||
           std::holds_alternative<SyncDigest>(msg) || std::holds_alternative<SyncDelta>(msg);
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
    settle(now);
  }
};

Result<std::unique_ptr<Node>> Node::create(const NodeConfig& config, NameTable& names, NodeId self,
                                           uint64_t seed, Instant now, uint64_t boot_wall_us) {
  if (Status s = config.validate(); !s.is_ok())
    return s;
  if (!hyparview::is_handle(self, names.size()))
    return Status::invalid_argument("self is not a handle of the name table");
  auto impl = std::make_unique<Impl>(config, names, self, seed, now,
                                     boot_incarnation_of(now, boot_wall_us));
  BARREL_ASSERT(impl->effects.empty());
  return std::unique_ptr<Node>(new Node(std::move(impl)));
}

Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  BARREL_ASSERT(impl_ != nullptr);
}
Node::~Node() = default;
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(Node&&) noexcept = default;

std::span<const std::byte> Node::hot_state() const {
  return std::as_bytes(std::span<const Impl>(impl_.get(), 1));
}

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
  impl_->sync_peers(now, mark);
  return s;
}

// Services go first, while there are still peers to carry the deltas (the
// GOSSIPs precede the DISCONNECTs on every link, and links are FIFO).
void Node::leave(Instant now) {
  Impl& n = *impl_;
  n.begin_input();
  if (!n.hyparview.has_left()) {
    n.plumtree.prepare_leave();  // the unregistration must go out eagerly
    n.registry.unregister_all(now);
    n.settle(now);
  }
  const size_t mark = n.effects.size();
  n.hyparview.leave(now);
  n.sync_peers(now, mark);
  n.plumtree.on_leave();
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
  const MessageId id = n.plumtree.broadcast(
      now, BroadcastKind::kUser, Payload(std::vector<uint8_t>(payload.begin(), payload.end())));
  n.plumtree.check_invariants(n.hyparview.active_view());
  return id;
}

Status Node::register_service(Instant now, std::string_view name, EndpointId endpoint,
                              const Metadata& metadata) {
  Impl& n = *impl_;
  if (n.hyparview.has_left())
    return Status::failed_precondition("the node has left");
  n.begin_input();
  Status s = n.registry.register_service(now, name, endpoint, metadata, n.liveness.incarnation());
  n.settle(now);
  return s;
}

Status Node::unregister_service(Instant now, std::string_view name) {
  Impl& n = *impl_;
  n.begin_input();
  Status s = n.registry.unregister_service(now, name);
  n.settle(now);
  return s;
}

void Node::close_endpoint(Instant now, EndpointId endpoint) {
  Impl& n = *impl_;
  n.begin_input();
  n.registry.close_endpoint(now, endpoint);
  n.settle(now);
}

std::vector<ServiceInstance> Node::lookup(std::string_view name) const {
  return impl_->registry.lookup(name);
}

std::optional<ServiceInstance> Node::whereis(std::string_view name) const {
  return impl_->registry.whereis(name);
}

std::vector<std::string> Node::list_services() const {
  return impl_->registry.list_services();
}

uint64_t Node::boot_incarnation() const {
  return impl_->liveness.boot();
}

uint64_t Node::incarnation() const {
  return impl_->liveness.incarnation();
}

std::optional<MemberInfo> Node::member(std::string_view node) const {
  const auto r = impl_->liveness.record(node);
  if (!r)
    return std::nullopt;
  return MemberInfo{std::string(node), r->state, r->boot, r->incarnation};
}

std::vector<MemberInfo> Node::suspect_and_dead_members() const {
  return impl_->liveness.not_alive();
}

std::span<const NodeId> Node::active_view() const {
  return impl_->hyparview.active_view();
}

std::span<const NodeId> Node::passive_view() const {
  return impl_->hyparview.passive_view();
}

uint64_t Node::views_version() const {
  return impl_->hyparview.views_version();
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
  const size_t mark = n.begin_input();
  if (Impl::is_liveness(msg)) {
    Status s = n.dispatch_liveness(now, from, msg);
    if (!s.is_ok())
      n.stats.messages_rejected++;
    return s;
  }
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
  n.sync_peers(now, mark);
  return Status::ok();
}

void Node::on_link_down(Instant now, NodeId peer) {
  if (!impl_->is_peer(peer))
    return;  // a host reporting a link we never had: nothing to do
  const size_t mark = impl_->begin_input();
  impl_->hyparview.on_link_down(now, peer);
  impl_->sync_peers(now, mark);
}

void Node::on_link_failed(Instant now, NodeId peer) {
  if (!impl_->is_peer(peer))
    return;
  Impl& n = *impl_;
  const size_t mark = n.begin_input();
  n.hyparview.on_link_failed(now, peer);
  if (!n.hyparview.has_left())
    n.liveness.on_link_failed(now, peer);
  n.sync_peers(now, mark);
}

void Node::handle_timers(Instant now) {
  Impl& n = *impl_;
  const size_t mark = n.begin_input();
  n.hyparview.handle_timers(now);
  n.sync_peers(now, mark);
  if (!n.hyparview.has_left()) {
    n.plumtree.handle_timers(now);
    n.liveness.handle_timers(now);
    n.registry.handle_timers(now);
    n.anti_entropy.handle_timers(now, n.hyparview.active_view());
    n.settle(now);
  }
  n.plumtree.check_invariants(n.hyparview.active_view());
}

Instant Node::next_deadline() const {
  const Impl& n = *impl_;
  Instant next = n.hyparview.next_deadline();
  if (n.hyparview.has_left())
    return next;
  next = std::min(next, n.plumtree.next_deadline());
  next = std::min(next, n.liveness.next_deadline());
  next = std::min(next, n.registry.next_deadline());
  return std::min(next, n.anti_entropy.next_deadline());
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
