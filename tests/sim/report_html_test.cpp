// report_html_test.cpp — goal: the HTML report is one self-contained page
// (no script, no external resource) with the summary, the expectations and
// one SVG chart per kind of data the run has, text escaped; and the chart
// helpers' ticks and numbers are sound. Method: render the report fixture
// (tests/sim/data/report_example.yaml) and a bare two-node run, and read the
// text back. The rendering in a real browser is report_html_chromium_test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "barrel/sim/report_html.h"
#include "barrel/sim/scenario_loader.h"
#include "svg_chart.h"

namespace barrel::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Scenario load(const std::string& relative) {
  Result<Scenario> s = load_scenario_file(std::string(BARREL_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  return std::move(s).value();
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

std::string html_of(const Scenario& s) {
  const RunReport r = run_scenario(s, RunOptions{});
  return report_to_html(s, r, "x.yaml", "barrel-sim x.yaml --seed 1", HostStats{1.5, 12.25});
}

TEST(ReportHtml, FixtureHasEveryChartAndTheSummary) {
  const std::string h = html_of(load("tests/sim/data/report_example.yaml"));
  EXPECT_THAT(h, HasSubstr("<!DOCTYPE html>"));
  for (const char* id :
       {"reliability", "degree", "passive", "registry", "messages", "members", "active"}) {
    EXPECT_EQ(count(h, std::string("id=\"chart-") + id + "\""), 1u) << id;
  }
  EXPECT_EQ(count(h, "<svg "), 7u);
  EXPECT_THAT(h, HasSubstr("<th>trace hash</th><td><code>0x"));
  EXPECT_THAT(h, HasSubstr("12.2 MiB"));
  EXPECT_THAT(h, HasSubstr("<td class=\"pass\">PASS</td><td>registry_converged within 30s"));
  EXPECT_THAT(h, Not(HasSubstr("reproduce")));  // it passed
  // One dot per broadcast sent (29 from 8 s to 36 s) in the reliability chart.
  EXPECT_THAT(h, HasSubstr("id=\"chart-reliability\" class=\"chart\" data-points=\"29\""));
}

TEST(ReportHtml, SelfContained) {
  const std::string h = html_of(load("tests/sim/data/report_example.yaml"));
  EXPECT_THAT(h, Not(HasSubstr("<script")));
  EXPECT_THAT(h, Not(HasSubstr("src=")));
  EXPECT_THAT(h, Not(HasSubstr("href=")));
  EXPECT_THAT(h, Not(HasSubstr("@import")));
  EXPECT_THAT(h, Not(HasSubstr("url(")));
  // The one URL is the SVG namespace name, which is never fetched.
  EXPECT_EQ(count(h, "http"), count(h, "xmlns=\"http://www.w3.org/2000/svg\""));
}

TEST(ReportHtml, RunWithoutBroadcastsOrRegistryOmitsThoseCharts) {
  const std::string h = html_of(load("scenarios/quickstart.yaml"));
  EXPECT_THAT(h, Not(HasSubstr("chart-reliability")));
  EXPECT_THAT(h, Not(HasSubstr("chart-registry")));
  EXPECT_THAT(h, HasSubstr("id=\"chart-degree\""));
  EXPECT_THAT(h, HasSubstr("id=\"chart-messages\""));
}

TEST(ReportHtml, FailedRunShowsTheReplayCommandAndEscapesText) {
  Scenario s = load("tests/sim/data/failing_expectation.yaml");
  s.name = "<b>&'\"";
  const RunReport r = run_scenario(s, RunOptions{});
  ASSERT_FALSE(r.passed());
  const std::string h = report_to_html(s, r, "a<b>.yaml", "barrel-sim 'a<b>.yaml' --seed 5", {});
  EXPECT_THAT(h, HasSubstr("&lt;b&gt;&amp;&#39;&quot;"));
  EXPECT_THAT(h, Not(HasSubstr("<b>")));
  EXPECT_THAT(
      h, HasSubstr("<th>reproduce</th><td><code>barrel-sim &#39;a&lt;b&gt;.yaml&#39; --seed 5"));
  EXPECT_THAT(h, HasSubstr("<td class=\"fail\">FAIL</td><td>active_min 2"));
  EXPECT_THAT(h, HasSubstr("<th>peak RSS</th><td>unknown"));
}

TEST(SvgChart, NiceTicksCoverTheRangeInRoundSteps) {
  EXPECT_EQ(svg::nice_ticks(0, 10, 6), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(svg::nice_ticks(0, 115, 6), (std::vector<double>{0, 20, 40, 60, 80, 100, 120}));
  EXPECT_EQ(svg::nice_ticks(90, 100, 6), (std::vector<double>{90, 92, 94, 96, 98, 100}));
  const std::vector<double> t = svg::nice_ticks(0.3, 0.7, 4);
  EXPECT_LE(t.front(), 0.3);
  EXPECT_GE(t.back(), 0.7 - 1e-12);
  EXPECT_LE(t.size(), 6u);
  EXPECT_EQ(svg::nice_ticks(5, 5, 6).front(), 5);  // an empty range still gets a tick
}

TEST(SvgChart, NumbersAreShortAndChartsCountTheirPoints) {
  EXPECT_EQ(svg::format_number(0), "0");
  EXPECT_EQ(svg::format_number(1.5), "1.5");
  EXPECT_EQ(svg::format_number(250), "250");
  EXPECT_EQ(svg::format_number(15000), "15k");
  EXPECT_EQ(svg::format_number(2500000), "2.5M");
  svg::Axes a;
  a.id = "t";
  a.title = "T";
  const std::string line =
      svg::line_chart(a, {svg::Series{"s", {{0, 1, ""}, {1, 2, ""}, {2, 3, ""}}}}, {});
  EXPECT_THAT(line, HasSubstr("data-points=\"3\""));
  EXPECT_EQ(count(line, "<polyline"), 1u);
  EXPECT_EQ(count(line, "<circle"), 3u);
  const std::string bars = svg::bar_chart(a, {{"0", 4, ""}, {"1", 0, ""}});
  EXPECT_THAT(bars, HasSubstr("data-points=\"2\""));
  EXPECT_EQ(count(bars, "<rect class=\"bar\""), 2u);
}

}  // namespace
}  // namespace barrel::sim
