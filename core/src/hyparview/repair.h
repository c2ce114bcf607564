// repair.h — when and to whom HyParView sends NEIGHBOR requests.
//
// Whenever the active view has room and the passive view has candidates, the
// node asks a passive member to become an active neighbour (NEIGHBOR, high
// priority iff the active view is empty). This class holds the bookkeeping;
// hyparview.cpp sends the messages.
//
//   - At most one request is pending, with a backstop deadline
//     (config.neighbor_timeout): a target that never answers counts as a
//     rejection.
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

#include "barrel/rng.h"
#include "barrel/time.h"
#include "hyparview/passive_view.h"

namespace barrel::hyparview {

class Repair {
 public:
  bool pending() const { return target_.valid(); }
  // The pending request's target, or NodeId::invalid().
  NodeId target() const { return target_; }
  // min(pending deadline, end of cool-down), or Instant::never().
  Instant next_deadline() const;

  // Whether a request of this priority may start now: none pending and no
  // cool-down that applies to it.
  bool may_start(Instant now, bool high) const;
  // Picks the next candidate of the round, records it as pending until
  // now + timeout and returns it. REQUIRES: !pending(), !passive.empty().
  NodeId start(Instant now, const PassiveView& passive, bool high, Duration timeout, Rng& rng);

  // Records a request to `target` chosen by the caller (a bridge, see
  // HyParView::bridge), pending until now + timeout, outside any round.
  // REQUIRES: !pending(), target valid.
  void start_to(Instant now, NodeId target, Duration timeout);

  // The target became an active neighbour: the round is over.
  void succeeded();
  // The pending request failed (rejected, timed out, target unreachable).
  // Returns true if the round is over (cool-down until now + period), false
  // if the next candidate may be asked at once. `passive_size` is the passive
  // view's current size; `target_removed` says the caller just removed the
  // target from it (unreachable), in which case the attempt does not count:
  // the view shrank instead, and the next candidate has moved into the
  // target's place in the walk.
  bool failed(Instant now, size_t passive_size, Duration period, bool target_removed);
  // True if the pending request's deadline has passed.
  bool timed_out(Instant now) const { return pending() && deadline_ <= now; }
  // Clears a cool-down that has ended, so next_deadline() moves on.
  void expire_cooldown(Instant now);
  // Ends a round that has nothing left to do (view full, no candidates).
  void end_round();
  // Forgets everything (leave()).
  void cancel();

  uint32_t attempts() const { return attempts_; }

 private:
  NodeId target_;
  Instant deadline_ = Instant::never();
  Instant cooldown_until_ = Instant::never();
  uint32_t attempts_ = 0;       // requests made in the current round
  uint32_t round_offset_ = 0;   // passive index the round started at
  bool round_high_ = false;     // the round made a high-priority attempt
  bool cooldown_high_ = false;  // the cool-down follows a round with high attempts
};

}  // namespace barrel::hyparview
