// engine_network.cpp — the network's setup by the engine (the link-class
// overrides, whose selectors need the interned names) and the one place
// where virtual time and a node's own clock are converted (clock_drift.h).
#include <string>
#include <utility>
#include <vector>

#include "barrel/assert.h"
#include "engine.h"
#include "latency_model.h"
#include "selector.h"

namespace barrel::sim {

// Validates the latency models and resolves each override's selectors into
// the per-node masks of network.h (bit 2k: in `from` of override k, bit
// 2k+1: in its `to`). Random selectors draw from their own Rng, among all
// nodes, so the classes are fixed for the run.
bool Engine::setup_network() {
  const NetworkSpec& net = scenario_.network;
  std::string why;
  if (!latency_model_valid(net.latency, &why)) {
    fail("network latency: " + why);
    return false;
  }
  if (net.links.size() > kLinkOverridesMax) {
    fail("network links: more than " + std::to_string(kLinkOverridesMax) + " overrides");
    return false;
  }
  if (net.links.empty())
    return true;
  std::vector<LatencyModel> models;
  std::vector<uint32_t> masks(node_count_, 0);
  Rng rng(derive_seed(scenario_.seed, SeedDomain::kNetwork, 2));
  for (size_t k = 0; k < net.links.size(); ++k) {
    const LinkOverride& o = net.links[k];
    const std::string at = o.loc.file.empty() ? "network links[" + std::to_string(k) + "]"
                                              : o.loc.file + ":" + std::to_string(o.loc.line) +
                                                    ":" + std::to_string(o.loc.column);
    if (!latency_model_valid(o.latency, &why)) {
      fail(at + ": " + why);
      return false;
    }
    const NodeSelector* sides[2] = {&o.from, &o.to};
    for (uint32_t side = 0; side < 2; ++side) {
      if (Status s = validate_selector(*sides[side], names_, node_count_, &groups_); !s.is_ok()) {
        fail(at + ": " + std::string(s.message()));
        return false;
      }
      resolve_selector(
          *sides[side], names_, node_count_, [](uint32_t) { return true; }, &rng, &selected_,
          &groups_);
      for (uint32_t i : selected_)
        masks[i] |= uint32_t{1} << (2 * k + side);
    }
    models.push_back(o.latency);
  }
  BARREL_ASSERT(models.size() == net.links.size());
  network_.set_link_classes(std::move(models), std::move(masks));
  return true;
}

Instant Engine::local_now(uint32_t i) const {
  BARREL_ASSERT(i < node_count_);
  return clocks_.local(i, now_);
}

// A deadline the node set by its own clock, as a virtual instant.
Instant Engine::virtual_deadline(uint32_t i, Instant local) const {
  BARREL_ASSERT(i < node_count_);
  return clocks_.to_virtual(i, local);
}

}  // namespace barrel::sim
