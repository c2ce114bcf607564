// report_html_charts.h — the charts of the HTML report (report_html.h lists
// them), each an inline <svg> with a caption saying what it shows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "barrel/sim/simulator.h"

namespace barrel::sim {

struct Chart {
  std::string caption;
  std::string svg;
};

// The charts the report has data for, in page order: a run without
// broadcasts has no reliability chart, one without a registry no registry
// chart.
std::vector<Chart> all_charts(const RunReport& report);

}  // namespace barrel::sim
