// svg_chart.h — small inline-SVG charts for the HTML report (report_html.cpp):
// line charts, scatter charts and bar charts with axes, "nice" ticks, a
// legend, optional vertical markers (crashes, heals) and a <title> per point
// so a browser shows the value on hover without any script.
//
// Output is one <svg> element as text, sized by a viewBox so it scales with
// the page. Every chart carries id="chart-<id>" and data-points="<n>" (the
// number of data points drawn), which the report's tests read back from the
// rendered DOM. Coordinates are doubles: these are pictures for people and
// never feed a decision of the run.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace barrel::sim::svg {

struct Point {
  double x = 0;
  double y = 0;
  std::string title;  // shown on hover; empty: "x, y"
};

struct Series {
  std::string name;  // the legend's label
  std::vector<Point> points;
};

// A vertical line across the plot at x, labelled (e.g. "crash").
struct Marker {
  double x = 0;
  std::string label;
};

struct Axes {
  std::string id;  // the chart is id="chart-<id>"
  std::string title;
  std::string x_label;
  std::string y_label;
  // The y range; y_max <= y_min: from the data (0 to the largest value).
  double y_min = 0;
  double y_max = 0;
  // The x range; x_max <= x_min: from the data.
  double x_min = 0;
  double x_max = 0;
};

// Connected lines, one per series, with a dot per point when a series has
// few enough points to tell them apart.
std::string line_chart(const Axes& axes, const std::vector<Series>& series,
                       const std::vector<Marker>& markers);

// One dot per point, no lines.
std::string scatter_chart(const Axes& axes, const std::vector<Series>& series,
                          const std::vector<Marker>& markers);

// One bar per (label, value), in order (e.g. a histogram).
struct Bar {
  std::string label;
  double value = 0;
  std::string title;
};
std::string bar_chart(const Axes& axes, const std::vector<Bar>& bars);

// Ticks for [lo, hi]: a step of 1, 2 or 5 times a power of ten giving at
// most `count_max` + 1 ticks, the first at or below lo and the last at or
// above hi. REQUIRES: lo <= hi, count_max >= 1.
std::vector<double> nice_ticks(double lo, double hi, size_t count_max);

// `text` with &, <, >, " and ' escaped for HTML and SVG text and attributes.
std::string escape(std::string_view text);

// A short decimal for a label: "0", "1.5", "250", "1.2e+06".
std::string format_number(double v);

}  // namespace barrel::sim::svg
