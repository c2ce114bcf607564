// report_html.h — a run as one self-contained HTML page (barrel-sim --html FILE).
//
// The page needs no server, no script and no network: inline CSS and inline
// SVG charts only, so it opens from disk in any browser and can be attached
// to a bug report. It holds:
//   - a summary table: scenario, file, seed, nodes, virtual time, events,
//     wall time, events/s, peak RSS, live nodes, message counters, trace
//     hash, the verdict and, when it failed, the replay command;
//   - the expectations, each PASS/FAIL with its file:line and detail;
//   - charts (svg_chart.h), each <svg id="chart-<id>">:
//       reliability      per broadcast, by send instant: delivered / eligible
//                        at the end (only when the run broadcast);
//       degree           the members' active-view sizes at the end;
//       passive          the members' passive-view sizes at the end;
//       registry         registry agreement (fraction of members agreeing
//                        with the truth) over time (only with a registry);
//       messages         messages sent / delivered / dropped per second;
//       members          live members over time;
//       active           active-view size min / mean / max over time;
//     time charts mark crashes, restarts and heals with vertical lines;
//   - broadcast summaries, healing records and the registry summary as
//     tables, and the resolved knobs (report_text.h's header) verbatim.
//
// Deterministic except for the host measurements (wall time, RSS).
#pragma once

#include <string>

#include "barrel/sim/scenario.h"
#include "barrel/sim/simulator.h"

namespace barrel::sim {

// What the host measured around the run (not part of the run itself).
struct HostStats {
  double wall_seconds = 0;
  double peak_rss_mib = 0;  // 0: unknown
};

// The whole page. `scenario_path` is the file as given on the command line;
// `replay` the command that reproduces the run (shown when it failed).
std::string report_to_html(const Scenario& scenario, const RunReport& report,
                           const std::string& scenario_path, const std::string& replay,
                           const HostStats& host);

}  // namespace barrel::sim
