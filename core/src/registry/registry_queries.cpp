// registry_queries.cpp — lookup, whereis, list_services and the per-node
// queries of the registry (registry.h).
#include <algorithm>
#include <tuple>

#include "barrel/assert.h"
#include "barrel/rng.h"
#include "registry/registry.h"
#include "registry/replica_id.h"

namespace barrel::registry {

bool Registry::visible(const RegistryEntry& e) const {
  // Our own life is shown from local_; a previous life never is.
  if (e.node == self_name_ && e.boot <= boot_)
    return false;
  return !(judge_ && judge_(e.node, e.boot, e.incarnation));
}

ServiceInstance Registry::instance_of(const Known& k) const {
  return ServiceInstance{k.service,           k.entry.node,     k.entry.endpoint, k.entry.boot,
                         k.entry.incarnation, k.entry.metadata, is_own(k.entry)};
}

std::vector<ServiceInstance> Registry::lookup(std::string_view name) const {
  std::vector<ServiceInstance> out;
  if (auto it = local_.find(name); it != local_.end()) {
    const LocalService& s = it->second;
    out.push_back(
        ServiceInstance{it->first, self_name_, s.endpoint, boot_, s.incarnation, s.metadata, true});
  }
  if (const ormap::ORMap::Entries* es = map_.entries(name)) {
    for (const auto& [dot, value] : *es) {
      const Known& k = known_.at(dot);
      if (visible(k.entry))
        out.push_back(instance_of(k));
    }
  }
  auto order = [](const ServiceInstance& s) {
    return std::tie(s.node, s.endpoint, s.boot, s.incarnation, s.metadata);
  };
  std::sort(out.begin(), out.end(), [&](const ServiceInstance& a, const ServiceInstance& b) {
    return order(a) < order(b);
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<ServiceInstance> Registry::whereis(std::string_view name) const {
  std::vector<ServiceInstance> all = lookup(name);
  if (all.empty())
    return std::nullopt;
  for (ServiceInstance& s : all) {
    if (s.local)
      return std::move(s);
  }
  // Stable for this node (same choice while the set is the same), different
  // across nodes and services, so callers spread over the instances.
  uint64_t h = fnv1a64(self_name_) ^ fnv1a64(name);
  const uint64_t pick = splitmix64(&h) % all.size();
  BARREL_ASSERT(pick < all.size());
  return std::move(all[pick]);
}

std::vector<std::string> Registry::list_services() const {
  std::vector<std::string> out;
  for (const auto& [key, es] : map_.store()) {
    const bool live =
        local_.count(key) != 0 || std::any_of(es.begin(), es.end(), [&](const auto& de) {
          return visible(known_.at(de.first).entry);
        });
    if (live)
      out.push_back(key);
  }
  for (const auto& [name, svc] : local_)
    out.push_back(name);  // a lost one is not in the map but still ours
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

uint64_t Registry::max_incarnation_of(std::string_view node) const {
  uint64_t max = 0;
  auto it = by_node_.find(node);
  if (it == by_node_.end())
    return 0;
  for (const ormap::Dot& d : it->second)
    max = std::max(max, known_.at(d).entry.incarnation);
  BARREL_ASSERT(!it->second.empty());
  return max;
}

}  // namespace barrel::registry
