// hyparview_timers.cpp — HyParView's deadlines: the pending NEIGHBOR's
// backstop, the repair cool-down, the contact retry and the shuffle.
// Each owns its own deadline; next_deadline() is their minimum (ngtcp2's
// get_expiry). See hyparview.h.
#include <algorithm>

#include "barrel/assert.h"
#include "hyparview/hyparview.h"

namespace barrel::hyparview {

Instant HyParView::next_deadline() const {
  return std::min({shuffle_.next_at(), repair_.next_deadline(), contacts_.retry_at()});
}

void HyParView::handle_timers(Instant now) {
  if (!left_) {
    // Bounded: each pass ends one pending request.
    for (NodeId t = repair_.timed_out(now); t.valid(); t = repair_.timed_out(now)) {
      stats_.neighbor_timeouts++;
      neighbor_failed(now, t, /*drop_from_passive=*/false);
    }
    repair_.expire_cooldown(now);
    if (contacts_.due(now))
      run_contact_retry(now);
    if (shuffle_.due(now))
      run_shuffle(now);
    maintain(now);
  }
  // Every due timer was run or re-armed: the host's loop moves on.
  BARREL_ASSERT(next_deadline() > now);
  check_invariants();
}

// While we have joined and have no neighbour, or no contact has answered yet,
// JOIN the next contact (contacts.h says why both).
bool HyParView::contact_retry_wanted() const {
  return !contacts_.empty() && (active_.empty() || !contacts_.answered());
}

void HyParView::run_contact_retry(Instant now) {
  BARREL_ASSERT(!left_);
  if (!contact_retry_wanted()) {
    contacts_.disarm();
    return;
  }
  const NodeId contact = contacts_.next();
  sink_.send(contact, Join{});
  stats_.joins_sent++;
  stats_.join_retries++;
  contacts_.rearm(now, config_.contact_retry);
  BARREL_ASSERT(contacts_.retry_at() > now);
}

}  // namespace barrel::hyparview
