// report_json_test — the JSON report: strings are escaped so that any text
// (quotes, backslashes, control bytes) yields valid JSON, and a full report
// with every section is valid JSON with the documented keys.
//
// Method: json_quote() on tricky strings; report_to_json() on a hand-built
// RunReport, checked by the strict validator in json_check.h.
#include "barrel/sim/report_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "json_check.h"

namespace barrel::sim {
namespace {

using ::testing::HasSubstr;

TEST(ReportJson, QuoteEscapes) {
  EXPECT_EQ(json_quote("plain"), "\"plain\"");
  EXPECT_EQ(json_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(json_quote("line\nnext\ttab"), "\"line\\nnext\\ttab\"");
  EXPECT_EQ(json_quote(std::string("nul\0x", 5)), "\"nul\\u0000x\"");
  EXPECT_EQ(json_quote("\x1f\x7f"), "\"\\u001f\\u007f\"");
  EXPECT_EQ(json_quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  for (const char* s : {"\"", "\\", "\x01", "a\"\\\n"}) {
    std::string why;
    EXPECT_TRUE(test::json_is_valid(json_quote(s), &why)) << why;
  }
}

TEST(ReportJson, FullReportIsValidJson) {
  Scenario s;
  s.name = "x";
  s.description = "quotes \" and \\ and\nnewlines";
  s.node_count = 3;
  RunReport r;
  r.scenario_name = "x";
  r.seed = 18446744073709551615u;
  r.trace_hash = 0xABCDEF0123456789u;
  r.events = 42;
  r.end_time = Instant::from_us(5'000'000);
  r.failure = "max_events \"reached\"";
  ExpectationResult x;
  x.expectation.kind = Expectation::Kind::kHealedWithin;
  x.expectation.within = Duration::seconds(30);
  x.expectation.loc = SourceLoc{"f.yaml", 3, 5};
  x.detail = "not healed";
  r.expectations = {x, ExpectationResult{}};
  r.healings.push_back(HealingRecord{Instant::from_us(1'000'000), 2, 1, Instant::never()});
  r.healings.push_back(
      HealingRecord{Instant::from_us(1'000'000), 2, 1, Instant::from_us(2'500'000)});
  r.nodes.push_back(NodeSummary{"node1@sim", true, {"node2@sim"}, {}});
  r.nodes.push_back(NodeSummary{"node2@sim", false, {}, {"node1@sim", "node3@sim"}});
  const std::string doc = report_to_json(s, r, "dir/x \"q\".yaml", 0.0);
  std::string why;
  EXPECT_TRUE(test::json_is_valid(doc, &why)) << why << "\n" << doc;
  EXPECT_THAT(doc, HasSubstr("\"trace_hash\": \"0xabcdef0123456789\""));
  EXPECT_THAT(doc, HasSubstr("\"seed\": 18446744073709551615,"));
  EXPECT_THAT(doc, HasSubstr("\"passed\": false"));
  EXPECT_THAT(doc, HasSubstr("\"healed_at_us\": null"));
  EXPECT_THAT(doc, HasSubstr("\"healing_us\": 1500000"));
  EXPECT_THAT(doc, HasSubstr("\"within_us\": 30000000"));
  EXPECT_THAT(doc, HasSubstr("\"events_per_second\": 0.0"));
  EXPECT_THAT(doc, HasSubstr("\"passive\": []"));
  EXPECT_FALSE(test::json_is_valid(doc.substr(0, doc.size() - 3), &why));
}

TEST(ReportJson, ValidatorRejectsCommonMistakes) {
  std::string why;
  EXPECT_FALSE(test::json_is_valid("{\"a\": 1,}", &why));
  EXPECT_FALSE(test::json_is_valid("{\"a\" 1}", &why));
  EXPECT_FALSE(test::json_is_valid("[1 2]", &why));
  EXPECT_FALSE(test::json_is_valid("\"raw\nnewline\"", &why));
  EXPECT_FALSE(test::json_is_valid("01", &why));
  EXPECT_TRUE(test::json_is_valid(" {\"a\": [1, -2.5e3, true, null, \"\\u00e9\"]} ", &why));
}

}  // namespace
}  // namespace barrel::sim
