// member_table.h — the bounded table of what this node believes of the other
// nodes: one record per node name {state, boot, incarnation}, merged by the
// claim lattice (claim.h).
//
// Besides the records, the table keeps the orders the protocol needs, each an
// index into the records (pointers to the map's keys, which std::unordered_map
// keeps stable across rehashing; they are never compared):
//   - alive records by recency (the eviction order);
//   - suspect records by recency and by suspicion deadline (the timers);
//   - dead records by recency, which is also the order they became dead or
//     last changed (the expiry order: `now` never goes back).
// "Recency" is a table-wide update counter (seq) bumped by every change, so
// every order is deterministic and independent of NodeId values.
//
// Bound (limits::kMembersMax by default; smaller in tests): when a new record
// would pass it, the least recently updated alive record is forgotten, else
// the oldest dead one; suspects are never forgotten, so when the table holds
// only suspects the new record is ignored and counted (dropped()). Forgetting
// loses lattice state: a stale claim about a forgotten node is then accepted
// as new. Liveness bounds the harm: dead records are kept dead_retention, and
// alive records are re-learned from the next digest or refutation.
//
// Time fields: a suspect record's `at` is its suspicion deadline; a dead
// record's `at` is when it last changed (it is forgotten dead_retention
// later: a change of a dead record, a higher incarnation or a newer boot, is
// news worth keeping as long again); an alive record's `at` is unused.
//
// Thread-safety: none (owned by one Liveness).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "barrel/service.h"
#include "barrel/time.h"
#include "liveness/claim.h"

namespace barrel::liveness {

struct Record {
  MemberState state = MemberState::kAlive;
  bool originated = false;  // suspect only: this node broadcast the SUSPECT
  uint64_t boot = 0;        // the largest boot heard of (0: unknown)
  uint64_t incarnation = 0;
  uint64_t seq = 0;  // the table's update counter at the record's last change
  Instant at;        // suspect: suspicion deadline; dead: last change; alive: unused
};

// What one merge did.
struct MergeResult {
  bool changed = false;         // the record is new, or its state, incarnation or boot changed
  bool became_suspect = false;  // it is now suspect at a new incarnation: a fresh deadline
  bool became_dead = false;     // it turned dead (from absent, alive or suspect)
  bool dropped = false;         // a new record the full table could not hold: ignored
  // The record after the merge (null if dropped); valid while erasures() is
  // unchanged.
  const Record* record = nullptr;
};

// A suspicion whose deadline passed: the record is now dead.
struct ExpiredSuspicion {
  Claim dead;       // the DEAD claim the record now holds
  bool originated;  // this node had broadcast the SUSPECT
};

class MemberTable {
 public:
  // REQUIRES: 1 <= max <= limits::kMembersMax.
  explicit MemberTable(size_t max);
  MemberTable(const MemberTable&) = delete;
  MemberTable& operator=(const MemberTable&) = delete;

  // The record of `node`, or null. Valid until the next change of the table.
  const Record* find(std::string_view node) const;

  // Merges `c` by the lattice (claim.h); boot merges by max. A record that
  // turns suspect, or is suspect at a new incarnation, gets
  // `suspicion_deadline` and `originated`. REQUIRES: validate_claim(c) is OK.
  MergeResult merge(Instant now, const Claim& c, Instant suspicion_deadline, bool originated);

  // The earliest suspicion deadline, or Instant::never().
  Instant next_suspicion_deadline() const;
  // If the earliest suspicion deadline is at or before `now`, that record
  // turns dead (at the incarnation it was suspected at) and is returned.
  std::optional<ExpiredSuspicion> expire_suspicion(Instant now);

  // When the oldest dead record is due to be forgotten, or Instant::never().
  Instant next_dead_expiry(Duration retention) const;
  // Forgets up to `max` dead records whose last change is `retention` or more
  // before `now`, oldest first. Returns how many.
  size_t forget_dead(Instant now, Duration retention, size_t max);

  // `peer`'s own record first if it is not alive, then the other suspect and
  // dead records, most recently updated first; at most `max` claims. Dead
  // records that last changed before `dead_since` are left out (see
  // Liveness::sync_claims: a death stops spreading once it is old).
  std::vector<Claim> sync_claims(std::string_view peer, size_t max,
                                 Instant dead_since = Instant::zero()) const;
  // The `k`-th dead record (0 = oldest change), or null; O(k).
  const std::string* dead_at(size_t k) const;
  size_t dead_count() const { return dead_by_seq_.size(); }
  size_t not_alive_count() const { return suspect_by_seq_.size() + dead_by_seq_.size(); }
  // Bumped each time a record is erased (forgotten or evicted). A Record*
  // from find() stays valid while this is unchanged: the map's entries never
  // move (rehashing keeps them), only erasing frees one.
  uint64_t erasures() const { return erasures_; }
  // Every suspect and dead record, sorted by name.
  std::vector<MemberInfo> not_alive() const;

  size_t size() const { return records_.size(); }
  size_t max() const { return max_; }
  // Records forgotten to make room; new records ignored for lack of room.
  uint64_t evicted() const { return evicted_; }
  uint64_t dropped() const { return dropped_; }

  // Asserts the bound and that the indices account for every record. O(1),
  // cheap enough for every input.
  void check_invariants() const;
  // Also asserts, per record, boot <= incarnation, originated only on
  // suspects, and that every index entry matches its record. O(size); for
  // tests.
  void check_records() const;

 private:
  // Hashed, not ordered: a lookup per claim and per digest heard is the hot
  // path (a std::map of names was 8 % of a 100k-node run, one cache miss per
  // level). Nothing iterates it in its (platform-independent but
  // meaningless) order except not_alive(), which sorts; every order the
  // protocol uses comes from the seq indices.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Records = std::unordered_map<std::string, Record, NameHash, std::equal_to<>>;
  // The indices point at the map's entries, whose addresses are stable until
  // they are erased: walking an index needs no lookup by name.
  using Entry = Records::value_type;
  using SeqIndex = std::map<uint64_t, Entry*>;

  // Makes room for one record: forgets the least recently updated alive
  // record, else the oldest dead one. False if every record is a suspect.
  bool make_room();
  void erase(Records::iterator it);
  // Adds / removes `e` to / from the indices of its state.
  void index(Entry& e);
  void unindex(const Entry& e);
  SeqIndex& by_seq(MemberState s);
  const SeqIndex& by_seq(MemberState s) const;

  size_t max_;
  Records records_;
  SeqIndex alive_by_seq_;
  SeqIndex suspect_by_seq_;
  SeqIndex dead_by_seq_;
  std::map<std::pair<Instant, uint64_t>, Entry*> suspicions_;  // (deadline, seq)
  uint64_t next_seq_ = 1;
  uint64_t evicted_ = 0;
  uint64_t dropped_ = 0;
  uint64_t erasures_ = 0;
};

}  // namespace barrel::liveness
