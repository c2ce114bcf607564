// report_csv.h — a run's time series as CSV (barrel-sim --csv FILE).
//
// One header line, then one row per RunReport::samples entry (RFC 4180
// style: comma-separated, no quoting needed: every field is a number or
// empty). Columns:
//
//   time_s                     the sample's virtual time, seconds
//   live_nodes, members        nodes alive; alive and not left
//   messages_sent_per_s        rates over the interval since the previous
//   messages_delivered_per_s   sample (0 in the first row)
//   messages_dropped_per_s
//   bytes_encoded_per_s        wire mode only (else 0)
//   active_degree_mean         over the members (0 when there is none)
//   active_degree_min, active_degree_max
//   passive_size_mean
//   broadcasts_sent            cumulative
//   broadcast_deliveries       cumulative deliveries at nodes, origins included
//   broadcast_deliveries_per_s
//   registry_agreement         members whose registry view equals the truth,
//                              as a fraction of the members; empty when the
//                              scenario has no registry workload or check
//
// Deterministic: the same scenario and seed give the same file, byte for byte.
#pragma once

#include <string>

#include "barrel/sim/simulator.h"

namespace barrel::sim {

std::string report_to_csv(const RunReport& report);

}  // namespace barrel::sim
