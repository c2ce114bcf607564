// regress_test — goal: every scenario under tests/regress/ (each one a bug we
// fixed, with the story in its header comment) passes, for seeds 1..10.
// Method: load each file with the scenario loader and run it in process.
#include <gtest/gtest.h>

#include <string>

#include "barrel/sim/scenario_loader.h"
#include "barrel/sim/simulator.h"

namespace barrel::sim {
namespace {

void expect_passes(const std::string& file, uint64_t seeds) {
  const std::string path = std::string(BARREL_SOURCE_DIR) + "/tests/regress/" + file;
  Result<Scenario> loaded = load_scenario_file(path);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    Scenario s = *loaded;
    s.seed = seed;
    const RunReport r = run_scenario(s, RunOptions{});
    EXPECT_TRUE(r.failure.empty()) << file << " seed " << seed << ": " << r.failure;
    for (const ExpectationResult& x : r.expectations) {
      EXPECT_TRUE(x.passed) << file << " seed " << seed << ": line " << x.expectation.loc.line
                            << ": " << x.detail;
    }
  }
}

TEST(Regress, IslandsColdStart) {
  expect_passes("islands_cold_start.yaml", 10);
}

}  // namespace
}  // namespace barrel::sim
