// hyparview.cpp — the HyParView handlers: joining, the active view, and the
// messages that change it. Repair (NEIGHBOR), SHUFFLE and the timers are in
// hyparview_repair.cpp, hyparview_shuffle.cpp and hyparview_timers.cpp.
// See hyparview.h.
#include "hyparview/hyparview.h"

#include <algorithm>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::hyparview {

HyParView::HyParView(const HyParViewConfig& config, NodeId self, Rng& rng, EffectSink& sink,
                     NodeStats& stats, Instant now)
    : config_(config),
      self_(self),
      rng_(rng),
      sink_(sink),
      stats_(stats),
      active_(config.active_size),
      passive_(config.passive_size) {
  BARREL_ASSERT(self.valid());
  BARREL_ASSERT(config.prwl <= config.arwl);
  shuffle_.schedule_first(now, config_.shuffle_period, rng_);
  check_invariants();
}

// --- API ---------------------------------------------------------------------

Status HyParView::join(Instant now, NodeId contact) {
  BARREL_ASSERT(contact.valid());
  BARREL_ASSERT(contact != self_);
  if (Status s = contacts_.add(contact); !s.is_ok())
    return s;
  if (left_) {
    // join() undoes leave(): the node takes part again, on a fresh schedule.
    left_ = false;
    shuffle_.schedule_first(now, config_.shuffle_period, rng_);
  }
  sink_.send(contact, Join{});
  stats_.joins_sent++;
  contacts_.rearm(now, config_.contact_retry);
  maintain(now);
  check_invariants();
  return Status::ok();
}

void HyParView::leave(Instant /*now*/) {
  // Every neighbour moves us to its passive view (DISCONNECT with leaving).
  for (NodeId peer : active_.members()) {
    sink_.send(peer, Disconnect{true});
    sink_.close_link(peer);
    sink_.emit(PeerDown{peer, PeerDownReason::kLocalLeave});
  }
  active_.clear();
  passive_.clear();
  repair_.cancel();
  shuffle_.cancel();
  contacts_.disarm();
  left_ = true;
  check_invariants();
}

// --- Membership changes ------------------------------------------------------

// Puts `peer` in the active view, evicting a random member if it is full.
// Effects: (eviction's), OpenLink(peer), PeerUp(peer).
void HyParView::admit(NodeId peer) {
  BARREL_ASSERT(peer != self_);
  BARREL_ASSERT(!active_.contains(peer));
  // Out of the passive view first, so the evicted member finds room there.
  passive_.remove(peer);
  if (repair_.target() == peer)
    repair_.succeeded();  // whatever path brought it in, the repair is done
  if (active_.full())
    evict_random();
  active_.insert(peer);
  sink_.open_link(peer);
  sink_.emit(PeerUp{peer});
  BARREL_ASSERT(active_.contains(peer));
}

// Drops a random active member to make room, telling it (it moves us to its
// passive view) and keeping it in ours.
void HyParView::evict_random() {
  BARREL_ASSERT(active_.full());
  const NodeId victim = active_.evict_random(rng_);
  sink_.send(victim, Disconnect{false});
  sink_.close_link(victim);
  sink_.emit(PeerDown{victim, PeerDownReason::kEvicted});
  add_passive(victim);
  stats_.evictions++;
  BARREL_ASSERT(!active_.full());
}

void HyParView::drop_active(NodeId peer, PeerDownReason reason, bool close_link) {
  const bool removed = active_.remove(peer);
  BARREL_ASSERT(removed);
  if (close_link)
    sink_.close_link(peer);
  sink_.emit(PeerDown{peer, reason});
}

// The end of a FORWARD_JOIN walk: admit the joiner and tell it. JOIN_ACCEPT
// goes out even if the joiner was already active: if the joiner lost us (it
// restarted), that puts the link back; if not, the joiner ignores it.
void HyParView::accept_joiner(NodeId joiner) {
  if (!active_.contains(joiner))
    admit(joiner);
  sink_.send(joiner, JoinAccept{});
}

void HyParView::add_passive(NodeId peer) {
  passive_.add(peer, self_, active_, rng_);
}

// `from` sent us what is only sent over an active link (a FORWARD_JOIN or
// SHUFFLE step), but it is not our neighbour: it holds a link we do not.
// Tell it (hyparview.h, Symmetry); a DISCONNECT it no longer needs is ignored.
void HyParView::disconnect_stray(Instant now, NodeId from) {
  BARREL_ASSERT(!left_);
  if (!active_.contains(from)) {
    sink_.send(from, Disconnect{false});
    stats_.stray_disconnects++;
    // Our NEIGHBOR to it went out before this DISCONNECT: an acceptance it
    // sends would be undone by the DISCONNECT arriving after it. The request
    // has failed.
    if (repair_.target() == from)
      neighbor_failed(now, /*drop_from_passive=*/false);
  }
}

// --- Messages ----------------------------------------------------------------

