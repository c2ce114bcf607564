// svg_chart.cpp — line, scatter and bar charts as inline SVG text (see svg_chart.h).
#include "svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "barrel/assert.h"

namespace barrel::sim::svg {
namespace {

// The canvas and the plot area inside it, in SVG user units.
constexpr double kWidth = 760;
constexpr double kHeight = 280;
constexpr double kLeft = 64;
constexpr double kRight = kWidth - 16;
constexpr double kTop = 50;
constexpr double kBottom = kHeight - 44;
constexpr size_t kTicksMax = 6;
// A line series draws a dot per point up to this many points.
constexpr size_t kDotsMax = 80;
constexpr size_t kSeriesClasses = 6;  // s0..s5 in the report's stylesheet

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

struct Range {
  double lo = 0, hi = 1;
};

// Maps data coordinates to the plot area.
struct Frame {
  Range x, y;
  double px(double v) const { return kLeft + (v - x.lo) / (x.hi - x.lo) * (kRight - kLeft); }
  double py(double v) const { return kBottom - (v - y.lo) / (y.hi - y.lo) * (kBottom - kTop); }
};

// [lo, hi] widened to the ends of its ticks (and to a non-empty range).
Range nice_range(double lo, double hi) {
  if (!(hi > lo)) {
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= lo == 0 ? 0 : pad;
    hi = lo + 2 * pad;
  }
  const std::vector<double> t = nice_ticks(lo, hi, kTicksMax);
  return Range{t.front(), t.back()};
}

Frame frame_for(const Axes& a, const std::vector<Series>& series, const std::vector<Marker>& m) {
  double x_lo = INFINITY, x_hi = -INFINITY, y_hi = 0;
  for (const Series& s : series) {
    for (const Point& p : s.points) {
      x_lo = std::min(x_lo, p.x);
      x_hi = std::max(x_hi, p.x);
      y_hi = std::max(y_hi, p.y);
    }
  }
  for (const Marker& k : m) {
    x_lo = std::min(x_lo, k.x);
    x_hi = std::max(x_hi, k.x);
  }
  if (!std::isfinite(x_lo))
    x_lo = x_hi = 0;
  Frame f;
  f.x = a.x_max > a.x_min ? Range{a.x_min, a.x_max} : nice_range(x_lo, x_hi);
  f.y = a.y_max > a.y_min ? Range{a.y_min, a.y_max} : nice_range(0, y_hi);
  return f;
}

std::string open_svg(const Axes& a, size_t points) {
  BARREL_ASSERT(!a.id.empty());
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-" + escape(a.id) +
                  "\" class=\"chart\" data-points=\"" + std::to_string(points) +
                  "\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) +
                  "\" role=\"img\" aria-label=\"" + escape(a.title) + "\">\n";
  s += "<title>" + escape(a.title) + "</title>\n";
  s += "<text class=\"ct\" x=\"" + num(kLeft) + "\" y=\"24\">" + escape(a.title) + "</text>\n";
  s += "<text class=\"al\" x=\"" + num((kLeft + kRight) / 2) + "\" y=\"" + num(kHeight - 8) +
       "\" text-anchor=\"middle\">" + escape(a.x_label) + "</text>\n";
  s += "<text class=\"al\" transform=\"translate(14," + num((kTop + kBottom) / 2) +
       ") rotate(-90)\" text-anchor=\"middle\">" + escape(a.y_label) + "</text>\n";
  return s;
}

// Horizontal grid lines with y tick labels; x ticks unless `x_ticks` is off.
std::string grid(const Frame& f, bool x_ticks) {
  std::string s;
  for (double v : nice_ticks(f.y.lo, f.y.hi, kTicksMax)) {
    if (v < f.y.lo || v > f.y.hi)
      continue;
    const std::string y = num(f.py(v));
    s += "<line class=\"grid\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kRight) + "\" y1=\"" + y +
         "\" y2=\"" + y + "\"/><text class=\"tick\" x=\"" + num(kLeft - 6) + "\" y=\"" + y +
         "\" dy=\"4\" text-anchor=\"end\">" + format_number(v) + "</text>\n";
  }
  for (double v : x_ticks ? nice_ticks(f.x.lo, f.x.hi, kTicksMax) : std::vector<double>{}) {
    if (v < f.x.lo || v > f.x.hi)
      continue;
    s += "<text class=\"tick\" x=\"" + num(f.px(v)) + "\" y=\"" + num(kBottom + 16) +
         "\" text-anchor=\"middle\">" + format_number(v) + "</text>\n";
  }
  s += "<line class=\"axis\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kRight) + "\" y1=\"" +
       num(kBottom) + "\" y2=\"" + num(kBottom) + "\"/>\n";
  return s;
}

std::string markers_svg(const Frame& f, const std::vector<Marker>& markers) {
  std::string s;
  for (const Marker& m : markers) {
    const std::string x = num(f.px(m.x));
    s += "<line class=\"marker\" x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + num(kTop) + "\" y2=\"" +
         num(kBottom) + "\"><title>" + escape(m.label) + " at " + format_number(m.x) +
         "</title></line><text class=\"ml\" x=\"" + x + "\" y=\"" + num(kTop - 5) +
         "\" text-anchor=\"middle\">" + escape(m.label) + "</text>\n";
  }
  return s;
}

std::string dot(const Frame& f, const Point& p, size_t k) {
  const std::string title =
      p.title.empty() ? format_number(p.x) + ", " + format_number(p.y) : p.title;
  return "<circle class=\"pt s" + std::to_string(k % kSeriesClasses) + "\" cx=\"" + num(f.px(p.x)) +
         "\" cy=\"" + num(f.py(p.y)) + "\" r=\"3\"><title>" + escape(title) + "</title></circle>";
}

std::string legend(const std::vector<Series>& series) {
  std::string s;
  double x = kRight;
  // Right to left, so the legend ends at the plot's right edge.
  for (size_t k = series.size(); k-- > 0;) {
    x -= 16 + 7.5 * static_cast<double>(series[k].name.size());
    s += "<rect class=\"sw s" + std::to_string(k % kSeriesClasses) + "\" x=\"" + num(x) +
         "\" y=\"12\" width=\"11\" height=\"11\"/><text class=\"lg\" x=\"" + num(x + 15) +
         "\" y=\"22\">" + escape(series[k].name) + "</text>\n";
    x -= 8;
  }
  return s;
}

size_t count_points(const std::vector<Series>& series) {
  size_t n = 0;
  for (const Series& s : series)
    n += s.points.size();
  return n;
}

std::string xy_chart(const Axes& a, const std::vector<Series>& series,
                     const std::vector<Marker>& markers, bool lines) {
  const Frame f = frame_for(a, series, markers);
  std::string s = open_svg(a, count_points(series)) + grid(f, true) + markers_svg(f, markers);
  for (size_t k = 0; k < series.size(); ++k) {
    const std::vector<Point>& pts = series[k].points;
    const std::string cls = "s" + std::to_string(k % kSeriesClasses);
    if (lines && !pts.empty()) {
      s += "<polyline class=\"line " + cls + "\" points=\"";
      for (const Point& p : pts)
        s += num(f.px(p.x)) + "," + num(f.py(p.y)) + " ";
      s += "\"/>\n";
    }
    if (!lines || pts.size() <= kDotsMax) {
      for (const Point& p : pts)
        s += dot(f, p, k);
      s += "\n";
    }
  }
  if (series.size() > 1)
    s += legend(series);
  return s + "</svg>\n";
}

}  // namespace

std::string line_chart(const Axes& axes, const std::vector<Series>& series,
                       const std::vector<Marker>& markers) {
  return xy_chart(axes, series, markers, true);
}

std::string scatter_chart(const Axes& axes, const std::vector<Series>& series,
                          const std::vector<Marker>& markers) {
  return xy_chart(axes, series, markers, false);
}

std::string bar_chart(const Axes& a, const std::vector<Bar>& bars) {
  double y_hi = 0;
  for (const Bar& b : bars)
    y_hi = std::max(y_hi, b.value);
  Frame f;
  f.x = Range{0, static_cast<double>(std::max<size_t>(bars.size(), 1))};
  f.y = a.y_max > a.y_min ? Range{a.y_min, a.y_max} : nice_range(0, y_hi);
  std::string s = open_svg(a, bars.size()) + grid(f, false);
  // Label every bar when they fit, else every `step`-th.
  const size_t step = bars.size() / 24 + 1;
  const double width = (kRight - kLeft) / f.x.hi;
  for (size_t k = 0; k < bars.size(); ++k) {
    const Bar& b = bars[k];
    const double top = f.py(b.value);
    s += "<rect class=\"bar\" x=\"" + num(f.px(static_cast<double>(k)) + width * 0.1) + "\" y=\"" +
         num(top) + "\" width=\"" + num(width * 0.8) + "\" height=\"" + num(kBottom - top) +
         "\"><title>" +
         escape(b.title.empty() ? b.label + ": " + format_number(b.value) : b.title) +
         "</title></rect>";
    if (k % step == 0) {
      s += "<text class=\"tick\" x=\"" + num(f.px(static_cast<double>(k)) + width / 2) + "\" y=\"" +
           num(kBottom + 16) + "\" text-anchor=\"middle\">" + escape(b.label) + "</text>";
    }
    s += "\n";
  }
  return s + "</svg>\n";
}

std::vector<double> nice_ticks(double lo, double hi, size_t count_max) {
  BARREL_ASSERT(lo <= hi && count_max >= 1);
  const double span = hi > lo ? hi - lo : std::max(std::fabs(lo), 1.0);
  const double raw = span / static_cast<double>(count_max);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * magnitude;
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  const double first = std::floor(lo / step) * step;
  std::vector<double> ticks;
  // Bounded: step >= span / count_max, so at most count_max + 2 ticks.
  for (size_t k = 0; k <= count_max + 2; ++k) {
    const double v = first + static_cast<double>(k) * step;
    ticks.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
    if (v >= hi)
      break;
  }
  BARREL_ASSERT(!ticks.empty() && ticks.front() <= lo);
  return ticks;
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string format_number(double v) {
  char buf[32];
  const double a = std::fabs(v);
  if (a >= 1e9) {
    std::snprintf(buf, sizeof buf, "%.3gG", v / 1e9);
  } else if (a >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.3gM", v / 1e6);
  } else if (a >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.3gk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.4g", v);
  }
  return buf;
}

}  // namespace barrel::sim::svg
