// shuffle.h — the periodic SHUFFLE: its timer, its sample, the sample sent.
//
// Each node shuffles on its own schedule: the first time uniformly in
// [now, now + period) after creation (or a join() after leave()), then every
// [period/2, 3*period/2), so nodes do not shuffle in lockstep. A sample is
// the node itself, up to ka random active and up to kp random passive
// members, all distinct. The last sample sent is remembered (bounded by
// 1 + ka + kp <= limits::kShuffleNodesMax) so that merging the SHUFFLE_REPLY
// evicts those nodes first from a full passive view; a newer shuffle
// replaces it.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <span>
#include <vector>

#include "barrel/ids.h"
#include "barrel/rng.h"
#include "barrel/time.h"

namespace barrel::hyparview {

// Appends up to `k` distinct members of `from` to *out, chosen uniformly
// (selection sampling, Knuth's algorithm S: one pass, no scratch memory, the
// chosen ones in their order in `from`). Members equal to `skip` are never
// chosen (invalid() skips nothing).
void sample(std::span<const NodeId> from, size_t k, NodeId skip, Rng& rng,
            std::vector<NodeId>* out);

class ShuffleSchedule {
 public:
  Instant next_at() const { return next_at_; }
  bool due(Instant now) const { return !next_at_.is_never() && next_at_ <= now; }
  // next_at = now + uniform [0, period).
  void schedule_first(Instant now, Duration period, Rng& rng);
  // next_at = now + uniform [period/2, 3*period/2).
  void schedule_next(Instant now, Duration period, Rng& rng);
  void cancel();

  // The sample of the last SHUFFLE this node started.
  std::span<const NodeId> sent() const { return sent_; }
  void remember_sent(std::span<const NodeId> nodes);
  void forget_sent() { sent_.clear(); }

 private:
  Instant next_at_ = Instant::never();
  std::vector<NodeId> sent_;
};

}  // namespace barrel::hyparview