// JOIN from a new node: admit it, accept it, and announce it to every other
// neighbour with a FORWARD_JOIN walk of length ARWL. A JOIN from a node that
// is already active (its retry crossed our JOIN_ACCEPT) is only re-accepted.
void HyParView::on_join(Instant now, NodeId from, const Join& /*msg*/) {
  if (!left_) {
    if (active_.contains(from)) {
      sink_.send(from, JoinAccept{});
    } else {
      admit(from);
      sink_.send(from, JoinAccept{});
      for (NodeId peer : active_.members()) {
        if (peer != from)
          sink_.send(peer, ForwardJoin{from, config_.arwl});
      }
    }
    maintain(now);
  }
  check_invariants();
}

// FORWARD_JOIN: one step of the walk announcing `joiner`. It ends here at
// ttl 0, or when we have a single neighbour, or when there is nobody to
// forward to (other than the sender and the joiner); at ttl == PRWL the
// joiner also enters our passive view.
void HyParView::on_forward_join(Instant now, NodeId from, const ForwardJoin& msg) {
  if (!left_ && msg.joiner != self_) {
    disconnect_stray(now, from);
    BARREL_ASSERT(msg.ttl <= limits::kWalkLengthMax);
    if (msg.ttl == 0 || active_.size() == 1) {
      accept_joiner(msg.joiner);
    } else {
      if (msg.ttl == config_.prwl)
        add_passive(msg.joiner);
      const NodeId next = active_.random_member_except(rng_, from, msg.joiner);
      if (next.valid()) {
        sink_.send(next, ForwardJoin{msg.joiner, static_cast<uint8_t>(msg.ttl - 1)});
      } else {
        accept_joiner(msg.joiner);
      }
    }
    maintain(now);
  }
  check_invariants();
}

// JOIN_ACCEPT: the sender has admitted us. Admit it (idempotent) and, when
// that is new to us, confirm with NEIGHBOR_REPLY{accepted}: a sender that has
// dropped us meanwhile answers DISCONNECT (hyparview.h, Symmetry). After
// leave(), answer DISCONNECT so the sender drops us again.
void HyParView::on_join_accept(Instant now, NodeId from, const JoinAccept& /*msg*/) {
  if (left_) {
    sink_.send(from, Disconnect{true});
  } else {
    if (contacts_.contains(from))
      contacts_.mark_answered();
    if (!active_.contains(from)) {
      admit(from);
      sink_.send(from, NeighborReply{true});  // confirm (hyparview.h, Symmetry)
    }
    maintain(now);
  }
  check_invariants();
}

// DISCONNECT: the sender dropped us (it evicted us, rejected a late accept,
// or left). It moves to our passive view: it is alive, just not our
// neighbour. A DISCONNECT from a non-member is stale and ignored.
void HyParView::on_disconnect(Instant now, NodeId from, const Disconnect& msg) {
  if (!left_) {
    if (active_.contains(from)) {
      drop_active(from, msg.leaving ? PeerDownReason::kLeft : PeerDownReason::kDisconnected,
                  /*close_link=*/true);
      add_passive(from);
    }
    maintain(now);
  }
  check_invariants();
}

// The monitored link broke: the peer leaves the active view and is not kept
// as a replacement (it may be dead). Repair follows, at high priority iff the
// active view is now empty.
void HyParView::on_link_down(Instant now, NodeId peer) {
  if (!left_) {
    if (active_.contains(peer))
      drop_active(peer, PeerDownReason::kLinkLost, /*close_link=*/false);
    if (repair_.target() == peer)
      neighbor_failed(now, /*drop_from_passive=*/true);
    maintain(now);
  }
  check_invariants();
}

// A connection could not be opened or a Send was dropped: the peer is
// unreachable, so it leaves both views (the paper drops failed passive peers;
// there is no retry backoff, see passive_view.h).
void HyParView::on_link_failed(Instant now, NodeId peer) {
  if (!left_) {
    if (active_.contains(peer))
      drop_active(peer, PeerDownReason::kLinkLost, /*close_link=*/false);
    if (repair_.target() == peer) {
      neighbor_failed(now, /*drop_from_passive=*/true);
    } else {
      passive_.remove(peer);
    }
    maintain(now);
  }
  check_invariants();
}

// --- Invariants --------------------------------------------------------------

void HyParView::check_invariants() const {
  active_.check_invariants();
  passive_.check_invariants();
  BARREL_ASSERT(active_.size() <= config_.active_size);
  BARREL_ASSERT(passive_.size() <= config_.passive_size);
  BARREL_ASSERT(!active_.contains(self_));
  BARREL_ASSERT(!passive_.contains(self_));
  if constexpr (kVerify) {  // |active| x |passive| after every input
    for (NodeId peer : active_.members())
      BARREL_ASSERT(!passive_.contains(peer));
  }
  if (repair_.pending())
    BARREL_ASSERT(!active_.contains(repair_.target()));
  if (left_)
    BARREL_ASSERT(active_.empty());
  if (left_)
    BARREL_ASSERT(!repair_.pending());
}

}  // namespace barrel::hyparview
