// repair.cpp — see repair.h.
#include "hyparview/repair.h"

#include <algorithm>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::hyparview {

bool Repair::is_pending(NodeId peer) const {
  for (size_t i = 0; i < pending_count_; ++i) {
    if (pending_[i].target == peer)
      return true;
  }
  return false;
}

NodeId Repair::pending_target(size_t i) const {
  BARREL_ASSERT(i < pending_count_);
  return pending_[i].target;
}

Instant Repair::next_deadline() const {
  Instant next = cooldown_until_;
  for (size_t i = 0; i < pending_count_; ++i)
    next = std::min(next, pending_[i].deadline);
  return next;
}

bool Repair::may_start(Instant now, bool high, size_t limit, size_t passive_size) const {
  BARREL_ASSERT(limit >= 1 && limit <= kPendingMax);
  if (pending_count_ >= limit || passive_size <= pending_count_)
    return false;  // no candidate that is not being asked already
  if (pending() && attempts_ >= passive_size)
    return false;  // this round asked every candidate: wait for the answers
  if (cooldown_until_.is_never() || cooldown_until_ <= now)
    return true;
  // A failed low-priority round says nothing about a high-priority request.
  return high && !cooldown_high_;
}

NodeId Repair::start(Instant now, const PassiveView& passive, bool high, Duration timeout,
                     Rng& rng) {
  BARREL_ASSERT(pending_count_ < kPendingMax);
  BARREL_ASSERT(passive.size() > pending_count_);
  BARREL_ASSERT(attempts_ <= limits::kPassiveViewSizeMax);
  if (attempts_ == 0) {
    round_offset_ = static_cast<uint32_t>(passive.random_index(rng));
    round_high_ = false;
    cooldown_until_ = Instant::never();
  }
  // The walk's next candidate, skipping those asked already: at most
  // pending_count_ skips, since the view holds more than that.
  NodeId target;
  for (size_t k = 0; k < passive.size() && !target.valid(); ++k) {
    const size_t index = (static_cast<size_t>(round_offset_) + attempts_ + k) % passive.size();
    if (!is_pending(passive.at(index)))
      target = passive.at(index);
  }
  BARREL_ASSERT(target.valid());
  pending_[pending_count_++] = Pending{target, now + timeout};
  ++attempts_;
  round_high_ = round_high_ || high;
  return target;
}

void Repair::start_to(Instant now, NodeId target, Duration timeout) {
  BARREL_ASSERT(pending_count_ < kPendingMax);
  BARREL_ASSERT(target.valid() && !is_pending(target));
  pending_[pending_count_++] = Pending{target, now + timeout};
  round_high_ = true;
}

void Repair::remove_pending(NodeId target) {
  size_t i = 0;
  while (i < pending_count_ && pending_[i].target != target)
    ++i;
  BARREL_ASSERT(i < pending_count_);
  for (; i + 1 < pending_count_; ++i)  // keep the start order
    pending_[i] = pending_[i + 1];
  pending_[--pending_count_] = Pending{};
}

void Repair::succeeded(NodeId target) {
  remove_pending(target);
  if (!pending())
    end_round();
}

bool Repair::failed(Instant now, NodeId target, size_t passive_size, Duration period,
                    bool target_removed) {
  remove_pending(target);
  if (target_removed && attempts_ > 0)
    --attempts_;  // bounded all the same: each such failure shrinks the view
  if (passive_size == 0) {
    if (!pending())
      end_round();  // no candidate left: nothing to cool down from
    return false;
  }
  if (attempts_ < passive_size || pending())
    return false;  // a candidate is left, or answers are still to come
  cooldown_until_ = now + period;
  cooldown_high_ = round_high_;
  attempts_ = 0;
  round_high_ = false;
  return true;
}

NodeId Repair::timed_out(Instant now) const {
  for (size_t i = 0; i < pending_count_; ++i) {
    if (pending_[i].deadline <= now)
      return pending_[i].target;
  }
  return NodeId::invalid();
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
  for (size_t i = 0; i < pending_count_; ++i)
    pending_[i] = Pending{};
  pending_count_ = 0;
  cooldown_until_ = Instant::never();
  attempts_ = 0;
  round_high_ = false;
  cooldown_high_ = false;
}

}  // namespace barrel::hyparview
