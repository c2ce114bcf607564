// hyparview_repair.cpp — filling the active view from the passive view:
// NEIGHBOR, NEIGHBOR_REPLY and the maintenance run after every input
// (repair.h has the scheduling rules). See hyparview.h.
#include <algorithm>

#include "barrel/assert.h"
#include "hyparview/hyparview.h"

namespace barrel::hyparview {

// NEIGHBOR: a high-priority request (the sender has fewer than
// repair_high_below neighbours; the paper: none) is always
// accepted, evicting a random member if needed; a low-priority one only if we
// have room. A request from a member is accepted again (idempotent). After
// leave(), every request is rejected.
void HyParView::on_neighbor(Instant now, NodeId from, const Neighbor& msg) {
  if (left_) {
    reply_rejected_neighbor(from);
  } else {
    const bool member = active_.contains(from);
    const bool accept = member || msg.high_priority || !active_.full();
    if (accept && !member)
      admit(from);
    sink_.send(from, NeighborReply{accept});
    maintain(now);
  }
  check_invariants();
}

// NEIGHBOR_REPLY: the pending target's reply ends the request. An acceptance
// that finds the active view full (it filled up meanwhile) is undone with
// DISCONNECT. A reply from another node is not an answer to our request, but
// it says whether the sender held us when it sent it (hyparview.h,
// Symmetry): an acceptance from a non-member is undone with DISCONNECT; a
// rejection from a member means it did not hold us, so we drop it and say so
// with DISCONNECT too (it may be about to admit us on a crossing reply).
void HyParView::on_neighbor_reply(Instant now, NodeId from, const NeighborReply& msg) {
  if (left_) {
    if (msg.accepted)
      sink_.send(from, Disconnect{true});
  } else if (!repair_.is_pending(from)) {
    const bool member = active_.contains(from);
    if (msg.accepted && !member)
      sink_.send(from, Disconnect{false});
    if (!msg.accepted && member) {
      sink_.send(from, Disconnect{false});
      drop_active(from, PeerDownReason::kDisconnected, /*close_link=*/true);
      add_passive(from);
    }
    maintain(now);
  } else if (!msg.accepted) {
    neighbor_failed(now, from, /*drop_from_passive=*/false);
    maintain(now);
  } else {
    if (!active_.full()) {
      admit(from);  // ends the request (repair_.succeeded())
      stats_.neighbor_requests_accepted++;
    } else {
      repair_.succeeded(from);  // resolved: the view is full
      sink_.send(from, Disconnect{false});
      add_passive(from);
    }
    maintain(now);
  }
  check_invariants();
}

void HyParView::reply_rejected_neighbor(NodeId from) {
  BARREL_ASSERT(left_);
  sink_.send(from, NeighborReply{false});
}

// The request to `target` failed: rejected, timed out, or the target is
// gone. The rejecting target stays in the passive view (it is alive, just
// full); an unreachable one is dropped.
void HyParView::neighbor_failed(Instant now, NodeId target, bool drop_from_passive) {
  BARREL_ASSERT(repair_.is_pending(target));
  const bool removed = drop_from_passive && passive_.remove(target);
  if (repair_.failed(now, target, passive_.size(), config_.repair_period, removed))
    stats_.repair_rounds_failed++;
  BARREL_ASSERT(!repair_.is_pending(target));
}

// Run at the end of every input: starts a NEIGHBOR request when the active
// view has room and the passive view has candidates, and keeps the contact
// retry timer running exactly while a retry is due (contacts.h).
void HyParView::maintain(Instant now) {
  BARREL_ASSERT(!left_);
  if (contact_retry_wanted()) {
    contacts_.arm(now, config_.contact_retry);
  } else {
    contacts_.disarm();
  }
  if (active_.full() || passive_.empty()) {
    if (!repair_.pending())
      repair_.end_round();
    return;
  }
  // Bounded by the limit (at most Repair::kPendingMax requests).
  const size_t limit = repair_limit();
  while (!active_.full() && repair_.may_start(now, repair_is_high(), limit, passive_.size()))
    start_repair(now);
}

// Requests pending at once: one, or config.repair_parallel while the view is
// empty (repair.h says why), never more than the free slots.
size_t HyParView::repair_limit() const {
  if (!active_.empty())
    return 1;
  return std::min<size_t>(config_.repair_parallel, config_.active_size);
}

// High priority below config.repair_high_below members (config.h says why
// more than the paper's "only when empty").
bool HyParView::repair_is_high() const {
  return active_.size() < config_.repair_high_below;
}

void HyParView::start_repair(Instant now) {
  BARREL_ASSERT(!active_.full());
  BARREL_ASSERT(passive_.size() > repair_.pending_count());
  // Only the first of parallel requests is high priority: each accepted high
  // request may evict a member at its target, and after a mass failure most
  // survivors have room for a low one anyway.
  const bool high = repair_is_high() && !repair_.pending();
  const NodeId target = repair_.start(now, passive_, high, config_.neighbor_timeout, rng_);
  sink_.send(target, Neighbor{high});
  stats_.neighbor_requests_sent++;
  BARREL_ASSERT(repair_.is_pending(target));
}

bool HyParView::bridge(Instant now, NodeId peer) {
  BARREL_ASSERT(peer.valid() && peer != self_);
  if (left_ || active_.contains(peer) || repair_.pending())
    return false;
  if (active_.full())
    evict_random();
  repair_.start_to(now, peer, config_.neighbor_timeout);
  sink_.send(peer, Neighbor{true});
  stats_.neighbor_requests_sent++;
  BARREL_ASSERT(!active_.full() && repair_.target() == peer);
  check_invariants();
  return true;
}

}  // namespace barrel::hyparview
