// digest.cpp — anti-entropy digest and delta_since (digest.h).
#include "ormap/digest.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "barrel/rng.h"

namespace barrel::ormap {
namespace {

uint64_t hash_of(const std::map<ReplicaId, uint64_t>& hashes, ReplicaId r) {
  auto it = hashes.find(r);
  return it == hashes.end() ? 0 : it->second;
}

// Replicas of our context, ascending.
std::vector<ReplicaId> replicas_of(const CausalContext& c) {
  std::vector<ReplicaId> out;
  auto vit = c.vv().begin();
  auto cit = c.cloud().begin();
  while (vit != c.vv().end() || cit != c.cloud().end()) {
    ReplicaId r;
    if (cit == c.cloud().end() || (vit != c.vv().end() && vit->first <= cit->replica))
      r = vit->first;
    else
      r = cit->replica;
    if (out.empty() || out.back() != r)
      out.push_back(r);
    if (vit != c.vv().end() && vit->first == r)
      ++vit;
    while (cit != c.cloud().end() && cit->replica == r)
      ++cit;
  }
  return out;
}

}  // namespace

uint64_t live_dot_hash(Dot d) {
  uint64_t s = d.replica ^ 0x5851F42D4C957F2Dull;
  splitmix64(&s);
  s ^= d.counter;
  return splitmix64(&s);
}

Digest digest_of(const ORMap& state) {
  Digest g;
  g.context = state.context();
  for (const auto& [d, key] : state.dot_index())
    g.live_hash[d.replica] += live_dot_hash(d);  // wrapping sum: order-free
  return g;
}

Delta delta_since(const ORMap& state, const Digest& peer, size_t entries_max) {
  return delta_since(state, digest_of(state), peer, entries_max);
}

Delta delta_since(const ORMap& state, const Digest& ours, const Digest& peer, size_t entries_max) {
  BARREL_ASSERT(entries_max >= 1 && entries_max <= limits::kOrMapDeltaEntriesMax);
  BARREL_ASSERT(ours.context == state.context());  // cheap half of "ours is state's digest"
  CausalContext context;
  std::vector<Entry> entries;
  const auto& index = state.dot_index();
  for (ReplicaId r : replicas_of(state.context())) {
    if (state.context().same_replica(peer.context, r) &&
        hash_of(ours.live_hash, r) == hash_of(peer.live_hash, r))
      continue;
    auto begin = index.lower_bound(Dot{r, 1});
    auto end = r == UINT64_MAX ? index.end() : index.lower_bound(Dot{r + 1, 0});
    const size_t live = static_cast<size_t>(std::distance(begin, end));
    BARREL_ASSERT(live <= limits::kOrMapEntriesPerReplicaMax);
    // Whole replicas only (see the header); the first one always goes.
    if (!entries.empty() && entries.size() + live > entries_max)
      break;
    for (auto it = begin; it != end; ++it) {
      const ORMap::Entries& es = *state.entries(it->second);
      entries.push_back(Entry{it->second, it->first, es.at(it->first)});
    }
    Status s = context.join(state.context().project(r, UINT64_MAX));
    BARREL_ASSERT(s.is_ok());  // a union of projections of our own context
  }
  BARREL_ASSERT(entries.size() <= std::max(entries_max, limits::kOrMapEntriesPerReplicaMax));
  Result<ORMap> delta = ORMap::from_parts(std::move(context), std::move(entries));
  BARREL_ASSERT(delta.is_ok());
  return std::move(delta).value();
}

}  // namespace barrel::ormap
