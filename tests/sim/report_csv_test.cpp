// report_csv_test.cpp — goal: --csv's time series has one row per sample
// with the documented columns, rates derived from the cumulative counters,
// the registry column only with a registry, and the same bytes for the same
// run. Method: hand-made RunReports for the arithmetic; the report fixture
// (tests/sim/data/report_example.yaml) run twice for determinism.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "barrel/sim/report_csv.h"
#include "barrel/sim/scenario_loader.h"

namespace barrel::sim {
namespace {

using ::testing::StartsWith;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ','))
    out.push_back(field);
  if (!line.empty() && line.back() == ',')
    out.push_back("");
  return out;
}

RunSample sample(int64_t at_ms, uint64_t sent, uint32_t members, uint64_t active_sum) {
  RunSample s;
  s.at = Instant::zero() + Duration::millis(at_ms);
  s.live = members;
  s.members = members;
  s.messages_sent = sent;
  s.active_sum = active_sum;
  s.active_min = 1;
  s.active_max = 5;
  return s;
}

TEST(ReportCsv, OneRowPerSampleWithRatesOverEachInterval) {
  RunReport r;
  r.samples = {sample(0, 0, 4, 0), sample(500, 100, 4, 12), sample(1000, 400, 4, 16)};
  const std::vector<std::string> lines = lines_of(report_to_csv(r));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_THAT(lines[0], StartsWith("time_s,live_nodes,members,messages_sent_per_s,"));
  const std::vector<std::string> header = fields_of(lines[0]);
  EXPECT_EQ(header.size(), 15u);
  EXPECT_EQ(header.back(), "registry_agreement");
  for (size_t k = 1; k < lines.size(); ++k)
    EXPECT_EQ(fields_of(lines[k]).size(), header.size()) << lines[k];
  EXPECT_EQ(fields_of(lines[1])[3], "0.000");  // no interval before the first sample
  EXPECT_EQ(fields_of(lines[2])[0], "0.500000");
  EXPECT_EQ(fields_of(lines[2])[3], "200.000");  // 100 messages in 0.5 s
  EXPECT_EQ(fields_of(lines[3])[3], "600.000");  // 300 in 0.5 s
  EXPECT_EQ(fields_of(lines[3])[7], "4.000");    // active mean 16 / 4
  EXPECT_EQ(fields_of(lines[3])[14], "");        // no registry
}

TEST(ReportCsv, RegistryAgreementIsAFractionOfTheMembers) {
  RunReport r;
  r.registry.active = true;
  r.samples = {sample(0, 0, 4, 0)};
  r.samples[0].registry_agreeing = 3;
  const std::vector<std::string> lines = lines_of(report_to_csv(r));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(fields_of(lines[1])[14], "0.750000");
}

TEST(ReportCsv, SameRunSameBytes) {
  Result<Scenario> s =
      load_scenario_file(std::string(BARREL_SOURCE_DIR) + "/tests/sim/data/report_example.yaml");
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  const RunReport a = run_scenario(*s, RunOptions{});
  const RunReport b = run_scenario(*s, RunOptions{});
  const std::string csv = report_to_csv(a);
  EXPECT_EQ(csv, report_to_csv(b));
  EXPECT_EQ(lines_of(csv).size(), a.samples.size() + 1);
  // The fixture registers services: its last row says everyone agrees.
  EXPECT_EQ(fields_of(lines_of(csv).back())[14], "1.000000");
}

}  // namespace
}  // namespace barrel::sim
