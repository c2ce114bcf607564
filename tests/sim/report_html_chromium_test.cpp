// report_html_chromium_test.cpp — goal: the HTML report really renders in a
// browser, offline, with every chart and its data points. Method: barrel-sim
// writes the report of the report fixture (tests/sim/data/report_example.yaml);
// headless Chromium (Debian's `chromium` package) loads it from a file:// URL
// with --dump-dom, and the DOM it built is checked for each <svg> chart and
// its points, lines and bars; then it takes a screenshot, checked to be a
// PNG of some size. The test installs nothing: without a `chromium` binary
// on PATH it is skipped (scripts/install-deps.sh installs it for CI).
// g++ 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex>
// (std::function moves in _NFA) when built with the sanitizers; the
// warning is about the library's code, not this file's.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <string>

#include "cli_util.h"

namespace barrel::sim::test {
namespace {

using ::testing::HasSubstr;

// The browser binary, or "" when none is installed.
std::string find_chromium() {
  for (const char* name : {"chromium", "chromium-browser"}) {
    const RunResult r = run_command(std::string("command -v ") + name);
    if (r.status == 0 && !r.out.empty())
      return r.out.substr(0, r.out.find('\n'));
  }
  return "";
}

// Headless, no GPU, no sandbox (CI runs as root in a container), a profile of
// its own so parallel tests do not share one, and a hard time limit.
std::string chromium_command(const std::string& binary, const std::string& profile) {
  return "timeout 120 " + binary +
         " --headless --disable-gpu --no-sandbox --no-first-run --user-data-dir=" + profile;
}

// The number of elements matching `pattern` inside the <svg> with `id`.
size_t count_in_chart(const std::string& dom, const std::string& id, const std::string& pattern) {
  const size_t start = dom.find("id=\"chart-" + id + "\"");
  if (start == std::string::npos)
    return 0;
  const size_t end = dom.find("</svg>", start);
  const std::string chart = dom.substr(start, end - start);
  const std::regex re(pattern);
  return static_cast<size_t>(
      std::distance(std::sregex_iterator(chart.begin(), chart.end(), re), std::sregex_iterator()));
}

class ReportInChromium : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = find_chromium();
    if (chromium_.empty()) {
      GTEST_SKIP() << "chromium is not installed (Debian 12 package `chromium`, listed in "
                      "scripts/install-deps.sh): the HTML report was not rendered in a browser";
    }
    html_ = temp_path("chromium_report.html");
    const RunResult sim = run_sim(kData + "report_example.yaml --quiet --html " + html_);
    ASSERT_EQ(sim.status, 0) << sim.out << sim.err;
    profile_ = temp_path("chromium_profile");
  }
  void TearDown() override {
    if (!html_.empty())
      std::remove(html_.c_str());
    if (!profile_.empty())
      run_command("rm -rf '" + profile_ + "'");
  }
  std::string chromium_, html_, profile_;
};

TEST_F(ReportInChromium, DomHasEveryChartWithItsData) {
  const RunResult r =
      run_command(chromium_command(chromium_, profile_) + " --dump-dom 'file://" + html_ + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string& dom = r.out;
  ASSERT_THAT(dom, HasSubstr("<h1>report-example"));
  EXPECT_EQ(count_in_chart(dom, "reliability", "<circle class=\"pt s0\""), 29u);  // all complete
  for (const char* id : {"degree", "passive"})
    EXPECT_GE(count_in_chart(dom, id, "<rect class=\"bar\""), 2u) << id;
  // Time series: one polyline per series, each with the 501 samples.
  for (const char* id : {"registry", "messages", "members", "active"}) {
    EXPECT_GE(
        count_in_chart(dom, id, "<polyline class=\"line s0\" points=\"([0-9.]+,[0-9.]+ ){501}"), 1u)
        << id;
  }
  EXPECT_EQ(count_in_chart(dom, "active", "<polyline "), 3u);  // max, mean, min
  // Every chart has its axes' tick labels and its title.
  for (const char* id :
       {"reliability", "degree", "passive", "registry", "messages", "members", "active"}) {
    EXPECT_GE(count_in_chart(dom, id, "<text class=\"tick\""), 3u) << id;
    EXPECT_EQ(count_in_chart(dom, id, "<text class=\"ct\""), 1u) << id;
  }
  // The crash at 20 s is marked on the time charts.
  EXPECT_EQ(count_in_chart(dom, "members", "<line class=\"marker\""), 1u);
}

TEST_F(ReportInChromium, ScreenshotIsAPicture) {
  const std::string png = temp_path("chromium_report.png");
  const RunResult r = run_command(chromium_command(chromium_, profile_) + " --screenshot=" + png +
                                  " --window-size=1200,2600 'file://" + html_ + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string bytes = read_file(png);
  std::remove(png.c_str());
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // A blank page of this size compresses to a few KiB; charts and tables do not.
  EXPECT_GT(bytes.size(), 50'000u);
}

}  // namespace
}  // namespace barrel::sim::test
