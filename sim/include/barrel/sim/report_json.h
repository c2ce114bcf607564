// report_json.h — a RunReport as a JSON document (barrel-sim --json FILE).
//
// A hand-written writer: no JSON library, strings escaped per RFC 8259
// (quote, backslash and control characters; other bytes pass through, so
// UTF-8 text stays UTF-8). Layout (all times in integer microseconds):
//
//   { "scenario", "file", "description", "seed", "trace_hash" ("0x" + 16 hex),
//     "passed", "failure", "node_count", "duration_us", "end_time_us",
//     "events", "wall_seconds", "events_per_second", "live_nodes",
//     "counters": { messages_sent, messages_delivered, messages_dropped,
//                   messages_partitioned, messages_retransmitted,
//                   messages_rejected, bytes_encoded, link_failures,
//                   link_downs, peer_ups, peer_downs, invariant_checks },
//     "expectations": [ { kind, at_us, within_us?, count?, reliability_ppm?,
//                         since_us?, settle_us?, file, line, column, passed,
//                         detail } ],
//     "healings": [ { cause ("crash", "restart", "heal"), crash_at_us (the
//                     action's instant), crashed, live, healed_at_us | null,
//                     healing_us | null } ],
//     "broadcast_summaries": [ { name ("run" first, then each report window),
//                     from_us, to_us, sent, judged, complete,
//                     reliability_min_ppm, reliability_mean_ppm, rmr_mean,
//                     ldh_max, ldh_mean, hops_max, deliveries, latency_p50_us,
//                     latency_p90_us, latency_p99_us, latency_max_us,
//                     diameter, connected } ],
//     "broadcasts": [ { id ("0x..:0x.."), origin, sent_at_us, members_at_send,
//                     delivered, eligible_at_end, delivered_at_end, ldh,
//                     max_hops, gossip_received, last_delivery_us } ],
//     "registry" (only when the scenario registers services or checks the
//                 registry): { registrations, refused, unregistrations,
//                 unregister_refused, instances_at_end, samples,
//                 records_dropped, converged (closed disagreement intervals),
//                 median_us, p90_us, max_us (their durations),
//                 agreed_since_us | null, last_truth_change_us | null,
//                 intervals: [ { from_us, to_us | null, convergence_us | null } ],
//                 disruptions: [ { cause ("register", "unregister", "crash",
//                   "restart", "leave", "heal"), at_us, agreed_at_us | null,
//                   convergence_us | null } ] },
//     "sample_period_us", "samples": [ { at_us, live, members, messages_sent,
//                     messages_delivered, messages_dropped, bytes_encoded,
//                     active_min, active_max, active_sum, passive_sum,
//                     broadcasts_sent, broadcast_deliveries,
//                     registry_agreeing (with a registry only) } ] (cumulative
//                     counters; see RunSample in simulator.h),
//     "active_degree_histogram", "passive_size_histogram": [ members holding
//                     0, 1, 2, ... peers at the end ],
//     "nodes": [ { name, alive, active: [names], passive: [names] } ] }
//
// wall_seconds and events_per_second are the only values that differ between
// two runs of the same scenario and seed.
#pragma once

#include <string>
#include <string_view>

#include "barrel/sim/scenario.h"
#include "barrel/sim/simulator.h"

namespace barrel::sim {

// `text` as a JSON string literal, quotes included.
std::string json_quote(std::string_view text);

// The whole document, pretty-printed, ending in a newline. `scenario_path`
// is the file as given on the command line; `wall_seconds` the run's wall time.
std::string report_to_json(const Scenario& scenario, const RunReport& report,
                           const std::string& scenario_path, double wall_seconds);

}  // namespace barrel::sim
