// shuffle.cpp — see shuffle.h.
#include "hyparview/shuffle.h"

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::hyparview {

void sample(std::span<const NodeId> from, size_t k, NodeId skip, Rng& rng,
            std::vector<NodeId>* out) {
  const size_t before = out->size();
  size_t left = 0;  // candidates not yet considered
  for (NodeId id : from)
    left += id != skip ? 1 : 0;
  size_t wanted = k < left ? k : left;
  for (NodeId id : from) {
    if (wanted == 0)
      break;
    if (id == skip)
      continue;
    // Take this one with probability wanted / left: every subset of the
    // final size is equally likely.
    if (rng.uniform(left) < wanted) {
      out->push_back(id);
      --wanted;
    }
    --left;
  }
  BARREL_ASSERT(wanted == 0);
  BARREL_ASSERT(out->size() - before <= k);
}

void ShuffleSchedule::schedule_first(Instant now, Duration period, Rng& rng) {
  BARREL_ASSERT(period.us() > 0);
  next_at_ =
      now + Duration::micros(static_cast<int64_t>(rng.uniform(static_cast<uint64_t>(period.us()))));
  BARREL_ASSERT(next_at_ >= now);
}

void ShuffleSchedule::schedule_next(Instant now, Duration period, Rng& rng) {
  BARREL_ASSERT(period.us() > 1);
  const int64_t lo = period.us() / 2;
  const int64_t hi = period.us() + period.us() / 2 - 1;  // [p/2, 3p/2)
  next_at_ = now + Duration::micros(rng.range(lo, hi));
  BARREL_ASSERT(next_at_ > now);
}

void ShuffleSchedule::cancel() {
  next_at_ = Instant::never();
  sent_.clear();
}

void ShuffleSchedule::remember_sent(std::span<const NodeId> nodes) {
  BARREL_ASSERT(nodes.size() <= limits::kShuffleNodesMax);
  sent_.assign(nodes.begin(), nodes.end());
}

}  // namespace barrel::hyparview
