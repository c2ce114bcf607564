// scenario_library_test — goal: every scenario shipped in scenarios/ loads
// without error (a typo in a shipped file would otherwise surface only when a
// user runs it), and each one has its row in the table of scenarios/README.md.
// Method: list scenarios/*.yaml, load each with the real loader, and look
// for a link to it in the README's table. Loading is cheap; nothing is run
// (the runs themselves are measured in BENCHMARKS.md and bench/).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "barrel/sim/scenario_loader.h"

namespace barrel::sim {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(BARREL_SOURCE_DIR) / "scenarios";

std::vector<fs::path> shipped() {
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(kDir)) {
    if (e.path().extension() == ".yaml")
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());  // directory order is not stable
  return files;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ScenarioLibrary, EveryShippedScenarioLoads) {
  const std::vector<fs::path> files = shipped();
  // The library of issue 4 at least: quickstart, hyparview-paper,
  // plumtree-paper, partition-heal and the scale and registry runs.
  ASSERT_GE(files.size(), 8u);
  for (const fs::path& f : files) {
    Result<Scenario> s = load_scenario_file(f.string());
    EXPECT_TRUE(s.is_ok()) << f << ": " << s.status().to_string();
    if (s.is_ok()) {
      EXPECT_EQ(s->name, f.stem().string()) << f << ": name differs from the file's stem";
      EXPECT_GT(s->node_count, 0u) << f;
      EXPECT_FALSE(s->expectations.empty()) << f << " checks nothing";
    }
  }
}

TEST(ScenarioLibrary, EveryShippedScenarioHasARowInTheReadme) {
  const std::string readme = read_all(kDir / "README.md");
  ASSERT_FALSE(readme.empty());
  for (const fs::path& f : shipped()) {
    const std::string link = "](" + f.filename().string() + ")";
    EXPECT_NE(readme.find(link), std::string::npos)
        << f.filename() << " is not linked from the table in scenarios/README.md";
  }
}

}  // namespace
}  // namespace barrel::sim
