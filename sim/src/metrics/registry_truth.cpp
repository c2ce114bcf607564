// registry_truth.cpp — the registry's truth and its commutative hash.
#include "metrics/registry_truth.h"

#include <algorithm>

#include "barrel/assert.h"

namespace barrel::sim {

uint64_t registry_pair_hash(std::string_view service, std::string_view node) {
  uint64_t h = 0xcbf29ce484222325ull;
  auto feed = [&h](uint8_t b) {
    h ^= b;
    h *= 0x100000001b3ull;
  };
  for (char c : service)
    feed(static_cast<uint8_t>(c));
  feed(0xff);  // never in a name: ("ab", "c") and ("a", "bc") differ
  for (char c : node)
    feed(static_cast<uint8_t>(c));
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

RegistryTruth::RegistryTruth(uint32_t node_count) : by_node_(node_count) {}

void RegistryTruth::add(std::string_view service, uint32_t node, std::string_view node_name,
                        EndpointId endpoint, const Metadata& metadata) {
  BARREL_ASSERT(node < by_node_.size());
  auto it = services_.find(service);
  if (it == services_.end())
    it = services_.emplace(std::string(service), Instances{}).first;
  const bool added = it->second.emplace(node, Entry{endpoint, metadata}).second;
  BARREL_ASSERT(added);
  by_node_[node].emplace_back(service);
  hash_ += registry_pair_hash(service, node_name);
  size_ += 1;
}

bool RegistryTruth::remove(std::string_view service, uint32_t node, std::string_view node_name) {
  BARREL_ASSERT(node < by_node_.size());
  auto it = services_.find(service);
  if (it == services_.end() || it->second.erase(node) == 0)
    return false;
  if (it->second.empty())
    services_.erase(it);
  std::vector<std::string>& mine = by_node_[node];
  auto at = std::find(mine.begin(), mine.end(), service);
  BARREL_ASSERT(at != mine.end());
  mine.erase(at);
  hash_ -= registry_pair_hash(service, node_name);
  BARREL_ASSERT(size_ > 0);
  size_ -= 1;
  return true;
}

size_t RegistryTruth::remove_node(uint32_t node, std::string_view node_name) {
  BARREL_ASSERT(node < by_node_.size());
  std::vector<std::string> mine;
  mine.swap(by_node_[node]);
  for (const std::string& service : mine) {
    auto it = services_.find(service);
    BARREL_ASSERT(it != services_.end());
    it->second.erase(node);
    if (it->second.empty())
      services_.erase(it);
    hash_ -= registry_pair_hash(service, node_name);
    size_ -= 1;
  }
  return mine.size();
}

const RegistryTruth::Entry* RegistryTruth::find(std::string_view service, uint32_t node) const {
  auto it = services_.find(service);
  if (it == services_.end())
    return nullptr;
  auto e = it->second.find(node);
  return e == it->second.end() ? nullptr : &e->second;
}

}  // namespace barrel::sim
