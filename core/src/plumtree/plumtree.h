// plumtree.h — Plumtree epidemic broadcast trees (Leitão, Pereira,
// Rodrigues, SRDS 2007) over HyParView's active view, sans I/O.
//
// Internal to the core: Node (node.cpp) validates every input, then calls one
// handler here; handlers write effects into the EffectSink shared with
// HyParView. Node also tells this class every change of the active view
// (on_peer_up / on_peer_down, from HyParView's PeerUp / PeerDown events), so
// eager ∪ lazy is always the active view.
//
// Protocol summary (details at each handler in plumtree.cpp):
//   broadcast  new id; deliver locally (user kind: an event; other kinds:
//              take_internal()); GOSSIP(round 0) to eager peers,
//              IHAVE to lazy peers; remember id and payload;
//   GOSSIP     new: deliver (hops = round + 1), forward GOSSIP(hops) to eager
//              peers and IHAVE to lazy peers except the sender, sender eager;
//              duplicate: sender lazy, PRUNE to it;
//   PRUNE      sender lazy;
//   IHAVE      ids not received: remember the announcer, start a timer
//              (ihave_timeout) if none runs;
//   timer      GRAFT the first announcer (it becomes eager), re-arm with
//              graft_timeout while announcers remain;
//   GRAFT      sender eager; resend the GOSSIP if the payload is kept.
// IHAVEs are batched per peer (lazy_queue.h); ids and payloads expire after
// message_ttl (message_cache.h, payload_cache.h).
//
// Effects per input (kEffectsPerInputMax): a broadcast or a new GOSSIP emits
// one event, one GOSSIP per eager peer and at most one early IHAVE per lazy
// peer; a timer tick at most kGraftsPerTickMax GRAFTs and one IHAVE per lazy
// peer. Timer work beyond that waits for the next tick (next_deadline()
// stays due, so the host calls again at once).
//
// Invariants (check_invariants(), after every input): eager ∩ lazy = ∅,
// eager ∪ lazy ⊆ active view, no duplicates, caches within their bounds.
//
// Determinism: eager and lazy peers are kept in insertion order and
// iterated in that order; timers fire in (deadline, arrival) order.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "barrel/config.h"
#include "barrel/message.h"
#include "barrel/node.h"
#include "barrel/rng.h"
#include "barrel/time.h"
#include "hyparview/effect_sink.h"
#include "plumtree/lazy_queue.h"
#include "plumtree/message_cache.h"
#include "plumtree/missing.h"
#include "plumtree/payload_cache.h"

namespace barrel::plumtree {

// GRAFTs one timer tick may send; more due timers wait for the next tick.
inline constexpr size_t kGraftsPerTickMax = 16;
// Cache entries one timer tick may expire (no effects; bounds the work).
inline constexpr size_t kExpiryPerTickMax = 256;

class Plumtree {
 public:
  // `config` (validated), `rng`, `sink` and `stats` must outlive this object.
  Plumtree(const PlumtreeConfig& config, NodeId self, Rng& rng, hyparview::EffectSink& sink,
           NodeStats& stats);
  Plumtree(const Plumtree&) = delete;
  Plumtree& operator=(const Plumtree&) = delete;

  // REQUIRES: payload.size() <= limits::kBroadcastPayloadBytesMax.
  MessageId broadcast(Instant now, BroadcastKind kind, Payload payload);

  // A delivered broadcast of a kind other than kUser: the core's own state
  // (liveness claims, registry deltas), handed to the Node instead of the
  // subscribers. Delivered once per id, like user broadcasts.
  struct Internal {
    BroadcastKind kind = BroadcastKind::kLiveness;
    NodeId origin;
    Payload payload;
  };
  // Moves the internal deliveries since the last call, in order, to *out.
  void take_internal(std::vector<Internal>* out);

  // --- Messages (Node has validated them; `from` is never self) -----------
  void on_gossip(Instant now, NodeId from, const Gossip& msg);
  void on_ihave(Instant now, NodeId from, const IHave& msg);
  void on_graft(Instant now, NodeId from, const Graft& msg);
  void on_prune(Instant now, NodeId from, const Prune& msg);

  // --- Active view changes (from HyParView's PeerUp / PeerDown) ------------
  // A new neighbour starts eager (the paper: links start in the tree).
  void on_peer_up(NodeId peer);
  void on_peer_down(NodeId peer);
  // The node left: pending GRAFT timers and queued IHAVEs are dropped (the
  // caches stay, so ids seen before still count as duplicates after a
  // re-join).
  void on_leave();
  // Before the node leaves: every active peer becomes eager, so the last
  // broadcasts (the unregistration of our services) go out as GOSSIP now.
  // Sent lazily they would wait for an IHAVE flush that never comes, and a
  // GRAFT back would find a node that takes no part any more.
  void prepare_leave();

  // --- Timers ----------------------------------------------------------------
  Instant next_deadline() const;
  void handle_timers(Instant now);

  // --- Introspection (tests) -------------------------------------------------
  std::span<const NodeId> eager_peers() const { return eager_; }
  std::span<const NodeId> lazy_peers() const { return lazy_; }
  const MessageCache& received() const { return received_; }
  const PayloadCache& payloads() const { return payloads_; }
  const Missing& missing() const { return missing_; }
  const LazyQueue& lazy_queue() const { return lazy_queue_; }

  // Asserts the invariants above against HyParView's `active` view.
  void check_invariants(std::span<const NodeId> active) const;

 private:
  // Delivers a new broadcast here and pushes it on: GOSSIP to the eager
  // peers, IHAVE to the lazy peers, except `from` (invalid at the origin).
  void accept(Instant now, const MessageId& id, NodeId origin, uint16_t hops, BroadcastKind kind,
              const Payload& payload, NodeId from);
  void queue_ihave(Instant now, NodeId peer, const IHaveEntry& entry);
  void send_ihave(NodeId peer, std::vector<IHaveEntry> entries);
  void send_gossip(NodeId to, const MessageId& id, NodeId origin, uint16_t round,
                   BroadcastKind kind, const Payload& payload);
  void fire_missing(Instant now, const MessageId& id);

  // Peer sets. Both no-ops for a peer outside the active view.
  void make_eager(NodeId peer);
  void make_lazy(NodeId peer);
  bool is_active(NodeId peer) const;

  const PlumtreeConfig& config_;
  NodeId self_;
  Rng& rng_;
  hyparview::EffectSink& sink_;
  NodeStats& stats_;
  std::vector<NodeId> eager_;  // insertion order
  std::vector<NodeId> lazy_;   // insertion order
  MessageCache received_;
  PayloadCache payloads_;
  Missing missing_;
  LazyQueue lazy_queue_;
  // Internal deliveries not yet taken (at most one per input's new GOSSIP or
  // broadcast: the Node takes them after each input).
  std::vector<Internal> internal_;
};

}  // namespace barrel::plumtree
