// missing.cpp — see missing.h.
#include "plumtree/missing.h"

#include <algorithm>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::plumtree {

Missing::Missing(size_t capacity) : capacity_(capacity) {
  BARREL_ASSERT(capacity >= 1 && capacity <= limits::kMissingMax);
}

bool Missing::announce(const MessageId& id, NodeId peer, uint16_t round, Instant deadline) {
  BARREL_ASSERT(peer.valid());
  auto it = entries_.find(id);
  if (it == entries_.end()) {
    if (entries_.size() >= capacity_)
      return false;
    const uint64_t seq = next_seq_++;
    entries_.emplace(id, Entry{seq, deadline, {Announcer{peer, round}}});
    timers_.insert(Timer{deadline, seq, id});
    BARREL_ASSERT(timers_.size() == entries_.size());
    return true;
  }
  std::vector<Announcer>& list = it->second.announcers;
  const bool known =
      std::any_of(list.begin(), list.end(), [peer](const Announcer& a) { return a.peer == peer; });
  if (known || list.size() >= limits::kAnnouncersMax)
    return false;
  list.push_back(Announcer{peer, round});
  return true;
}

void Missing::erase(const MessageId& id) {
  auto it = entries_.find(id);
  if (it == entries_.end())
    return;
  const size_t erased = timers_.erase(Timer{it->second.deadline, it->second.seq, id});
  BARREL_ASSERT(erased == 1);
  entries_.erase(it);
  BARREL_ASSERT(timers_.size() == entries_.size());
}

Instant Missing::next_deadline() const {
  return timers_.empty() ? Instant::never() : timers_.begin()->deadline;
}

bool Missing::due(Instant now, MessageId* id) const {
  BARREL_ASSERT(id != nullptr);
  if (timers_.empty() || timers_.begin()->deadline > now)
    return false;
  *id = timers_.begin()->id;
  return true;
}

Missing::Announcer Missing::pop_announcer(const MessageId& id) {
  auto it = entries_.find(id);
  BARREL_ASSERT(it != entries_.end());
  std::vector<Announcer>& list = it->second.announcers;
  BARREL_ASSERT(!list.empty());
  const Announcer first = list.front();
  list.erase(list.begin());
  return first;
}

bool Missing::has_announcers(const MessageId& id) const {
  auto it = entries_.find(id);
  return it != entries_.end() && !it->second.announcers.empty();
}

void Missing::rearm(const MessageId& id, Instant deadline) {
  auto it = entries_.find(id);
  BARREL_ASSERT(it != entries_.end());
  Entry& e = it->second;
  const size_t erased = timers_.erase(Timer{e.deadline, e.seq, id});
  BARREL_ASSERT(erased == 1);
  e.deadline = deadline;
  timers_.insert(Timer{deadline, e.seq, id});
}

std::vector<Missing::Announcer> Missing::announcers(const MessageId& id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? std::vector<Announcer>{} : it->second.announcers;
}

}  // namespace barrel::plumtree
