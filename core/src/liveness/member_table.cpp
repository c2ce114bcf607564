// member_table.cpp — the bounded member table (member_table.h).
#include "liveness/member_table.h"

#include <algorithm>
#include <iterator>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::liveness {

MemberTable::MemberTable(size_t max) : max_(max) {
  BARREL_ASSERT(max >= 1);
  BARREL_ASSERT(max <= limits::kMembersMax);
}

const Record* MemberTable::find(std::string_view node) const {
  const auto it = records_.find(node);
  return it == records_.end() ? nullptr : &it->second;
}

MemberTable::SeqIndex& MemberTable::by_seq(MemberState s) {
  switch (s) {
    case MemberState::kAlive:
      return alive_by_seq_;
    case MemberState::kSuspect:
      return suspect_by_seq_;
    case MemberState::kDead:
      return dead_by_seq_;
  }
  BARREL_ASSERT(false);
  return alive_by_seq_;
}

const MemberTable::SeqIndex& MemberTable::by_seq(MemberState s) const {
  return const_cast<MemberTable*>(this)->by_seq(s);
}

void MemberTable::index(Entry& e) {
  Record& r = e.second;
  r.seq = next_seq_++;
  const bool inserted = by_seq(r.state).emplace(r.seq, &e).second;
  BARREL_ASSERT(inserted);
  if (r.state == MemberState::kSuspect) {
    const bool armed = suspicions_.emplace(std::make_pair(r.at, r.seq), &e).second;
    BARREL_ASSERT(armed);
  }
}

void MemberTable::unindex(const Entry& e) {
  const Record& r = e.second;
  const size_t erased = by_seq(r.state).erase(r.seq);
  BARREL_ASSERT(erased == 1);
  if (r.state == MemberState::kSuspect) {
    const size_t disarmed = suspicions_.erase(std::make_pair(r.at, r.seq));
    BARREL_ASSERT(disarmed == 1);
  }
}

void MemberTable::erase(Records::iterator it) {
  BARREL_ASSERT(it != records_.end());
  unindex(*it);
  records_.erase(it);
  ++erasures_;
}

bool MemberTable::make_room() {
  SeqIndex* victims = !alive_by_seq_.empty()  ? &alive_by_seq_
                      : !dead_by_seq_.empty() ? &dead_by_seq_
                                              : nullptr;
  if (victims == nullptr) {
    BARREL_ASSERT(suspect_by_seq_.size() == records_.size());
    return false;
  }
  const auto it = records_.find(victims->begin()->second->first);
  BARREL_ASSERT(it != records_.end());
  erase(it);
  ++evicted_;
  return true;
}

MergeResult MemberTable::merge(Instant now, const Claim& c, Instant suspicion_deadline,
                               bool originated) {
  BARREL_ASSERT(validate_claim(c).is_ok());
  MergeResult out;
  auto it = records_.find(c.node);
  if (it == records_.end()) {
    if (records_.size() >= max_ && !make_room()) {
      ++dropped_;
      out.dropped = true;
      return out;
    }
    it = records_.emplace(c.node, Record{}).first;
    Record& r = it->second;
    r.state = c.state;
    r.boot = c.boot;
    r.incarnation = c.incarnation;
    r.originated = originated && c.state == MemberState::kSuspect;
    r.at = c.state == MemberState::kSuspect ? suspicion_deadline : now;
    index(*it);
    out.changed = true;
    out.became_suspect = c.state == MemberState::kSuspect;
    out.became_dead = c.state == MemberState::kDead;
    out.record = &r;
    BARREL_ASSERT(records_.size() <= max_);
    return out;
  }
  Record& r = it->second;
  out.record = &r;
  const bool wins = supersedes(c, r.state, r.incarnation);
  const bool newer_boot = c.boot > r.boot;
  if (!wins && !newer_boot)
    return out;
  unindex(*it);
  const MemberState before = r.state;
  if (wins) {
    r.state = c.state;
    r.incarnation = c.incarnation;
    r.originated = originated && c.state == MemberState::kSuspect;
    if (c.state == MemberState::kSuspect)
      r.at = suspicion_deadline;
    out.became_suspect = c.state == MemberState::kSuspect;
    out.became_dead = c.state == MemberState::kDead && before != MemberState::kDead;
  }
  if (newer_boot)
    r.boot = c.boot;
  if (r.state == MemberState::kDead)
    r.at = now;  // every change of a dead record restarts its retention
  index(*it);
  out.changed = true;
  BARREL_ASSERT(r.incarnation >= r.boot);
  return out;
}

Instant MemberTable::next_suspicion_deadline() const {
  return suspicions_.empty() ? Instant::never() : suspicions_.begin()->first.first;
}

