// registry_truth.h — what the service registry should hold, as the
// simulator knows it: every (service, node) pair registered by a live
// incarnation and not unregistered since. A crash, restart or leave of a node
// removes its pairs (a restarted node is a new incarnation with none).
//
// Besides the pairs, the truth keeps a commutative hash of them: the sum
// (mod 2^64) of registry_pair_hash(service, node name) over the pairs. A
// node's view hash (registry_agreement.h) is built the same way from the
// events it emits, so "this node agrees with the truth" is one comparison,
// and each change costs O(1) (O(log n) for the map).
//
// Bounds: pairs are bounded by the nodes times limits::kLocalServicesMax
// (the core refuses more local registrations, and the truth only records
// accepted ones).
//
// Thread-safety: one owner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/service.h"

namespace barrel::sim {

// A well-mixed 64-bit hash of (service, node name): FNV-1a over both with a
// separator, then the splitmix64 finaliser, so sums of distinct pairs do not
// cancel by structure.
uint64_t registry_pair_hash(std::string_view service, std::string_view node);

class RegistryTruth {
 public:
  struct Entry {
    EndpointId endpoint = 0;
    Metadata metadata;
  };
  // Per service, its instances by node index (index order is the scenario's).
  using Instances = std::map<uint32_t, Entry>;
  using Services = std::map<std::string, Instances, std::less<>>;

  explicit RegistryTruth(uint32_t node_count);

  // Records (service, node). REQUIRES: absent (the core refused a duplicate).
  void add(std::string_view service, uint32_t node, std::string_view node_name, EndpointId endpoint,
           const Metadata& metadata);
  // Removes (service, node); false if absent.
  bool remove(std::string_view service, uint32_t node, std::string_view node_name);
  // Removes every pair of `node`; returns how many.
  size_t remove_node(uint32_t node, std::string_view node_name);

  uint64_t hash() const { return hash_; }
  size_t size() const { return size_; }
  const Services& services() const { return services_; }
  // The instance of `service` at `node`, or null.
  const Entry* find(std::string_view service, uint32_t node) const;

 private:
  Services services_;
  std::vector<std::vector<std::string>> by_node_;  // each node's services, registration order
  uint64_t hash_ = 0;
  size_t size_ = 0;
};

}  // namespace barrel::sim
