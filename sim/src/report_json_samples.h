// report_json_samples.h — the time series and histograms of a RunReport in
// the JSON report (report_json.h gives the layout).
#pragma once

#include "barrel/sim/simulator.h"
#include "json_writer.h"

namespace barrel::sim {

// Writes "sample_period_us", "samples", "active_degree_histogram" and
// "passive_size_histogram" into the open object.
void write_samples(JsonWriter& w, const RunReport& report);

}  // namespace barrel::sim
