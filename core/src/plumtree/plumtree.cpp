// plumtree.cpp — the Plumtree handlers (see plumtree.h for the summary).
#include "plumtree/plumtree.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::plumtree {
namespace {

bool contains(const std::vector<NodeId>& v, NodeId id) {
  return std::find(v.begin(), v.end(), id) != v.end();
}

// Removes `id` from `v` keeping the order; true if it was there.
bool remove(std::vector<NodeId>& v, NodeId id) {
  auto it = std::find(v.begin(), v.end(), id);
  if (it == v.end())
    return false;
  v.erase(it);
  return true;
}

// hops of a GOSSIP received with `round`. Saturates: a peer may send any
// u16, and a wrapped hop count would be a lie.
uint16_t next_hop(uint16_t round) {
  return round == UINT16_MAX ? round : static_cast<uint16_t>(round + 1);
}

// Worst case of one broadcast or new GOSSIP: the event, a GOSSIP per eager
// peer, an early IHAVE per lazy peer (eager + lazy <= active view).
static_assert(1 + limits::kActiveViewSizeMax <= limits::kEffectsPerInputMax);
// Worst case of a timer tick, on top of HyParView's few timer effects.
static_assert(kGraftsPerTickMax + limits::kActiveViewSizeMax + 16 <= limits::kEffectsPerInputMax);

}  // namespace

Plumtree::Plumtree(const PlumtreeConfig& config, NodeId self, Rng& rng, hyparview::EffectSink& sink,
                   NodeStats& stats)
    : config_(config),
      self_(self),
      rng_(rng),
      sink_(sink),
      stats_(stats),
      received_(limits::kMessageCacheMax),
      payloads_(limits::kPayloadCacheMax),
      missing_(limits::kMissingMax) {
  BARREL_ASSERT(self.valid());
  BARREL_ASSERT(config.ihave_timeout < config.message_ttl);
}

// A fresh id (128 bits from the Node's Rng: unique across incarnations, each
// seeded anew), delivered here with hops 0 and pushed to every peer.
MessageId Plumtree::broadcast(Instant now, BroadcastKind kind, Payload payload) {
  BARREL_ASSERT(payload.size() <= limits::kBroadcastPayloadBytesMax);
  MessageId id;
  do {
    id = MessageId{rng_.next(), rng_.next()};
  } while (received_.contains(id));  // 2^-128 per draw; keeps insert's precondition
  accept(now, id, self_, 0, kind, payload, NodeId::invalid());
  return id;
}

// New: deliver and push on; the sender's link joins the tree (the paper adds
// it to eager; it usually is already). Duplicate: the sender's link is
// redundant, so it becomes lazy on both sides (PRUNE).
void Plumtree::on_gossip(Instant now, NodeId from, const Gossip& msg) {
  BARREL_ASSERT(from != self_);
  stats_.gossip_received++;
  if (received_.contains(msg.id)) {
    stats_.gossip_duplicates++;
    // A second copy from the peer that gave us the first says nothing about
    // a redundant path (a transport that duplicates, or a resend crossing
    // our PRUNE): pruning would cut the tree's own branch and leave the
    // next messages to IHAVE/GRAFT (the simulator measured p50 latency
    // 0.2 s -> 1.3 s at 5 % duplication). Once the payload is evicted we no
    // longer know, and prune as the paper does.
    const PayloadCache::Stored* first = payloads_.find(msg.id);
    if (first != nullptr && first->from == from)
      return;
    if (is_active(from)) {
      make_lazy(from);
      stats_.prunes_sent++;
      sink_.send(from, Prune{});
    }
    return;
  }
  missing_.erase(msg.id);
  make_eager(from);
  accept(now, msg.id, msg.origin, next_hop(msg.round), msg.kind, msg.payload, from);
}

// Announced ids we lack are tracked with their announcers; the first
// announcement starts the timer, later ones only add announcers (the paper:
// wait for the eager path before repairing the tree).
void Plumtree::on_ihave(Instant now, NodeId from, const IHave& msg) {
  BARREL_ASSERT(msg.entries.size() <= limits::kIHaveEntriesMax);
  const Instant deadline = now + config_.ihave_timeout;
  for (const IHaveEntry& e : msg.entries) {
    if (!received_.contains(e.id))
      missing_.announce(e.id, from, e.round, deadline);  // false: full, policy in missing.h
  }
}

// The sender repairs the tree through us: its link becomes eager and it
// gets the payload if we still keep it (else it tries its next announcer).
void Plumtree::on_graft(Instant now, NodeId from, const Graft& msg) {
  (void)now;
  BARREL_ASSERT(from != self_);
  make_eager(from);
  if (const PayloadCache::Stored* s = payloads_.find(msg.id))
    send_gossip(from, msg.id, s->origin, s->hops, s->kind, s->payload);
}

void Plumtree::on_prune(Instant now, NodeId from, const Prune& msg) {
  (void)now;
  (void)msg;
  make_lazy(from);
}

void Plumtree::on_peer_up(NodeId peer) {
  BARREL_ASSERT(peer.valid() && peer != self_);
  BARREL_ASSERT(!is_active(peer));  // HyParView admits only non-members
  eager_.push_back(peer);
}

void Plumtree::on_peer_down(NodeId peer) {
  const bool was = remove(eager_, peer) || remove(lazy_, peer);
  BARREL_ASSERT(was);  // HyParView drops only members
  lazy_queue_.drop(peer);
}

void Plumtree::prepare_leave() {
  while (!lazy_.empty())  // bounded: each pass moves one peer
    make_eager(lazy_.front());
  BARREL_ASSERT(lazy_.empty());
}

