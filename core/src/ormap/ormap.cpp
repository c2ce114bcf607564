// ormap.cpp — the add-wins OR-Map (ormap.h).
#include "ormap/ormap.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::ormap {
namespace {

std::string dot_str(Dot d) {
  return "(" + std::to_string(d.replica) + ", " + std::to_string(d.counter) + ")";
}

}  // namespace

struct ORMap::JoinPlan {
  std::vector<Dot> removals;  // ours, covered by o's context, absent from o
  // o's entries to add: (key, (dot, value)), pointing into o.
  std::vector<std::pair<const std::string*, std::pair<Dot, const std::string*>>> additions;
};

Result<ORMap> ORMap::from_parts(CausalContext context, std::vector<Entry> entries) {
  ORMap m;
  m.context_ = std::move(context);
  if (entries.size() > limits::kOrMapEntriesMax)
    return Status(Code::kOversized, "ormap: " + std::to_string(entries.size()) + " entries");
  for (Entry& e : entries) {
    if (e.key.empty() || e.key.size() > limits::kOrMapKeyBytesMax)
      return Status(Code::kMalformed, "ormap: key of " + std::to_string(e.key.size()) + " bytes");
    if (e.value.size() > limits::kOrMapValueBytesMax)
      return Status(Code::kOversized,
                    "ormap: value of " + std::to_string(e.value.size()) + " bytes");
    if (!e.dot.valid())
      return Status(Code::kMalformed, "ormap: entry dot " + dot_str(e.dot) + " has counter 0");
    if (!m.context_.contains(e.dot))
      return Status(Code::kMalformed,
                    "ormap: entry dot " + dot_str(e.dot) + " not covered by its context");
    if (!m.index_.emplace(e.dot, e.key).second)
      return Status(Code::kMalformed, "ormap: dot " + dot_str(e.dot) + " appears twice");
    Entries& es = m.store_[e.key];
    es.emplace(e.dot, std::move(e.value));
    if (es.size() > limits::kOrMapEntriesPerKeyMax)
      return Status(Code::kOversized, "ormap: too many entries under one key");
  }
  if (m.store_.size() > limits::kOrMapKeysMax)
    return Status(Code::kOversized, "ormap: " + std::to_string(m.store_.size()) + " keys");
  m.check_invariants();
  return m;
}

Status ORMap::plan_join(const ORMap& o, JoinPlan* plan) const {
  // Removals: our dots that o has seen (its context) but no longer holds.
  auto consider = [&](std::map<Dot, std::string>::const_iterator it) {
    if (o.index_.count(it->first) == 0)
      plan->removals.push_back(it->first);
  };
  for (const auto& [r, n] : o.context_.vv()) {
    auto end = index_.upper_bound(Dot{r, n});
    for (auto it = index_.lower_bound(Dot{r, 1}); it != end; ++it)
      consider(it);
  }
  for (const Dot& d : o.context_.cloud()) {
    if (auto it = index_.find(d); it != index_.end())
      consider(it);
  }
  // Additions: o's entries we neither hold nor have seen removed.
  for (const auto& [key, es] : o.store_) {
    for (const auto& [d, value] : es) {
      if (index_.count(d) == 0 && !context_.contains(d))
        plan->additions.push_back({&key, {d, &value}});
    }
  }
  // Bounds of the result, per key and in all.
  std::map<std::string_view, int64_t> change;
  for (const Dot& d : plan->removals)
    change[index_.at(d)] -= 1;
  for (const auto& a : plan->additions)
    change[*a.first] += 1;
  int64_t keys = static_cast<int64_t>(store_.size());
  for (const auto& [key, delta] : change) {
    auto it = store_.find(key);
    const int64_t before = it == store_.end() ? 0 : static_cast<int64_t>(it->second.size());
    const int64_t after = before + delta;
    BARREL_ASSERT(after >= 0);
    if (after > static_cast<int64_t>(limits::kOrMapEntriesPerKeyMax))
      return Status::limit_exceeded("ormap: join would put " + std::to_string(after) +
                                    " entries under one key");
    keys += (before == 0 && after > 0) - (before > 0 && after == 0);
  }
  if (Status s = check_replica_bounds(*plan); !s.is_ok())
    return s;
  if (keys > static_cast<int64_t>(limits::kOrMapKeysMax))
    return Status::limit_exceeded("ormap: join would make " + std::to_string(keys) + " keys");
  const size_t entries = index_.size() - plan->removals.size() + plan->additions.size();
  if (entries > limits::kOrMapEntriesMax)
    return Status::limit_exceeded("ormap: join would make " + std::to_string(entries) + " entries");
  return Status::ok();
}

