// repair.h — when and to whom HyParView sends NEIGHBOR requests.
//
// Whenever the active view has room and the passive view has candidates, the
// node asks a passive member to become an active neighbour (NEIGHBOR, high
// priority iff the active view is empty). This class holds the bookkeeping;
// hyparview.cpp sends the messages.
//
//   - Each request is pending until answered, with a backstop deadline
//     (config.neighbor_timeout): a target that never answers counts as a
//     rejection. One request is pending at a time, except when the active
//     view is empty: then up to config.repair_parallel go out at once. A
//     dead candidate costs a whole connection timeout (seconds, over QUIC),
//     and after a massive failure most passive members are dead: asked one
//     by one, an isolated node took tens of seconds to find a live one
//     (scenarios/README.md, the HyParView table). Only an empty view asks
//     in parallel because each accepted high-priority request may evict a
//     member at its target.
//   - A repair round starts at a random passive index and walks the passive
//     view from there, one candidate per attempt, so a round does not ask the
//     same node twice while the view is unchanged. A rejection moves straight
//     to the next candidate, but a round makes at most (passive size) attempts.
//   - A round without success is followed by a cool-down of
//     config.repair_period before the next. A round that failed at low
//     priority does not delay a high-priority one (an empty active view): a
//     full neighbour rejects low but must accept high.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <cstdint>

#include "barrel/limits.h"
#include "barrel/rng.h"
#include "barrel/time.h"
#include "hyparview/passive_view.h"

namespace barrel::hyparview {

class Repair {
 public:
  // Most requests pending at once (config.repair_parallel's range).
  static constexpr size_t kPendingMax = limits::kRepairPendingMax;

  bool pending() const { return pending_count_ > 0; }
  size_t pending_count() const { return pending_count_; }
  bool is_pending(NodeId peer) const;
  // REQUIRES: i < pending_count(). The i-th pending target, in start order.
  NodeId pending_target(size_t i) const;
  // The first pending request's target, or NodeId::invalid().
  NodeId target() const { return pending() ? pending_[0].target : NodeId::invalid(); }
  // min(pending deadlines, end of cool-down), or Instant::never().
  Instant next_deadline() const;

  // Whether a request of this priority may start now: fewer than `limit`
  // pending (1 <= limit <= kPendingMax), a candidate left in this round of
  // a passive view of `passive_size`, and no cool-down that applies to it.
  bool may_start(Instant now, bool high, size_t limit, size_t passive_size) const;
  // Picks the next candidate of the round that is not pending already,
  // records it as pending until now + timeout and returns it.
  // REQUIRES: may_start(...) held, passive.size() > pending_count().
  NodeId start(Instant now, const PassiveView& passive, bool high, Duration timeout, Rng& rng);

  // Records a request to `target` chosen by the caller (a bridge, see
  // HyParView::bridge), pending until now + timeout, outside any round.
  // REQUIRES: pending_count() < kPendingMax, target valid and not pending.
  void start_to(Instant now, NodeId target, Duration timeout);

  // `target` became an active neighbour: its request is over, and the round
  // too once nothing else is pending. REQUIRES: is_pending(target).
  void succeeded(NodeId target);
  // The request to `target` failed (rejected, timed out, target
  // unreachable). Returns true if the round is over (cool-down until now +
  // period), false if the next candidate may be asked at once.
  // `passive_size` is the passive view's current size; `target_removed` says
  // the caller just removed the target from it (unreachable), in which case
  // the attempt does not count: the view shrank instead, and the next
  // candidate has moved into the target's place in the walk.
  // REQUIRES: is_pending(target).
  bool failed(Instant now, NodeId target, size_t passive_size, Duration period,
              bool target_removed);
  // A pending request whose deadline has passed, or NodeId::invalid().
  NodeId timed_out(Instant now) const;
  // Clears a cool-down that has ended, so next_deadline() moves on.
  void expire_cooldown(Instant now);
  // Ends a round that has nothing left to do (view full, no candidates).
  void end_round();
  // Forgets everything (leave()).
  void cancel();

  uint32_t attempts() const { return attempts_; }

 private:
  struct Pending {
    NodeId target;
    Instant deadline = Instant::never();
  };
  void remove_pending(NodeId target);

  // pending_[0, pending_count_) in the order the requests started.
  Pending pending_[kPendingMax];
  size_t pending_count_ = 0;
  Instant cooldown_until_ = Instant::never();
  uint32_t attempts_ = 0;       // requests made in the current round
  uint32_t round_offset_ = 0;   // passive index the round started at
  bool round_high_ = false;     // the round made a high-priority attempt
  bool cooldown_high_ = false;  // the cool-down follows a round with high attempts
};

}  // namespace barrel::hyparview
