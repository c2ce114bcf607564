// overlay_diameter.h — an estimate of the live overlay's diameter.
//
// The exact diameter needs a BFS from every member (O(members^2 * active));
// at 10^4 nodes that is too slow to run at every report window. The estimate
// is the maximum eccentricity over up to `sources_max` members spread evenly
// by index (deterministic, and a lower bound of the diameter; with a few
// sources it usually is the diameter or one less on random graphs).
//
// Links are the members' active views taken as undirected edges (an entry
// naming a non-member is ignored), as in checkers/overlay.h connectivity.
//
// Thread-safety: one owner.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "checkers/overlay.h"

namespace barrel::sim {

struct DiameterEstimate {
  uint32_t diameter = 0;  // max eccentricity found (within each source's component)
  uint32_t sources = 0;   // BFS runs
  bool connected = true;  // every BFS reached every member
};

inline constexpr uint32_t kDiameterSourcesDefault = 8;

class DiameterEstimator {
 public:
  DiameterEstimate estimate(std::span<const ViewRef> views, uint32_t sources_max);

 private:
  uint32_t bfs(uint32_t source, uint32_t members, bool* reached_all);
  std::vector<std::vector<uint32_t>> adjacency_;
  std::vector<uint32_t> depth_;
  std::vector<uint32_t> queue_;
};

}  // namespace barrel::sim
