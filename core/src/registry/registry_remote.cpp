// registry_remote.cpp — joining remote state into the registry, and purges
// (registry.h): validation, events for what a join changed, the filters
// (entries already dead, a previous life's entries), purge_node.
#include <algorithm>
#include <iterator>
#include <utility>

#include "barrel/assert.h"
#include "registry/registry.h"
#include "registry/replica_id.h"

namespace barrel::registry {
namespace {

std::string dot_str(ormap::Dot d) {
  return "(" + std::to_string(d.replica) + ", " + std::to_string(d.counter) + ")";
}

}  // namespace

ormap::DotCheck Registry::dot_check() const {
  return [this](ormap::Dot d) { return d.replica != replica_ || d.counter <= minted(); };
}

Status Registry::on_broadcast(Instant now, std::span<const uint8_t> payload) {
  begin(now);
  Result<RegistryBroadcast> b = decode_broadcast(payload, dot_check());
  if (!b.is_ok()) {
    stats_.registry_deltas_rejected++;
    return b.status();
  }
  Cause cause = Cause::kPlain;
  if (b->reason == RemovalReason::kEndpointClosed)
    cause = Cause::kEndpointClosed;
  else if (b->reason == RemovalReason::kOwnerRestart)
    cause = Cause::kOwnerRestart;
  Status s = join_remote(b->delta, cause);
  if (s.is_ok())
    stats_.registry_deltas_applied++;
  else
    stats_.registry_deltas_rejected++;
  return s;
}

Status Registry::apply_sync_delta(Instant now, const ormap::Delta& d) {
  begin(now);
  Status s = join_remote(d, Cause::kSync);
  if (s.is_ok())
    stats_.registry_deltas_applied++;
  else
    stats_.registry_deltas_rejected++;
  return s;
}

Status Registry::validate_remote(const ormap::Delta& d) const {
  // The decoder's DotCheck already refused these; a delta built by the
  // caller is checked here too, so no path lets a forged dot of ours in.
  if (d.context().max_counter(replica_) > minted())
    return Status(Code::kMalformed, "registry delta: a dot of our replica from the future");
  for (const auto& [key, es] : d.store()) {
    for (const auto& [dot, value] : es) {
      Result<RegistryEntry> e = decode_entry(value);
      if (!e.is_ok())
        return Status(e.status().code(), "registry delta: service '" + key + "' dot " +
                                             dot_str(dot) + ": " +
                                             std::string(e.status().message()));
      if (replica_id(e->node, e->boot) != dot.replica)
        return Status(Code::kMalformed, "registry delta: service '" + key + "' entry of " +
                                            e->node + " boot " + std::to_string(e->boot) +
                                            " under a dot of another replica " + dot_str(dot));
    }
  }
  return Status::ok();
}

Status Registry::join_remote(const ormap::Delta& d, Cause cause) {
  if (Status s = validate_remote(d); !s.is_ok())
    return s;
  JoinDiff diff = join_diff(map_, d);
  if (pending_events_.size() + diff.removed.size() + diff.added.size() > kPendingEventsMax)
    return Status::limit_exceeded("registry: the join's events would pass the pending bound");
  if (Status s = map_.join(d); !s.is_ok())
    return s;
  digest_dirty_ = true;
  for (const ormap::Entry& e : diff.removed) {
    report_removal(e, cause);
    forget(e.dot);
  }
  for (const ormap::Entry& e : diff.added)
    remember(e);
  for (const ormap::Entry& e : filter_added(diff.added))
    emit(ServiceRegistered{e.key, known_.at(e.dot).entry.node});
  BARREL_ASSERT(known_.size() == map_.entry_count());
  return Status::ok();
}

void Registry::report_removal(const ormap::Entry& e, Cause cause) {
  const Known& k = known_.at(e.dot);
  BARREL_ASSERT(k.service == e.key);
  // Our own instance: shown from local_, restored by restore_own(); no event.
  if (k.entry.node == self_name_ && k.entry.boot <= boot_)
    return;
  const bool dead = judge_ && judge_(k.entry.node, k.entry.boot, k.entry.incarnation);
  if (cause == Cause::kEndpointClosed)
    emit(ServiceDown{k.service, k.entry.node, ServiceDownReason::kEndpointClosed});
  else if (cause == Cause::kOwnerRestart || dead)
    emit(ServiceDown{k.service, k.entry.node, ServiceDownReason::kNodeDead});
  else
    emit(ServiceUnregistered{k.service, k.entry.node});
}

ormap::Delta Registry::remove_dots(const std::set<ormap::Dot>& dots) {
  BARREL_ASSERT(!dots.empty());
  BARREL_ASSERT(dots.size() <= kRemovalDotsMax);
  const size_t before = map_.entry_count();
  Result<ormap::Delta> delta = ormap::remove_dots_if(
      &map_, [&](std::string_view, ormap::Dot d, std::string_view) { return dots.count(d) != 0; },
      dots.size());
  BARREL_ASSERT(delta.is_ok());  // a removal never passes a bound
  BARREL_ASSERT(map_.entry_count() + dots.size() == before);
  for (const ormap::Dot& d : dots)
    forget(d);
  digest_dirty_ = true;
  return std::move(delta).value();
}

std::vector<ormap::Entry> Registry::filter_added(const std::vector<ormap::Entry>& added) {
  // Chunks of at most kRemovalDotsMax dots per removal delta.
  std::vector<std::set<ormap::Dot>> old_life(1);
  std::vector<std::set<ormap::Dot>> dead(1);
  std::vector<ormap::Entry> kept;
  for (const ormap::Entry& e : added) {
    const RegistryEntry& r = known_.at(e.dot).entry;
    std::vector<std::set<ormap::Dot>>* into = nullptr;
    if (r.node == self_name_ && r.boot < boot_)
      into = &old_life;  // a previous life: we are the authority, it goes for good
    else if (!is_own(r) && judge_ && judge_(r.node, r.boot, r.incarnation))
      into = &dead;  // never shown: no event
    if (into == nullptr) {
      kept.push_back(e);
      continue;
    }
    if (into->back().size() == kRemovalDotsMax)
      into->emplace_back();
    into->back().insert(e.dot);
  }
  {
    BroadcastBatch batch(RemovalReason::kOwnerRestart, &outbox_);
    for (const auto& chunk : old_life) {
      if (!chunk.empty())
        batch.add(remove_dots(chunk));
    }
  }
  for (const auto& chunk : dead) {
    if (!chunk.empty())
      remove_dots(chunk).check_invariants();
  }
  BARREL_ASSERT(kept.size() <= added.size());
  return kept;
}

void Registry::purge_node(Instant now, std::string_view node) {
  begin(now);
  if (node == self_name_ || by_node_.count(node) == 0)
    return;
  // Full queue: the node is not queued; lookup() still hides its dead
  // entries, and the next purge_node() about it tries again.
  if (purge_queue_.size() < kPurgeQueueMax &&
      std::find(purge_queue_.begin(), purge_queue_.end(), node) == purge_queue_.end())
    purge_queue_.emplace_back(node);
  BARREL_ASSERT(purge_queue_.size() <= kPurgeQueueMax);
  run_purges();
}

void Registry::run_purges() {
  drain_pending();
  // Each round removes at least one entry or drops a node from the queue.
  while (!purge_queue_.empty() && pending_events_.empty()) {
    const size_t n = std::min(room(), kRemovalDotsMax);
    if (n == 0)
      return;  // budget spent: next_deadline() brings us back
    const std::string node = purge_queue_.front();
    std::set<ormap::Dot> dots;
    if (auto it = by_node_.find(node); it != by_node_.end()) {
      for (const ormap::Dot& d : it->second) {
        if (dots.size() == n)
          break;
        const RegistryEntry& r = known_.at(d).entry;
        if (judge_ && judge_(r.node, r.boot, r.incarnation))
          dots.insert(d);
      }
    }
    if (dots.empty()) {
      purge_queue_.pop_front();
      continue;
    }
    std::vector<std::string> services;
    for (const ormap::Dot& d : dots)
      services.push_back(known_.at(d).service);
    remove_dots(dots);  // local: the context keeps them removed; anti-entropy spreads it
    for (std::string& s : services)
      emit(ServiceDown{std::move(s), node, ServiceDownReason::kNodeDead});
    BARREL_ASSERT(pending_events_.empty());  // within room()
  }
}

}  // namespace barrel::registry
