// PLACEHOLDER so the tree links while the simulator is written.
#include "barrel/sim/simulator.h"

namespace barrel::sim {

bool RunReport::passed() const {
  if (!failure.empty())
    return false;
  for (const auto& e : expectations) {
    if (!e.passed)
      return false;
  }
  return true;
}

RunReport run_scenario(const Scenario& scenario, const RunOptions&) {
  RunReport r;
  r.scenario_name = scenario.name;
  r.seed = scenario.seed;
  r.failure = "simulator not built yet";
  return r;
}

}  // namespace barrel::sim
