// report_html.cpp — the self-contained HTML page of a run (see report_html.h):
// the page, its stylesheet and its tables; the charts are in
// report_html_charts.cpp.
#include "barrel/sim/report_html.h"

#include <cinttypes>
#include <cstdio>

#include "barrel/sim/report_text.h"
#include "duration_parse.h"
#include "report_html_charts.h"
#include "svg_chart.h"

namespace barrel::sim {
namespace {

using svg::escape;

// Inline, so the file stands alone. Series colours s0..s5 match svg_chart.
constexpr const char* kStyle = R"css(
body { font: 14px/1.45 system-ui, sans-serif; color: #1d2330; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #d8dde6; }
.desc { color: #566; margin-top: 0; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid #e6e9ef; vertical-align: top; }
th { color: #445; font-weight: 600; background: #f5f7fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, pre { font: 12.5px ui-monospace, monospace; }
pre { background: #f5f7fa; padding: 10px; overflow-x: auto; }
.verdict { display: inline-block; padding: 1px 10px; border-radius: 4px; color: #fff; font-weight: 700; }
.pass { background: #2a8a4a; } .fail { background: #c0392b; }
td.pass, td.fail { color: #fff; font-weight: 700; text-align: center; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 18px; }
figure { margin: 0; border: 1px solid #e0e4ea; border-radius: 6px; padding: 8px; background: #fff; }
figcaption { color: #566; font-size: 12.5px; padding: 2px 6px; }
svg.chart { width: 100%; height: auto; display: block; }
svg .ct { font-size: 17px; font-weight: 600; fill: #1d2330; }
svg .al, svg .tick, svg .lg, svg .ml { font-size: 13px; fill: #556; }
svg .grid { stroke: #e8ebf0; } svg .axis { stroke: #889; }
svg .marker { stroke: #c0392b; stroke-dasharray: 4 3; stroke-width: 1; }
svg .ml { fill: #c0392b; }
svg .line { fill: none; stroke-width: 1.8; }
svg .bar { fill: #3b6fb6; }
svg .s0 { stroke: #3b6fb6; fill: #3b6fb6; } svg .s1 { stroke: #e07b24; fill: #e07b24; }
svg .s2 { stroke: #2a8a4a; fill: #2a8a4a; } svg .s3 { stroke: #c0392b; fill: #c0392b; }
svg .s4 { stroke: #7d4cb0; fill: #7d4cb0; } svg .s5 { stroke: #6b7280; fill: #6b7280; }
svg polyline.line { fill: none; }
footer { margin-top: 32px; color: #889; font-size: 12px; }
)css";

std::string instant_text(Instant t) {
  return t.is_never() ? "never" : format_seconds(t - Instant::zero());
}

std::string row(const std::string& head, const std::string& value_html) {
  return "<tr><th>" + escape(head) + "</th><td>" + value_html + "</td></tr>\n";
}

std::string number_text(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string verdict_span(bool passed) {
  return passed ? "<span class=\"verdict pass\">PASS</span>"
                : "<span class=\"verdict fail\">FAIL</span>";
}

std::string summary_table(const Scenario& s, const RunReport& r, const std::string& path,
                          const std::string& replay, const HostStats& host) {
  char hash[32];
  std::snprintf(hash, sizeof hash, "0x%016" PRIx64, r.trace_hash);
  const double rate = host.wall_seconds > 0 ? static_cast<double>(r.events) / host.wall_seconds : 0;
  const MessageCounters& m = r.messages;
  std::string t = "<table class=\"summary\">\n";
  t += row("scenario", escape(s.name));
  t += row("file", "<code>" + escape(path) + "</code>");
  t += row("seed", std::to_string(r.seed));
  t += row("nodes", std::to_string(s.node_count) + " (" + std::to_string(r.live_nodes) +
                        " live at the end)");
  t += row("virtual time", instant_text(r.end_time) + " of " + format_seconds(s.duration));
  t += row("events", std::to_string(r.events));
  t += row("wall time", number_text("%.3f s", host.wall_seconds) + " (" +
                            number_text("%.0f", rate) + " events/s)");
  t += row("peak RSS",
           host.peak_rss_mib > 0 ? number_text("%.1f MiB", host.peak_rss_mib) : "unknown");
  t += row("messages", std::to_string(m.sent) + " sent, " + std::to_string(m.delivered) +
                           " delivered, " + std::to_string(m.dropped) + " dropped");
  t += row("trace hash", "<code>" + std::string(hash) + "</code>");
  std::string verdict = verdict_span(r.passed());
  if (!r.failure.empty())
    verdict += " run failure: " + escape(r.failure);
  t += row("result", verdict);
  if (!r.passed())
    t += row("reproduce", "<code>" + escape(replay) + "</code>");
  return t + "</table>\n";
}

std::string expectations_table(const RunReport& r) {
  if (r.expectations.empty())
    return "<p>No expectations.</p>\n";
  std::string t =
      "<table class=\"expectations\">\n<tr><th>result</th><th>check</th><th>at</th>"
      "<th>where</th><th>detail</th></tr>\n";
  for (const ExpectationResult& x : r.expectations) {
    const Expectation& e = x.expectation;
    t += std::string("<tr><td class=\"") + (x.passed ? "pass\">PASS" : "fail\">FAIL") +
         "</td><td>" + escape(describe_check(e)) + "</td><td>" + escape(format_duration(e.at)) +
         "</td><td><code>" + escape(e.loc.file) + ":" + std::to_string(e.loc.line) +
         "</code></td><td>" + escape(x.detail) + "</td></tr>\n";
  }
  return t + "</table>\n";
}

std::string ppm_text(Ppm ppm) {
  return number_text("%.4f%%", static_cast<double>(ppm) / 10'000.0);
}

std::string broadcasts_table(const RunReport& r) {
  if (r.broadcast_summaries.empty() || r.broadcast_summaries[0].sent == 0)
    return "";
  std::string t =
      "<h2>Broadcasts</h2>\n<table class=\"broadcasts\">\n<tr><th>window</th>"
      "<th>sent</th><th>judged</th><th>complete</th><th>reliability min</th>"
      "<th>mean</th><th>RMR</th><th>LDH max</th><th>latency p50</th><th>p99</th>"
      "<th>max</th><th>diameter</th></tr>\n";
  for (const BroadcastSummary& b : r.broadcast_summaries) {
    auto ms = [](uint64_t us) { return number_text("%.1f ms", static_cast<double>(us) / 1e3); };
    t += "<tr><td>" + escape(b.name) + " [" + instant_text(b.from) + ", " + instant_text(b.to) +
         ")</td><td class=\"num\">" + std::to_string(b.sent) + "</td><td class=\"num\">" +
         std::to_string(b.judged) + "</td><td class=\"num\">" + std::to_string(b.complete) +
         "</td><td class=\"num\">" + ppm_text(b.reliability_min_ppm) + "</td><td class=\"num\">" +
         ppm_text(b.reliability_mean_ppm) + "</td><td class=\"num\">" +
         number_text("%.3f", b.rmr_mean) + "</td><td class=\"num\">" + std::to_string(b.ldh_max) +
         "</td><td class=\"num\">" + ms(b.latency_p50_us) + "</td><td class=\"num\">" +
         ms(b.latency_p99_us) + "</td><td class=\"num\">" + ms(b.latency_max_us) +
         "</td><td class=\"num\">" + std::to_string(b.diameter) +
         (b.connected ? "" : " (not connected)") + "</td></tr>\n";
  }
  return t + "</table>\n";
}

std::string healings_table(const RunReport& r) {
  if (r.healings.empty())
    return "";
  std::string t =
      "<h2>Healing</h2>\n<table class=\"healings\">\n<tr><th>cause</th><th>at</th>"
      "<th>crashed</th><th>live</th><th>healed at</th><th>after</th></tr>\n";
  for (const HealingRecord& h : r.healings) {
    t += "<tr><td>" + escape(h.cause) + "</td><td>" + instant_text(h.crash_at) +
         "</td><td class=\"num\">" + std::to_string(h.crashed) + "</td><td class=\"num\">" +
         std::to_string(h.live) + "</td><td>" + instant_text(h.healed_at) + "</td><td>" +
         (h.healed_at.is_never() ? "not healed" : format_seconds(h.healed_at - h.crash_at)) +
         "</td></tr>\n";
  }
  return t + "</table>\n";
}

std::string registry_section(const RunReport& r) {
  const RegistryReport& g = r.registry;
  if (!g.active)
    return "";
  std::string t = "<h2>Registry</h2>\n<table class=\"registry\">\n";
  t += row("registrations",
           std::to_string(g.registrations) + " (" + std::to_string(g.refused) + " refused)");
  t += row("unregistrations", std::to_string(g.unregistrations) + " (" +
                                  std::to_string(g.unregister_refused) + " refused)");
  t += row("instances at the end", std::to_string(g.instances_at_end));
  std::string conv = std::to_string(g.converged) + " disagreement intervals closed";
  if (g.converged > 0) {
    conv += "; median " + format_seconds(g.median) + ", p90 " + format_seconds(g.p90) + ", max " +
            format_seconds(g.max);
  }
  t += row("convergence", conv);
  t += row("agreeing since", instant_text(g.agreed_since) + " (last truth change " +
                                 instant_text(g.last_truth_change) + ")");
  return t + "</table>\n";
}

std::string charts_section(const RunReport& r) {
  std::string s = "<h2>Charts</h2>\n<div class=\"charts\">\n";
  for (const Chart& c : all_charts(r))
    s += "<figure>\n" + c.svg + "<figcaption>" + escape(c.caption) + "</figcaption>\n</figure>\n";
  return s + "</div>\n";
}

}  // namespace

std::string report_to_html(const Scenario& scenario, const RunReport& report,
                           const std::string& scenario_path, const std::string& replay,
                           const HostStats& host) {
  const std::string title =
      "barrel-sim: " + scenario.name + " (seed " + std::to_string(report.seed) + ")";
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>" +
      escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  h += "<h1>" + escape(scenario.name) + " " + verdict_span(report.passed()) + "</h1>\n";
  if (!scenario.description.empty())
    h += "<p class=\"desc\">" + escape(scenario.description) + "</p>\n";
  h += summary_table(scenario, report, scenario_path, replay, host);
  h += "<h2>Expectations</h2>\n" + expectations_table(report);
  h += charts_section(report);
  h += broadcasts_table(report) + healings_table(report) + registry_section(report);
  h += "<h2>Run</h2>\n<details><summary>Resolved knobs</summary>\n<pre>" +
       escape(format_header(scenario, scenario_path)) + "</pre></details>\n";
  h += "<details><summary>Text summary</summary>\n<pre>" +
       escape(format_summary(scenario, report, host.wall_seconds)) + "</pre></details>\n";
  h += "<footer>barrel-sim HTML report: one file, inline CSS and SVG, no script, no network. "
       "The same scenario and seed give the same content (wall time and RSS aside).</footer>\n";
  return h + "</body>\n</html>\n";
}

}  // namespace barrel::sim
