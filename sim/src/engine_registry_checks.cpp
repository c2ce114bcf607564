// engine_registry_checks.cpp — the registry expectations of the engine:
//   registry_converged  every live member's lookup() of every service (the
//                       real API, not the event hashes) equals the truth,
//                       `local` aside: the same (service, node) pairs with
//                       the same endpoints and metadata, and no service
//                       listed beyond the truth's;
//   no_live_dead        no live member holds a suspect or dead record of
//                       another live member at an incarnation at or above
//                       that member's current one (a record about an older
//                       incarnation is history, not a verdict on it).
#include <algorithm>
#include <string>
#include <vector>

#include "barrel/assert.h"
#include "engine.h"

namespace barrel::sim {
namespace {

std::string pair_text(std::string_view service, std::string_view node) {
  return "(" + std::string(service) + ", " + std::string(node) + ")";
}

std::string seconds_text(Duration d) {
  return format_instant(Instant::zero() + d);
}

}  // namespace

std::string Engine::describe_registry_converged(const Expectation& x, bool* ok) {
  uint32_t members = 0, wrong = 0;
  std::string example;
  for (uint32_t i = 0; i < node_count_; ++i) {
    if (!nodes_[i].member())
      continue;
    members += 1;
    std::string why;
    if (!node_matches_truth(i, &why) && wrong++ == 0)
      example = name_of(NodeId(i)) + " " + why;
  }
  *ok = wrong == 0;
  std::string s = std::to_string(registry_truth_.services().size()) + " services, " +
                  std::to_string(registry_truth_.size()) + " instances; " +
                  std::to_string(members - wrong) + " of " + std::to_string(members) +
                  " live members agree";
  if (wrong > 0)
    s += "; first: " + example;
  if (x.within == Duration::zero())
    return s;
  // Agreement by events (the samples) since the last truth change.
  const Instant since = registry_agreement_.agreed_since();
  const Instant change = registry_agreement_.last_truth_change();
  if (since.is_never()) {
    *ok = false;
    return s + "; the views still disagree by events at the last sample (within " +
           seconds_text(x.within) + ")";
  }
  if (change.is_never())
    return s + "; the truth never changed";
  const Duration took = since > change ? since - change : Duration::zero();
  *ok = *ok && took <= x.within;
  return s + "; agreement " + seconds_text(took) + " after the last change at " +
         format_instant(change) + " (within " + seconds_text(x.within) + ")";
}

// Compares `node`'s lookup() of every service with the truth; on the first
// difference says what the node lacks or has extra.
bool Engine::node_matches_truth(uint32_t node, std::string* why) const {
  const HostedNode& n = *nodes_[node].node;
  std::vector<uint32_t> seen;
  for (const auto& [service, instances] : registry_truth_.services()) {
    const std::vector<ServiceInstance> got = n.lookup(service);
    seen.clear();
    for (const ServiceInstance& inst : got) {
      const NodeId id = names_.find(inst.node);
      const RegistryTruth::Entry* e = id.valid() && id.value() < node_count_
                                          ? registry_truth_.find(service, id.value())
                                          : nullptr;
      if (e == nullptr) {
        *why = "has extra " + pair_text(service, inst.node);
        return false;
      }
      if (e->endpoint != inst.endpoint || e->metadata != inst.metadata) {
        *why = "has " + pair_text(service, inst.node) + " with endpoint " +
               std::to_string(inst.endpoint) + " or metadata other than registered";
        return false;
      }
      seen.push_back(id.value());
    }
    std::sort(seen.begin(), seen.end());
    for (const auto& [owner, entry] : instances) {
      if (!std::binary_search(seen.begin(), seen.end(), owner)) {
        *why = "lacks " + pair_text(service, name_of(NodeId(owner)));
        return false;
      }
    }
    if (seen.size() != instances.size()) {
      *why = "lists an instance of " + service + " twice";
      return false;
    }
  }
  for (const std::string& service : n.list_services()) {
    if (registry_truth_.services().count(service) != 0)
      continue;
    const std::vector<ServiceInstance> got = n.lookup(service);
    *why = "has extra " + pair_text(service, got.empty() ? "?" : got.front().node);
    return false;
  }
  return true;
}

std::string Engine::describe_no_live_dead(bool* ok) const {
  uint32_t members = 0;
  uint64_t records = 0;
  std::string example;
  for (uint32_t a = 0; a < node_count_; ++a) {
    if (!nodes_[a].member())
      continue;
    members += 1;
    for (const MemberInfo& m : nodes_[a].node->suspect_and_dead_members()) {
      const NodeId b = names_.find(m.node);
      if (!b.valid() || b.value() >= node_count_ || b.value() == a || !nodes_[b.value()].member())
        continue;
      const uint64_t current = nodes_[b.value()].node->incarnation();
      if (m.incarnation < current)
        continue;  // about an incarnation the member has refuted or outlived
      if (records++ == 0) {
        example = name_of(NodeId(a)) + " holds " + m.node + " " + std::string(to_string(m.state)) +
                  " at incarnation " + std::to_string(m.incarnation) + " (its current " +
                  std::to_string(current) + ")";
      }
    }
  }
  *ok = records == 0;
  if (*ok)
    return std::to_string(members) +
           " live members; none holds another live member suspect or dead";
  return std::to_string(records) + " records among " + std::to_string(members) +
         " live members name a live member suspect or dead; first: " + example;
}

}  // namespace barrel::sim