size_t ORMap::live_count(ReplicaId r) const {
  auto begin = index_.lower_bound(Dot{r, 1});
  auto end = r == UINT64_MAX ? index_.end() : index_.lower_bound(Dot{r + 1, 0});
  return static_cast<size_t>(std::distance(begin, end));
}

Status ORMap::check_replica_bounds(const JoinPlan& plan) const {
  std::map<ReplicaId, int64_t> change;
  for (const Dot& d : plan.removals)
    change[d.replica] -= 1;
  for (const auto& a : plan.additions)
    change[a.second.first.replica] += 1;
  for (const auto& [r, delta] : change) {
    if (delta <= 0)
      continue;
    const size_t after = live_count(r) + static_cast<size_t>(delta);
    if (after > limits::kOrMapEntriesPerReplicaMax)
      return Status::limit_exceeded("ormap: join would give replica " + std::to_string(r) + " " +
                                    std::to_string(after) + " entries");
  }
  return Status::ok();
}

void ORMap::erase_entry(const std::string& key, Dot d) {
  auto it = store_.find(key);
  BARREL_ASSERT(it != store_.end());
  BARREL_ASSERT(it->second.erase(d) == 1);
  if (it->second.empty())
    store_.erase(it);
}

Status ORMap::join(const ORMap& o) {
  if (&o == this)
    return Status::ok();  // idempotent
  JoinPlan plan;
  if (Status s = plan_join(o, &plan); !s.is_ok())
    return s;
  // The context first: it is the only step that can still fail (a bound),
  // and it leaves the context unchanged when it does, so the map is too. In
  // place: copying our context (every replica of the cluster) for each small
  // delta cost 13.6 µs per join at 10k entries.
  if (Status s = context_.join(o.context_); !s.is_ok())
    return s;
  for (const Dot& d : plan.removals) {
    auto it = index_.find(d);
    BARREL_ASSERT(it != index_.end());
    erase_entry(it->second, d);
    index_.erase(it);
  }
  for (const auto& [key, dv] : plan.additions) {
    BARREL_ASSERT(context_.contains(dv.first));
    store_[*key].emplace(dv.first, *dv.second);
    index_.emplace(dv.first, *key);
  }
  return Status::ok();
}

std::vector<std::string> ORMap::values(std::string_view key) const {
  std::vector<std::string> out;
  const Entries* es = entries(key);
  if (es == nullptr)
    return out;
  out.reserve(es->size());
  for (const auto& [d, v] : *es)
    out.push_back(v);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const ORMap::Entries* ORMap::entries(std::string_view key) const {
  auto it = store_.find(key);
  return it == store_.end() ? nullptr : &it->second;
}

std::vector<std::string> ORMap::keys() const {
  std::vector<std::string> out;
  out.reserve(store_.size());
  for (const auto& [k, es] : store_)
    out.push_back(k);
  return out;
}

bool ORMap::contains(std::string_view key, std::string_view value) const {
  const Entries* es = entries(key);
  if (es == nullptr)
    return false;
  return std::any_of(es->begin(), es->end(), [&](const auto& kv) { return kv.second == value; });
}

void ORMap::check_invariants() const {
  context_.check_invariants();
  size_t total = 0;
  for (const auto& [key, es] : store_) {
    BARREL_ASSERT(!key.empty() && key.size() <= limits::kOrMapKeyBytesMax);
    BARREL_ASSERT(!es.empty());
    BARREL_ASSERT(es.size() <= limits::kOrMapEntriesPerKeyMax);
    for (const auto& [d, v] : es) {
      BARREL_ASSERT(v.size() <= limits::kOrMapValueBytesMax);
      BARREL_ASSERT(context_.contains(d));
      auto it = index_.find(d);
      BARREL_ASSERT(it != index_.end());
      BARREL_ASSERT(it->second == key);  // no dot under two keys
    }
    total += es.size();
  }
  BARREL_ASSERT(total == index_.size());
  BARREL_ASSERT(store_.size() <= limits::kOrMapKeysMax);
  BARREL_ASSERT(total <= limits::kOrMapEntriesMax);
}

}  // namespace barrel::ormap
