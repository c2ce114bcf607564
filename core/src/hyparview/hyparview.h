// hyparview.h — the HyParView membership protocol (Leitão, Pereira,
// Rodrigues, DSN 2007), sans I/O.
//
// Internal to the core: Node (node.cpp) validates every input, then calls one
// handler here; the handler changes the views and writes effects into the
// EffectSink. Node owns the Rng, the sink and the stats; this class keeps
// references to them.
//
// Protocol summary (each handler's comment in hyparview.cpp has the details):
//   JOIN          the contact admits the joiner, answers JOIN_ACCEPT and
//                 sends FORWARD_JOIN(joiner, ARWL) to its other neighbours;
//   FORWARD_JOIN  a random walk: admitted at ttl 0 or at a node with one
//                 neighbour, put in the passive view at ttl PRWL;
//   JOIN_ACCEPT   "I admitted you": the receiver admits the sender;
//   NEIGHBOR      repair: high priority is always accepted, low only if room;
//   DISCONNECT    the sender dropped us: it moves to our passive view;
//   SHUFFLE       a random walk carrying a sample, answered by SHUFFLE_REPLY,
//                 both merged into passive views.
// Admitting into a full active view evicts a random member (DISCONNECT).
//
// Symmetry. Active links must be two-sided, but messages cross: a node may
// evict a peer while that peer's JOIN_ACCEPT to it is in flight, and then
// re-admit it although the peer has processed the eviction. Beyond the
// paper, three rules keep or restore symmetry, each telling a peer only the
// truth about our current view (so with FIFO delivery per peer, the last
// word wins and no exchange loops):
//   1. Confirm: a node admitting a peer because of its JOIN_ACCEPT answers
//      NEIGHBOR_REPLY{accepted}. The peer ignores it if it holds us, and
//      answers DISCONNECT if it has dropped us meanwhile (as for any
//      acceptance that answers no pending request). (A JOIN_ACCEPT echo
//      would do the same but re-admit instead of drop: measured, it turns
//      every crossing into a new eviction, and 50 simultaneous joins cascaded
//      into ~100k evictions.)
//   2. Stray walk: a FORWARD_JOIN or SHUFFLE step is only sent to an active
//      member; one from a non-member is answered with DISCONNECT. If that
//      non-member is our pending NEIGHBOR target, the request fails then:
//      an acceptance it sends crosses our DISCONNECT and is undone by it.
//   3. Stray rejection: a NEIGHBOR_REPLY{rejected} from an active member that
//      is not our pending target means it did not hold us: we drop it and
//      tell it with DISCONNECT (its own request to us may be crossing).
// The rules were found and checked with the harness's random interleavings
// (tests/core/hyparview/harness.h, interleave()): without rules 2-3 as
// written, a few links in ten thousand stayed one-sided at quiescence.
// Every other change of one side is told to the other: JOIN_ACCEPT or
// NEIGHBOR_REPLY{accepted} on admission, DISCONNECT on eviction and leave.
//
// Invariants (check_invariants(), after every input): |active| <= active_size,
// |passive| <= passive_size, self in neither, active and passive disjoint,
// no duplicates, the pending NEIGHBOR target not active.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <span>

#include "barrel/config.h"
#include "barrel/message.h"
#include "barrel/node.h"
#include "barrel/rng.h"
#include "barrel/status.h"
#include "barrel/time.h"
#include "hyparview/active_view.h"
#include "hyparview/contacts.h"
#include "hyparview/effect_sink.h"
#include "hyparview/passive_view.h"
#include "hyparview/repair.h"
#include "hyparview/shuffle.h"

namespace barrel::hyparview {

class HyParView {
 public:
  // `config` (validated), `rng`, `sink` and `stats` must outlive this object.
  HyParView(const HyParViewConfig& config, NodeId self, Rng& rng, EffectSink& sink,
            NodeStats& stats, Instant now);
  HyParView(const HyParView&) = delete;
  HyParView& operator=(const HyParView&) = delete;

  // --- API (Node has checked the arguments) --------------------------------
  // REQUIRES: contact valid and not self. kLimitExceeded: too many contacts.
  Status join(Instant now, NodeId contact);
  void leave(Instant now);
  bool has_left() const { return left_; }
  std::span<const NodeId> active_view() const { return active_.members(); }
  std::span<const NodeId> passive_view() const { return passive_.members(); }
  // Changes whenever either view changes (the sum of two counters that only
  // grow); never 0.
  uint64_t views_version() const { return active_.version() + passive_.version(); }
  // Bridges to `peer`, a node outside our component as far as we know (it
  // answered a probe while we held it dead): makes room by evicting a random
  // member if the active view is full, and sends `peer` a high-priority
  // NEIGHBOR, which is always accepted. Why: two halves of a healed partition
  // each refill their active views from their own side; with every view full
  // no node ever asks its passive view again, and shuffles only walk active
  // links, so the halves would stay apart for good (found in simulation:
  // scenarios/partition-heal.yaml without churn). One bridge joins them;
  // shuffles and repair then mix the views. Returns false (nothing done) if
  // the node has left, `peer` is already active, or a NEIGHBOR request is
  // pending (the caller tries again later).
  bool bridge(Instant now, NodeId peer);

  // The target of the pending NEIGHBOR request, or NodeId::invalid().
  NodeId neighbor_pending() const { return repair_.target(); }

  // --- Messages (Node has validated them; `from` is never self) -----------
  void on_join(Instant now, NodeId from, const Join& msg);
  void on_forward_join(Instant now, NodeId from, const ForwardJoin& msg);
  void on_join_accept(Instant now, NodeId from, const JoinAccept& msg);
  void on_neighbor(Instant now, NodeId from, const Neighbor& msg);
  void on_neighbor_reply(Instant now, NodeId from, const NeighborReply& msg);
  void on_disconnect(Instant now, NodeId from, const Disconnect& msg);
  void on_shuffle(Instant now, NodeId from, const Shuffle& msg);
  void on_shuffle_reply(Instant now, NodeId from, const ShuffleReply& msg);

  // --- Links and timers -----------------------------------------------------
  void on_link_down(Instant now, NodeId peer);
  void on_link_failed(Instant now, NodeId peer);
  Instant next_deadline() const;
  void handle_timers(Instant now);

 private:
  // Membership changes, each with its effects.
  void admit(NodeId peer);
  void evict_random();
  void drop_active(NodeId peer, PeerDownReason reason, bool close_link);
  void accept_joiner(NodeId joiner);
  void add_passive(NodeId peer);
  void disconnect_stray(Instant now, NodeId from);

  // Repair (NEIGHBOR requests) and the contact retry; run after every input.
  void maintain(Instant now);
  void start_repair(Instant now);
  void neighbor_failed(Instant now, NodeId target, bool drop_from_passive);
  void reply_rejected_neighbor(NodeId from);

  // Timers.
  void run_contact_retry(Instant now);
  bool contact_retry_wanted() const;
  bool repair_is_high() const;
  size_t repair_limit() const;
  void run_shuffle(Instant now);
  void accept_shuffle(const Shuffle& msg);

  void check_invariants() const;

  const HyParViewConfig& config_;
  NodeId self_;
  Rng& rng_;
  EffectSink& sink_;
  NodeStats& stats_;
  ActiveView active_;
  PassiveView passive_;
  Contacts contacts_;
  Repair repair_;
  ShuffleSchedule shuffle_;
  bool left_ = false;
};

}  // namespace barrel::hyparview
