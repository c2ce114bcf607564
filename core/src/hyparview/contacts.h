// contacts.h — the contact nodes given to join(), and the JOIN retry timer.
//
// While the node has joined and has not left, JOIN is resent every
// config.contact_retry to the next contact, round robin over every contact
// given so far (the Erlang original's contact_retry_ms), as long as either
//   - the active view is empty, or
//   - no contact has answered a JOIN (JOIN_ACCEPT) since the last join().
// The second rule goes beyond the original, which retries only while the
// active view is empty: a seed whose own JOIN failed (its contact was not up
// yet) but which already collects joiners would otherwise lead an island
// that never merges with the rest (seen in simulation with seeds started
// at random instants).
//
// Bound: limits::kContactsMax distinct contacts; add() beyond it returns
// kLimitExceeded and changes nothing. Contacts are kept across leave() so that
// a later join() may cycle through them again.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <cstdint>
#include <vector>

#include "barrel/ids.h"
#include "barrel/status.h"
#include "barrel/time.h"

namespace barrel::hyparview {

class Contacts {
 public:
  // Remembers `contact` (no-op if known) and makes the next retry go to the
  // contact after it. Returns kLimitExceeded when kContactsMax are known.
  // REQUIRES: contact valid.
  Status add(NodeId contact);
  bool empty() const { return contacts_.empty(); }
  bool contains(NodeId id) const;
  // A contact answered our JOIN; add() clears this.
  void mark_answered() { answered_ = true; }
  bool answered() const { return answered_; }
  size_t size() const { return contacts_.size(); }

  // The contact the next retry goes to; advances the round robin.
  // REQUIRES: !empty().
  NodeId next();

  Instant retry_at() const { return retry_at_; }
  // Starts the retry timer at now + period unless it runs already.
  void arm(Instant now, Duration period);
  // Restarts the retry timer at now + period.
  void rearm(Instant now, Duration period) { retry_at_ = now + period; }
  void disarm() { retry_at_ = Instant::never(); }
  bool due(Instant now) const { return !retry_at_.is_never() && retry_at_ <= now; }

 private:
  std::vector<NodeId> contacts_;  // insertion order; reserved on first add
  uint32_t next_ = 0;             // index of the next retry's contact
  bool answered_ = false;         // a contact sent JOIN_ACCEPT since the last add()
  Instant retry_at_ = Instant::never();
};

}  // namespace barrel::hyparview