void Plumtree::on_leave() {
  BARREL_ASSERT(eager_.empty() && lazy_.empty());  // every PeerDown came first
  lazy_queue_.take_all();
  missing_.clear();
  BARREL_ASSERT(lazy_queue_.size() == 0);
}

Instant Plumtree::next_deadline() const {
  Instant next = std::min(missing_.next_deadline(), lazy_queue_.deadline());
  next = std::min(next, received_.oldest() + config_.message_ttl);
  return std::min(next, payloads_.oldest() + config_.message_ttl);
}

// Due GRAFT timers first (bounded per tick), then the IHAVE flush, then
// expiry (bounded per tick).
void Plumtree::handle_timers(Instant now) {
  MessageId id;
  for (size_t i = 0; i < kGraftsPerTickMax && missing_.due(now, &id); ++i)
    fire_missing(now, id);
  if (lazy_queue_.deadline() <= now) {
    for (LazyQueue::Batch& b : lazy_queue_.take_all())
      send_ihave(b.peer, std::move(b.entries));
  }
  received_.expire(now, config_.message_ttl, kExpiryPerTickMax);
  payloads_.expire(now, config_.message_ttl, kExpiryPerTickMax);
  BARREL_ASSERT(lazy_queue_.deadline() > now);
}

void Plumtree::check_invariants(std::span<const NodeId> active) const {
  // eager and lazy partition the active view (the cheap half always).
  BARREL_ASSERT(eager_.size() + lazy_.size() == active.size());
  if constexpr (kVerify) {  // pairwise; several times per input
    for (NodeId p : eager_) {
      BARREL_ASSERT(!contains(lazy_, p));
      BARREL_ASSERT(std::count(eager_.begin(), eager_.end(), p) == 1);
      BARREL_ASSERT(std::find(active.begin(), active.end(), p) != active.end());
    }
    for (NodeId p : lazy_) {
      BARREL_ASSERT(std::count(lazy_.begin(), lazy_.end(), p) == 1);
      BARREL_ASSERT(std::find(active.begin(), active.end(), p) != active.end());
    }
  }
  BARREL_ASSERT(received_.size() <= limits::kMessageCacheMax);
  BARREL_ASSERT(payloads_.size() <= limits::kPayloadCacheMax);
  BARREL_ASSERT(missing_.size() <= limits::kMissingMax);
  BARREL_ASSERT(lazy_queue_.size() <= limits::kLazyQueueMax);
}

void Plumtree::take_internal(std::vector<Internal>* out) {
  BARREL_ASSERT(out != nullptr);
  for (Internal& i : internal_)
    out->push_back(std::move(i));
  internal_.clear();
}

void Plumtree::accept(Instant now, const MessageId& id, NodeId origin, uint16_t hops,
                      BroadcastKind kind, const Payload& payload, NodeId from) {
  BARREL_ASSERT(!received_.contains(id));
  BARREL_ASSERT(internal_.size() < limits::kEffectsPerInputMax);  // taken after every input
  received_.insert(id, now);
  payloads_.insert(id, PayloadCache::Stored{origin, hops, payload, kind, from}, now);
  if (kind == BroadcastKind::kUser) {
    stats_.broadcasts_delivered++;
    sink_.emit(BroadcastDelivered{id, origin, hops, payload});
  } else {
    internal_.push_back(Internal{kind, origin, payload});
  }
  for (NodeId p : eager_) {
    if (p != from)
      send_gossip(p, id, origin, hops, kind, payload);
  }
  // Copy: an early flush does not change lazy_, but keep the loop obviously
  // safe against future edits of queue_ihave.
  const std::vector<NodeId> lazy = lazy_;
  for (NodeId p : lazy) {
    if (p != from)
      queue_ihave(now, p, IHaveEntry{id, origin, hops});
  }
}

void Plumtree::queue_ihave(Instant now, NodeId peer, const IHaveEntry& entry) {
  if (lazy_queue_.push(peer, entry, now + config_.lazy_flush_period))
    send_ihave(peer, lazy_queue_.take(peer));
}

void Plumtree::send_ihave(NodeId peer, std::vector<IHaveEntry> entries) {
  BARREL_ASSERT(!entries.empty() && entries.size() <= limits::kIHaveEntriesMax);
  stats_.ihaves_sent++;
  sink_.send(peer, IHave{std::move(entries)});
}

void Plumtree::send_gossip(NodeId to, const MessageId& id, NodeId origin, uint16_t round,
                           BroadcastKind kind, const Payload& payload) {
  BARREL_ASSERT(to != self_);
  sink_.send(to, Gossip{id, origin, round, payload, kind});
}

// The GOSSIP did not come in time: ask the first announcer for it, making
// its link eager (the tree repairs itself through it), and give it
// graft_timeout before trying the next.
void Plumtree::fire_missing(Instant now, const MessageId& id) {
  const Missing::Announcer a = missing_.pop_announcer(id);
  make_eager(a.peer);
  stats_.grafts_sent++;
  sink_.send(a.peer, Graft{id, a.round});
  if (missing_.has_announcers(id))
    missing_.rearm(id, now + config_.graft_timeout);
  else
    missing_.erase(id);
}

void Plumtree::make_eager(NodeId peer) {
  if (remove(lazy_, peer))
    eager_.push_back(peer);
}

void Plumtree::make_lazy(NodeId peer) {
  if (remove(eager_, peer))
    lazy_.push_back(peer);
}

bool Plumtree::is_active(NodeId peer) const {
  return contains(eager_, peer) || contains(lazy_, peer);
}

}  // namespace barrel::plumtree
