// overlay_diameter.cpp — BFS eccentricities over the undirected active-view graph.
#include "metrics/overlay_diameter.h"

#include <algorithm>

#include "barrel/assert.h"

namespace barrel::sim {

DiameterEstimate DiameterEstimator::estimate(std::span<const ViewRef> views, uint32_t sources_max) {
  BARREL_ASSERT(sources_max >= 1);
  const auto n = static_cast<uint32_t>(views.size());
  adjacency_.resize(n);
  for (auto& a : adjacency_)
    a.clear();
  std::vector<uint32_t> members;
  for (uint32_t i = 0; i < n; ++i) {
    if (!views[i].member)
      continue;
    members.push_back(i);
    for (NodeId b : views[i].active) {
      const uint32_t j = b.value();
      if (!b.valid() || j >= n || !views[j].member || j == i)
        continue;
      // Both directions: a one-way entry still carries traffic one way, and a
      // symmetric link then appears twice, which BFS tolerates.
      adjacency_[i].push_back(j);
      adjacency_[j].push_back(i);
    }
  }
  DiameterEstimate out;
  if (members.empty())
    return out;
  const auto m = static_cast<uint32_t>(members.size());
  const uint32_t k = std::min(sources_max, m);
  for (uint32_t s = 0; s < k; ++s) {
    // Evenly spaced by member rank: deterministic, independent of NodeId order beyond indexes.
    const uint32_t source = members[static_cast<size_t>(uint64_t{s} * m / k)];
    bool reached_all = true;
    out.diameter = std::max(out.diameter, bfs(source, m, &reached_all));
    out.connected = out.connected && reached_all;
    out.sources += 1;
  }
  BARREL_ASSERT(out.sources == k);
  return out;
}

uint32_t DiameterEstimator::bfs(uint32_t source, uint32_t members, bool* reached_all) {
  constexpr uint32_t kUnseen = UINT32_MAX;
  depth_.assign(adjacency_.size(), kUnseen);
  queue_.clear();
  queue_.push_back(source);
  depth_[source] = 0;
  uint32_t eccentricity = 0;
  // Bounded: each node enters the queue at most once.
  for (size_t head = 0; head < queue_.size(); ++head) {
    const uint32_t u = queue_[head];
    for (uint32_t v : adjacency_[u]) {
      if (depth_[v] != kUnseen)
        continue;
      depth_[v] = depth_[u] + 1;
      eccentricity = std::max(eccentricity, depth_[v]);
      queue_.push_back(v);
    }
  }
  BARREL_ASSERT(queue_.size() <= members);
  *reached_all = queue_.size() == members;
  return eccentricity;
}

}  // namespace barrel::sim
