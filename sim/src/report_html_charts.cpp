// report_html_charts.cpp — the SVG charts of the HTML report, one function
// per chart, from a RunReport (see report_html.h for the list).
#include "report_html_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sample_rates.h"
#include "svg_chart.h"

namespace barrel::sim {
namespace {

// Markers drawn on a time chart at most; beyond, the chart says so in its
// caption and shows none (they would hide the data).
constexpr size_t kMarkersMax = 40;

std::string percent(uint32_t part, uint32_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%",
                whole == 0 ? 100.0 : 100.0 * static_cast<double>(part) / whole);
  return buf;
}

std::vector<svg::Marker> disruption_markers(const RunReport& r) {
  std::vector<svg::Marker> out;
  if (r.healings.size() > kMarkersMax)
    return out;
  for (const HealingRecord& h : r.healings)
    out.push_back(svg::Marker{seconds_of(h.crash_at), h.cause});
  return out;
}

// A time series of the samples: y = f(sample k).
template <typename F>
svg::Series sample_series(const std::string& name, const std::vector<RunSample>& v, F f) {
  svg::Series s{name, {}};
  s.points.reserve(v.size());
  for (size_t k = 0; k < v.size(); ++k)
    s.points.push_back(svg::Point{seconds_of(v[k].at), f(k), ""});
  return s;
}

Chart make(std::string caption, std::string svg_text) {
  return Chart{std::move(caption), std::move(svg_text)};
}

std::string markers_caption(const RunReport& r) {
  if (r.healings.empty())
    return "";
  if (r.healings.size() > kMarkersMax)
    return " (" + std::to_string(r.healings.size()) + " crashes and heals: too many to mark)";
  return " Vertical lines: crashes, restarts and heals.";
}

// The height of the reliability axis below 100 %: the smallest round span
// that shows the lowest dot with a margin, so 99.3 % is not squashed flat.
double reliability_span(double gap) {
  for (double span : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0}) {
    if (gap * 1.25 <= span)
      return span;
  }
  return 100;
}

std::optional<Chart> reliability_chart(const RunReport& r) {
  if (r.broadcasts.empty())
    return std::nullopt;
  svg::Series complete{"complete", {}}, partial{"incomplete", {}};
  double low = 100;
  for (const BroadcastRecordReport& b : r.broadcasts) {
    if (b.eligible_at_end == 0)
      continue;
    const double pct = 100.0 * b.delivered_at_end / b.eligible_at_end;
    low = std::min(low, pct);
    svg::Point p{seconds_of(b.sent_at), pct,
                 "sent at " + svg::format_number(seconds_of(b.sent_at)) + " s by " + b.origin +
                     ": " + std::to_string(b.delivered_at_end) + " of " +
                     std::to_string(b.eligible_at_end) + " (" +
                     percent(b.delivered_at_end, b.eligible_at_end) + ")"};
    (b.delivered_at_end == b.eligible_at_end ? complete : partial).points.push_back(std::move(p));
  }
  svg::Axes a;
  a.id = "reliability";
  a.title = "Broadcast reliability by send time";
  a.x_label = "send time (s)";
  a.y_label = "delivered / eligible (%)";
  a.y_max = 100;
  a.y_min = 100 - reliability_span(100 - low);
  const uint32_t sent = r.broadcast_summaries.empty() ? 0 : r.broadcast_summaries[0].sent;
  std::string caption =
      "Each dot is one broadcast: the share of the nodes that were members at "
      "its send, and still are at the end, that delivered it.";
  if (sent > r.broadcasts.size()) {
    caption += " The first " + std::to_string(r.broadcasts.size()) + " of " + std::to_string(sent) +
               " broadcasts.";
  }
  return make(caption + markers_caption(r),
              svg::scatter_chart(a, {complete, partial}, disruption_markers(r)));
}

std::optional<Chart> histogram_chart(const std::vector<uint32_t>& histogram, const char* id,
                                     const char* what) {
  if (histogram.empty())
    return std::nullopt;
  std::vector<svg::Bar> bars;
  for (size_t d = 0; d < histogram.size(); ++d) {
    bars.push_back(svg::Bar{std::to_string(d), static_cast<double>(histogram[d]),
                            std::to_string(histogram[d]) + " members with " + std::to_string(d) +
                                " peers in their " + what + " view"});
  }
  svg::Axes a;
  a.id = id;
  a.title = std::string("Members by ") + what + "-view size at the end";
  a.x_label = std::string(what) + "-view size";
  a.y_label = "members";
  return make(std::string("How many members hold each number of peers in their ") + what +
                  " view when the run ends.",
              svg::bar_chart(a, bars));
}

