// repair.cpp — see repair.h.
#include "hyparview/repair.h"

#include <algorithm>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::hyparview {

Instant Repair::next_deadline() const {
  return std::min(deadline_, cooldown_until_);
}

bool Repair::may_start(Instant now, bool high) const {
  if (pending())
    return false;
  if (cooldown_until_.is_never() || cooldown_until_ <= now)
    return true;
  // A failed low-priority round says nothing about a high-priority request.
  return high && !cooldown_high_;
}

NodeId Repair::start(Instant now, const PassiveView& passive, bool high, Duration timeout,
                     Rng& rng) {
  BARREL_ASSERT(!pending());
  BARREL_ASSERT(!passive.empty());
  BARREL_ASSERT(attempts_ <= limits::kPassiveViewSizeMax);
  if (attempts_ == 0) {
    round_offset_ = static_cast<uint32_t>(passive.random_index(rng));
    round_high_ = false;
    cooldown_until_ = Instant::never();
  }
  const size_t index = (static_cast<size_t>(round_offset_) + attempts_) % passive.size();
  target_ = passive.at(index);
  deadline_ = now + timeout;
  ++attempts_;
  round_high_ = round_high_ || high;
  BARREL_ASSERT(target_.valid());
  return target_;
}

void Repair::start_to(Instant now, NodeId target, Duration timeout) {
  BARREL_ASSERT(!pending());
  BARREL_ASSERT(target.valid());
  target_ = target;
  deadline_ = now + timeout;
  round_high_ = true;
}

void Repair::succeeded() {
  BARREL_ASSERT(pending());
  target_ = NodeId::invalid();
  deadline_ = Instant::never();
  end_round();
}

bool Repair::failed(Instant now, size_t passive_size, Duration period, bool target_removed) {
  BARREL_ASSERT(pending());
  BARREL_ASSERT(attempts_ > 0);
  target_ = NodeId::invalid();
  deadline_ = Instant::never();
  if (target_removed)
    --attempts_;  // bounded all the same: each such failure shrinks the view
  if (passive_size == 0) {
    end_round();  // no candidate left: nothing to cool down from
    return false;
  }
  if (attempts_ < passive_size)
    return false;
  cooldown_until_ = now + period;
  cooldown_high_ = round_high_;
  attempts_ = 0;
  round_high_ = false;
  return true;
}

void Repair::expire_cooldown(Instant now) {
  if (!cooldown_until_.is_never() && cooldown_until_ <= now)
    cooldown_until_ = Instant::never();
}

void Repair::end_round() {
  BARREL_ASSERT(!pending());
  attempts_ = 0;
  round_high_ = false;
}

void Repair::cancel() {
  target_ = NodeId::invalid();
  deadline_ = Instant::never();
  cooldown_until_ = Instant::never();
  attempts_ = 0;
  round_high_ = false;
  cooldown_high_ = false;
}

}  // namespace barrel::hyparview
