// registry.cpp — the registry's local API, its mirror of the map, restore_own
// and invariants (registry.h). Remote state: registry_remote.cpp; events and
// budget: registry_events.cpp; queries: registry_queries.cpp.
#include "registry/registry.h"

#include <utility>

#include "barrel/assert.h"
#include "barrel/ids.h"
#include "ormap/delta_codec.h"
#include "registry/replica_id.h"

namespace barrel::registry {

Registry::Registry(const RegistryConfig& config, std::string self_name, uint64_t boot,
                   hyparview::EffectSink& sink, NodeStats& stats)
    : config_(config),
      self_name_(std::move(self_name)),
      boot_(boot),
      replica_(replica_id(self_name_, boot)),
      sink_(sink),
      stats_(stats) {
  BARREL_ASSERT(validate_node_name(self_name_).is_ok());
  BARREL_ASSERT(config_.sync_entries_max >= 1);
  BARREL_ASSERT(config_.sync_entries_max <= limits::kRegistryDeltaEntriesMax);
}

void Registry::set_dead_judge(DeadJudge judge) {
  judge_ = std::move(judge);
}

RegistryEntry Registry::own_entry(const LocalService& s) const {
  return RegistryEntry{self_name_, boot_, s.incarnation, s.endpoint, s.metadata};
}

void Registry::remember(const ormap::Entry& e) {
  Result<RegistryEntry> decoded = decode_entry(e.value);
  BARREL_ASSERT(decoded.is_ok());  // validated before the join, or our own
  BARREL_ASSERT(replica_id(decoded->node, decoded->boot) == e.dot.replica);
  by_node_[decoded->node].insert(e.dot);
  auto& [hash, count] = live_hash_[e.dot.replica];
  hash += ormap::live_dot_hash(e.dot);  // wrapping sum, as digest_of()
  count += 1;
  const bool inserted = known_.emplace(e.dot, Known{e.key, std::move(decoded).value()}).second;
  BARREL_ASSERT(inserted);
}

void Registry::forget(ormap::Dot d) {
  auto it = known_.find(d);
  BARREL_ASSERT(it != known_.end());
  auto node = by_node_.find(it->second.entry.node);
  BARREL_ASSERT(node != by_node_.end());
  BARREL_ASSERT(node->second.erase(d) == 1);
  if (node->second.empty())
    by_node_.erase(node);
  auto live = live_hash_.find(d.replica);
  BARREL_ASSERT(live != live_hash_.end() && live->second.second > 0);
  live->second.first -= ormap::live_dot_hash(d);
  if (--live->second.second == 0)
    live_hash_.erase(live);
  known_.erase(it);
}

Status Registry::register_service(Instant now, std::string_view name, EndpointId endpoint,
                                  const Metadata& md, uint64_t incarnation) {
  begin(now);
  if (name.empty() || name.size() > limits::kOrMapKeyBytesMax)
    return Status::invalid_argument("service name of " + std::to_string(name.size()) +
                                    " bytes (1.." + std::to_string(limits::kOrMapKeyBytesMax) +
                                    ")");
  if (Status s = validate_metadata(md); !s.is_ok())
    return s;
  if (local_.count(name) != 0)
    return Status::already_exists("service '" + std::string(name) + "' already registered here");
  if (local_.size() >= limits::kLocalServicesMax)
    return Status::limit_exceeded("local services: " + std::to_string(local_.size()) + " (max " +
                                  std::to_string(limits::kLocalServicesMax) + ")");
  if (pending_events_.size() >= kPendingEventsMax)
    return Status::limit_exceeded("registry: too many pending events");
  LocalService svc{endpoint, md, incarnation, {}};
  const std::string value = encode_entry_value(own_entry(svc));
  BARREL_ASSERT(!map_.contains(name, value));  // so add() removes nothing
  Result<ormap::Delta> delta = ormap::add(&map_, replica_, name, value);
  if (!delta.is_ok())
    return delta.status();
  BARREL_ASSERT(delta->entry_count() == 1);
  const ormap::Entry added{std::string(name), delta->dot_index().begin()->first, value};
  BARREL_ASSERT(added.dot.replica == replica_);
  remember(added);
  svc.dot = added.dot;
  local_.emplace(std::string(name), std::move(svc));
  digest_dirty_ = true;
  if (config_.register_linger == Duration::zero()) {
    BroadcastBatch(RemovalReason::kPlain, &outbox_).add(*delta);
  } else {
    if (linger_ == nullptr) {
      linger_ = std::make_unique<BroadcastBatch>(RemovalReason::kPlain, &outbox_);
      linger_until_ = now + config_.register_linger;
    }
    linger_->add(*delta);
  }
  emit(ServiceRegistered{std::string(name), self_name_});
  return Status::ok();
}

void Registry::remove_own(const std::string& service, ormap::Dot dot, BroadcastBatch* batch) {
  BARREL_ASSERT(dot.replica == replica_);
  auto it = known_.find(dot);
  if (it == known_.end())
    return;  // lost: a peer's removal already took it
  BARREL_ASSERT(it->second.service == service);
  const std::string value = encode_entry_value(it->second.entry);
  const size_t before = map_.entry_count();
  Result<ormap::Delta> delta = ormap::remove(&map_, service, value);
  BARREL_ASSERT(delta.is_ok());  // a removal never passes a bound
  BARREL_ASSERT(map_.entry_count() + 1 == before);
  forget(dot);
  digest_dirty_ = true;
  batch->add(*delta);
}

Status Registry::unregister_service(Instant now, std::string_view name) {
  begin(now);
  flush_linger();  // keep our broadcasts in operation order
  auto it = local_.find(name);
  if (it == local_.end())
    return Status::not_found("service '" + std::string(name) + "' not registered here");
  {
    BroadcastBatch batch(RemovalReason::kPlain, &outbox_);
    remove_own(it->first, it->second.dot, &batch);
  }
  emit(ServiceUnregistered{it->first, self_name_});
  local_.erase(it);
  return Status::ok();
}

void Registry::close_endpoint(Instant now, EndpointId endpoint) {
  begin(now);
  flush_linger();  // keep our broadcasts in operation order
  BroadcastBatch batch(RemovalReason::kEndpointClosed, &outbox_);
  for (auto it = local_.begin(); it != local_.end();) {
    if (it->second.endpoint != endpoint) {
      ++it;
      continue;
    }
    remove_own(it->first, it->second.dot, &batch);
    emit(ServiceDown{it->first, self_name_, ServiceDownReason::kEndpointClosed});
    it = local_.erase(it);
  }
}

void Registry::unregister_all(Instant now) {
  begin(now);
  flush_linger();  // keep our broadcasts in operation order
  {
    BroadcastBatch batch(RemovalReason::kPlain, &outbox_);
    for (const auto& [name, svc] : local_) {
      remove_own(name, svc.dot, &batch);
      emit(ServiceUnregistered{name, self_name_});
    }
  }
  local_.clear();
}

void Registry::restore_own(Instant now, uint64_t incarnation) {
  begin(now);
  flush_linger();  // keep our broadcasts in operation order
  BroadcastBatch batch(RemovalReason::kPlain, &outbox_);
  for (auto& [name, svc] : local_) {
    if (known_.count(svc.dot) != 0)
      continue;
    LocalService fresh = svc;
    fresh.incarnation = incarnation;
    const std::string value = encode_entry_value(own_entry(fresh));
    BARREL_ASSERT(!map_.contains(name, value));
    Result<ormap::Delta> delta = ormap::add(&map_, replica_, name, value);
    if (!delta.is_ok())
      continue;  // the map is full: it stays lost, a later restore_own tries again
    fresh.dot = delta->dot_index().begin()->first;
    remember(ormap::Entry{name, fresh.dot, value});
    svc = std::move(fresh);
    digest_dirty_ = true;
    batch.add(*delta);
    stats_.own_entries_restored++;
  }
}

bool Registry::own_entries_lost() const {
  for (const auto& [name, svc] : local_) {
    if (known_.count(svc.dot) == 0)
      return true;
  }
  return false;
}

void Registry::take_broadcasts(std::vector<Payload>* out) {
  BARREL_ASSERT(out != nullptr);
  for (Payload& p : outbox_)
    out->push_back(std::move(p));
  outbox_.clear();
}

const ormap::Digest& Registry::digest() {
  if (digest_dirty_) {
    digest_.context = map_.context();
    digest_.live_hash.clear();
    for (const auto& [replica, hc] : live_hash_)
      digest_.live_hash.emplace_hint(digest_.live_hash.end(), replica, hc.first);
    digest_dirty_ = false;
    digest_bytes_dirty_ = true;
  }
  return digest_;
}

std::span<const uint8_t> Registry::digest_bytes() {
  const ormap::Digest& d = digest();  // first: it may mark the bytes stale
  if (digest_bytes_dirty_) {
    digest_bytes_.clear();
    ormap::encode_digest(d, &digest_bytes_);
    digest_bytes_dirty_ = false;
  }
  return digest_bytes_;
}

ormap::Delta Registry::delta_for(const ormap::Digest& peer) {
  return ormap::delta_since(map_, digest(), peer, config_.sync_entries_max);
}

void Registry::check_invariants() const {
  map_.check_invariants();
  {
    const ormap::Digest full = ormap::digest_of(map_);  // O(entries): tests only
    BARREL_ASSERT(full.live_hash.size() == live_hash_.size());
    for (const auto& [replica, hc] : live_hash_)
      BARREL_ASSERT(full.live_hash.at(replica) == hc.first);
  }
  BARREL_ASSERT(known_.size() == map_.entry_count());
  size_t by_node_total = 0;
  for (const auto& [node, dots] : by_node_) {
    BARREL_ASSERT(!dots.empty());
    for (const ormap::Dot& d : dots) {
      auto it = known_.find(d);
      BARREL_ASSERT(it != known_.end());
      BARREL_ASSERT(it->second.entry.node == node);
    }
    by_node_total += dots.size();
  }
  BARREL_ASSERT(by_node_total == known_.size());
  for (const auto& [d, k] : known_) {
    const ormap::ORMap::Entries* es = map_.entries(k.service);
    BARREL_ASSERT(es != nullptr && es->count(d) == 1);
    BARREL_ASSERT(decode_entry(es->at(d)).value() == k.entry);
    // A previous life of ours never stays in the map.
    BARREL_ASSERT(!(k.entry.node == self_name_ && k.entry.boot < boot_));
  }
  BARREL_ASSERT(local_.size() <= limits::kLocalServicesMax);
  for (const auto& [name, svc] : local_) {
    BARREL_ASSERT(svc.dot.replica == replica_);
    auto it = known_.find(svc.dot);
    if (it == known_.end())
      continue;  // lost (own_entries_lost())
    BARREL_ASSERT(it->second.service == name);
    BARREL_ASSERT(it->second.entry == own_entry(svc));
  }
  // Every live entry of our replica is a local registration's.
  for (auto it = known_.lower_bound(ormap::Dot{replica_, 1});
       it != known_.end() && it->first.replica == replica_; ++it) {
    BARREL_ASSERT(is_own(it->second.entry));
    auto svc = local_.find(it->second.service);
    BARREL_ASSERT(svc != local_.end());
    BARREL_ASSERT(svc->second.dot == it->first);
  }
  BARREL_ASSERT(pending_events_.size() <= kPendingEventsMax + limits::kLocalServicesMax);
}

}  // namespace barrel::registry