std::optional<Chart> registry_chart(const RunReport& r) {
  if (!r.registry.active || r.samples.empty())
    return std::nullopt;
  const std::vector<RunSample>& v = r.samples;
  std::vector<svg::Marker> markers;
  for (size_t k = 0; k < r.registry.disruptions.size() && k < kMarkersMax; ++k) {
    const RegistryDisruption& d = r.registry.disruptions[k];
    markers.push_back(svg::Marker{seconds_of(d.at), d.cause});
  }
  if (r.registry.disruptions.size() > kMarkersMax)
    markers.clear();
  svg::Axes a;
  a.id = "registry";
  a.title = "Registry convergence";
  a.x_label = "virtual time (s)";
  a.y_label = "members agreeing (%)";
  a.y_max = 100;
  const svg::Series s =
      sample_series("agreeing", v, [&v](size_t k) { return 100.0 * agreement_of(v[k]); });
  return make(
      "The share of the members whose registry view (from the events they emitted) "
      "equals the truth, every " +
          svg::format_number(static_cast<double>(r.sample_period.us()) / 1e6) +
          " s. Vertical lines: registry disruptions (register, unregister, crash, "
          "restart, leave, heal)" +
          (markers.empty() && !r.registry.disruptions.empty() ? ", too many to mark" : "") + ".",
      svg::line_chart(a, {s}, markers));
}

std::optional<Chart> messages_chart(const RunReport& r) {
  if (r.samples.size() < 2)
    return std::nullopt;
  const std::vector<RunSample>& v = r.samples;
  std::vector<svg::Series> series;
  series.push_back(sample_series(
      "sent", v, [&v](size_t k) { return rate_per_second(v, k, &RunSample::messages_sent); }));
  series.push_back(sample_series("delivered", v, [&v](size_t k) {
    return rate_per_second(v, k, &RunSample::messages_delivered);
  }));
  if (v.back().messages_dropped > 0) {
    series.push_back(sample_series("dropped", v, [&v](size_t k) {
      return rate_per_second(v, k, &RunSample::messages_dropped);
    }));
  }
  svg::Axes a;
  a.id = "messages";
  a.title = "Messages per second";
  a.x_label = "virtual time (s)";
  a.y_label = "messages / s";
  return make("Protocol messages per second of virtual time, over each sample interval." +
                  markers_caption(r),
              svg::line_chart(a, series, disruption_markers(r)));
}

std::optional<Chart> members_chart(const RunReport& r) {
  if (r.samples.empty())
    return std::nullopt;
  const std::vector<RunSample>& v = r.samples;
  svg::Axes a;
  a.id = "members";
  a.title = "Live members";
  a.x_label = "virtual time (s)";
  a.y_label = "members";
  const svg::Series s =
      sample_series("members", v, [&v](size_t k) { return static_cast<double>(v[k].members); });
  return make("Nodes alive and not left." + markers_caption(r),
              svg::line_chart(a, {s}, disruption_markers(r)));
}

std::optional<Chart> active_chart(const RunReport& r) {
  if (r.samples.empty())
    return std::nullopt;
  const std::vector<RunSample>& v = r.samples;
  svg::Axes a;
  a.id = "active";
  a.title = "Active-view size over time";
  a.x_label = "virtual time (s)";
  a.y_label = "peers";
  std::vector<svg::Series> series;
  series.push_back(
      sample_series("max", v, [&v](size_t k) { return static_cast<double>(v[k].active_max); }));
  series.push_back(
      sample_series("mean", v, [&v](size_t k) { return mean_of(v[k].active_sum, v[k].members); }));
  series.push_back(
      sample_series("min", v, [&v](size_t k) { return static_cast<double>(v[k].active_min); }));
  return make(
      "The members' active views: the largest, the mean and the smallest." + markers_caption(r),
      svg::line_chart(a, series, disruption_markers(r)));
}

}  // namespace

std::vector<Chart> all_charts(const RunReport& r) {
  std::vector<Chart> out;
  for (std::optional<Chart> c :
       {reliability_chart(r), histogram_chart(r.active_degree_histogram, "degree", "active"),
        histogram_chart(r.passive_size_histogram, "passive", "passive"), registry_chart(r),
        messages_chart(r), members_chart(r), active_chart(r)}) {
    if (c.has_value())
      out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace barrel::sim
