// missing.h — broadcast ids announced by IHAVE but not received yet.
//
// For each id: the peers that announced it, in the order their IHAVEs came
// (with the round each announced), and one timer. When the timer fires the
// protocol GRAFTs the first announcer and re-arms the timer for the next
// (plumtree.cpp). Receiving the GOSSIP erases the id.
//
// Timers fire in (deadline, arrival) order: ties are broken by the order in
// which the ids were first announced, never by id value, so the order is
// the same on every run.
//
// Bounds: at most capacity (limits::kMissingMax) ids — policy when full:
// announcements of new ids are ignored (the eager path or a later IHAVE still
// brings them); at most limits::kAnnouncersMax announcers per id — further
// ones are ignored.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <set>
#include <unordered_map>
#include <vector>

#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/time.h"
#include "plumtree/message_id_hash.h"

namespace barrel::plumtree {

class Missing {
 public:
  struct Announcer {
    NodeId peer;
    uint16_t round = 0;
  };

  // REQUIRES: 1 <= capacity <= limits::kMissingMax.
  explicit Missing(size_t capacity);

  // `peer` announced `id` with `round`. A new id gets a timer at `deadline`;
  // a known one keeps its timer and gains the announcer (once per peer).
  // Returns false if the announcement was ignored (full, or too many
  // announcers).
  bool announce(const MessageId& id, NodeId peer, uint16_t round, Instant deadline);
  // Forgets `id` and its timer (its GOSSIP arrived); no-op if untracked.
  void erase(const MessageId& id);
  bool contains(const MessageId& id) const { return entries_.count(id) != 0; }
  // Forgets every id and timer.
  void clear() {
    entries_.clear();
    timers_.clear();
  }

  // The earliest timer, or Instant::never().
  Instant next_deadline() const;
  // The id whose timer is the earliest, if it is due at `now`; else false.
  bool due(Instant now, MessageId* id) const;
  // Removes and returns the first announcer of `id`.
  // REQUIRES: contains(id) (every tracked id has an announcer).
  Announcer pop_announcer(const MessageId& id);
  bool has_announcers(const MessageId& id) const;
  // Moves the timer of `id` to `deadline`. REQUIRES: contains(id).
  void rearm(const MessageId& id, Instant deadline);

  size_t size() const { return entries_.size(); }
  // Announcers of `id` in order (empty if untracked); for tests.
  std::vector<Announcer> announcers(const MessageId& id) const;

 private:
  struct Timer {
    Instant deadline;
    uint64_t seq = 0;  // arrival order of the id: the tie-break
    MessageId id;
    auto operator<=>(const Timer&) const = default;
  };
  struct Entry {
    uint64_t seq = 0;
    Instant deadline;
    std::vector<Announcer> announcers;
  };

  size_t capacity_;
  uint64_t next_seq_ = 0;
  std::unordered_map<MessageId, Entry, MessageIdHash> entries_;  // lookups only, never iterated
  std::set<Timer> timers_;                                       // one per entry
};

}  // namespace barrel::plumtree