std::optional<ExpiredSuspicion> MemberTable::expire_suspicion(Instant now) {
  if (suspicions_.empty() || suspicions_.begin()->first.first > now)
    return std::nullopt;
  Entry& e = *suspicions_.begin()->second;
  BARREL_ASSERT(e.second.state == MemberState::kSuspect);
  unindex(e);
  Record& r = e.second;
  const bool originated = r.originated;
  r.state = MemberState::kDead;
  r.originated = false;
  r.at = now;
  index(e);
  return ExpiredSuspicion{Claim{MemberState::kDead, e.first, r.boot, r.incarnation}, originated};
}

Instant MemberTable::next_dead_expiry(Duration retention) const {
  if (dead_by_seq_.empty())
    return Instant::never();
  return dead_by_seq_.begin()->second->second.at + retention;
}

size_t MemberTable::forget_dead(Instant now, Duration retention, size_t max) {
  size_t forgotten = 0;
  while (forgotten < max && !dead_by_seq_.empty()) {
    const Entry& oldest = *dead_by_seq_.begin()->second;
    if (oldest.second.at + retention > now)
      break;
    erase(records_.find(oldest.first));
    ++forgotten;
  }
  return forgotten;
}

const std::string* MemberTable::dead_at(size_t k) const {
  if (k >= dead_by_seq_.size())
    return nullptr;
  auto it = dead_by_seq_.begin();
  std::advance(it, static_cast<std::ptrdiff_t>(k));
  return &it->second->first;
}

std::vector<Claim> MemberTable::sync_claims(std::string_view peer, size_t max,
                                            Instant dead_since) const {
  std::vector<Claim> out;
  const auto claim_of = [](const std::string& name, const Record& r) {
    return Claim{r.state, name, r.boot, r.incarnation};
  };
  // No suspect or dead record: nothing to send, and no lookup of the peer.
  if (not_alive_count() == 0)
    return out;
  const auto own = records_.find(peer);
  if (max > 0 && own != records_.end() && own->second.state != MemberState::kAlive)
    out.push_back(claim_of(own->first, own->second));
  // Merge the suspect and dead indices, newest (largest seq) first. A dead
  // record's `at` is the time it was last indexed, as its seq is, so the dead
  // index is in `at` order too: the first dead record older than
  // `dead_since` ends the dead side (check_records asserts the order).
  auto s = suspect_by_seq_.rbegin();
  auto d = dead_by_seq_.rbegin();
  while (out.size() < max && (s != suspect_by_seq_.rend() || d != dead_by_seq_.rend())) {
    const bool take_s =
        d == dead_by_seq_.rend() || (s != suspect_by_seq_.rend() && s->first > d->first);
    const Entry& e = take_s ? *(s++)->second : *(d++)->second;
    if (!take_s && e.second.at < dead_since) {
      d = dead_by_seq_.rend();
      continue;
    }
    if (e.first == peer)
      continue;
    out.push_back(claim_of(e.first, e.second));
  }
  BARREL_ASSERT(out.size() <= max);
  return out;
}

std::vector<MemberInfo> MemberTable::not_alive() const {
  std::vector<MemberInfo> out;
  out.reserve(suspect_by_seq_.size() + dead_by_seq_.size());
  for (const auto& [name, r] : records_) {
    if (r.state != MemberState::kAlive)
      out.push_back(MemberInfo{name, r.state, r.boot, r.incarnation});
  }
  BARREL_ASSERT(out.size() == suspect_by_seq_.size() + dead_by_seq_.size());
  std::sort(out.begin(), out.end(),
            [](const MemberInfo& a, const MemberInfo& b) { return a.node < b.node; });
  return out;
}

void MemberTable::check_invariants() const {
  BARREL_ASSERT(records_.size() <= max_);
  BARREL_ASSERT(alive_by_seq_.size() + suspect_by_seq_.size() + dead_by_seq_.size() ==
                records_.size());
  BARREL_ASSERT(suspicions_.size() == suspect_by_seq_.size());
}

void MemberTable::check_records() const {
  check_invariants();
  for (const auto& [name, r] : records_) {
    BARREL_ASSERT(r.incarnation >= r.boot);
    BARREL_ASSERT(r.seq < next_seq_);
    if (r.originated)
      BARREL_ASSERT(r.state == MemberState::kSuspect);
    const SeqIndex& idx = by_seq(r.state);
    const auto at = idx.find(r.seq);
    BARREL_ASSERT(at != idx.end());
    BARREL_ASSERT(&at->second->first == &name);
    if (r.state == MemberState::kSuspect)
      BARREL_ASSERT(suspicions_.count(std::make_pair(r.at, r.seq)) == 1);
  }
  // sync_claims stops at the first old dead record: the dead index must be
  // in `at` order as well as in seq order.
  Instant last = Instant::zero();
  for (const auto& [seq, e] : dead_by_seq_) {
    BARREL_ASSERT(e->second.at >= last);
    last = e->second.at;
  }
}

}  // namespace barrel::liveness
