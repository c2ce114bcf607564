// ormap.h — the add-wins observed-remove map (OR-Map), a causal CRDT.
//
// Design (Almeida, Shoker, Baquero, "Delta state replicated data types",
// 2016/2018; the ORSWOT / dotted causal container): a dot store
//   key -> { dot -> value }
// plus a causal context (causal_context.h) of every dot this replica has
// seen. An entry is present iff its dot was seen and no seen removal covered
// it; a removal is just context covering a dot the store lacks, so there are
// no tombstones. Keys are strings (service names), values opaque blobs (the
// registry serialises {node, endpoint id, metadata} into them).
//
// Join (s1, c1) ⊔ (s2, c2) = ((s1 ∩ s2) ∪ (s1 \ c2) ∪ (s2 \ c1), c1 ∪ c2):
// commutative, associative, idempotent. Add wins: a remove's context covers
// only the dots it observed, so a concurrent add's fresh dot survives it.
// Deltas (delta.h) are ORMaps too, so a delta group is a join of deltas.
//
// Determinism: all containers are ordered by content (key bytes, dot), never
// by hash or address; values() is sorted by value bytes.
//
// Bounds (barrel/limits.h, kOrMap*): keys, entries per key, entries, key and value
// bytes, entries per replica; the context's replicas and cloud. A join that would pass one returns
// kLimitExceeded and changes nothing.
//
// Thread-safety: a plain value; one per owner.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/result.h"
#include "barrel/status.h"
#include "ormap/causal_context.h"
#include "ormap/dot.h"

namespace barrel::ormap {

// One entry of the store, as the decoder and the mutators build them.
struct Entry {
  std::string key;
  Dot dot;
  std::string value;
  bool operator==(const Entry&) const = default;
};

class ORMap {
 public:
  using Entries = std::map<Dot, std::string>;  // dot -> value, of one key
  using Store = std::map<std::string, Entries, std::less<>>;

  ORMap() = default;

  // Builds a map from a context and entries (the decoder's and the delta
  // mutators' entry point). Returns kMalformed if an entry's key or value is
  // empty/too long, a dot is invalid, a dot appears twice, or a dot is not
  // covered by `context`; kOversized if a bound is passed.
  static Result<ORMap> from_parts(CausalContext context, std::vector<Entry> entries);

  // Merges `o` into this map (o may be a delta, a delta group or a state).
  // Returns kLimitExceeded if the result would pass a bound; then this map
  // is unchanged.
  Status join(const ORMap& o);

  // The distinct values under `key`, sorted by bytes; empty if absent.
  std::vector<std::string> values(std::string_view key) const;
  // The entries under `key`, or nullptr.
  const Entries* entries(std::string_view key) const;
  // All keys, sorted by bytes.
  std::vector<std::string> keys() const;
  bool contains(std::string_view key) const { return entries(key) != nullptr; }
  bool contains(std::string_view key, std::string_view value) const;
  size_t key_count() const { return store_.size(); }
  size_t entry_count() const { return index_.size(); }
  // Live entries whose dot belongs to replica `r`.
  size_t live_count(ReplicaId r) const;
  bool empty() const { return store_.empty() && context_.empty(); }

  const CausalContext& context() const { return context_; }
  const Store& store() const { return store_; }
  // Every entry's dot -> its key, ordered by dot.
  const std::map<Dot, std::string>& dot_index() const { return index_; }

  bool operator==(const ORMap& o) const { return store_ == o.store_ && context_ == o.context_; }

  // Asserts: every store dot covered by the context; no dot twice; the index
  // matches the store; no empty key; bounds; the context's own invariants.
  // O(entries): tests and the simulator call it, not every join.
  void check_invariants() const;

 private:
  struct JoinPlan;
  // What join(o) would remove and add, and whether bounds allow it.
  Status plan_join(const ORMap& o, JoinPlan* plan) const;
  // kLimitExceeded if the plan would pass limits::kOrMapEntriesPerReplicaMax.
  Status check_replica_bounds(const JoinPlan& plan) const;
  void erase_entry(const std::string& key, Dot d);

  Store store_;
  std::map<Dot, std::string> index_;  // dot -> key; lookups by dot, ordered
  CausalContext context_;
};

}  // namespace barrel::ormap
