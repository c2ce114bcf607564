// report_text.cpp — the human summary of a run (header, counters, healings, checks, views).
#include "barrel/sim/report_text.h"

#include <cinttypes>
#include <cstdio>

#include "barrel/assert.h"
#include "duration_parse.h"
#include "fraction_parse.h"
#include "node_names.h"

namespace barrel::sim {
namespace {

std::string instant_text(Instant t) {
  if (t.is_never())
    return "never";
  return format_seconds(t - Instant::zero());
}

std::string latency_text(const LatencyModel& l) {
  if (l.kind == LatencyModel::Kind::kUniform)
    return "uniform " + format_duration(l.min) + ".." + format_duration(l.max);
  return format_duration(l.min) + " constant";
}

std::string names_text(const std::vector<std::string>& names) {
  std::string s = "[";
  for (const std::string& n : names)
    s += (s.size() > 1 ? ", " : "") + n;
  return s + "]";
}

std::string config_text(const HyParViewConfig& h) {
  return "active_size=" + std::to_string(h.active_size) +
         " passive_size=" + std::to_string(h.passive_size) + " arwl=" + std::to_string(h.arwl) +
         " prwl=" + std::to_string(h.prwl) + " shuffle_ka=" + std::to_string(h.shuffle_ka) +
         " shuffle_kp=" + std::to_string(h.shuffle_kp) +
         " shuffle_ttl=" + std::to_string(h.shuffle_ttl) +
         " shuffle_period=" + format_duration(h.shuffle_period) +
         " neighbor_timeout=" + format_duration(h.neighbor_timeout) +
         " repair_period=" + format_duration(h.repair_period) +
         " repair_high_below=" + std::to_string(h.repair_high_below) +
         " repair_parallel=" + std::to_string(h.repair_parallel) +
         " contact_retry=" + format_duration(h.contact_retry);
}

std::string healing_text(const HealingRecord& h) {
  std::string s = h.cause + " at " + instant_text(h.crash_at) + ": ";
  s += h.crashed > 0
           ? std::to_string(h.crashed) + " of " + std::to_string(h.crashed + h.live) + " nodes; "
           : std::to_string(h.live) + " live nodes; ";
  if (h.healed_at.is_never())
    return s + "not healed by the end of the run";
  return s + "healed at " + instant_text(h.healed_at) + " (" +
         format_seconds(h.healed_at - h.crash_at) + ")";
}

std::string expectation_text(const ExpectationResult& x) {
  const Expectation& e = x.expectation;
  std::string s = x.passed ? "PASS " : "FAIL ";
  s += describe_check(e) + " at " + format_duration(e.at) + " (" + e.loc.file + ":" +
       std::to_string(e.loc.line) + ")";
  if (!x.detail.empty())
    s += ": " + x.detail;
  return s;
}

std::string counters_text(const RunReport& r) {
  const MessageCounters& m = r.messages;
  std::string s = "messages: sent " + std::to_string(m.sent) + ", delivered " +
                  std::to_string(m.delivered) + ", dropped " + std::to_string(m.dropped) +
                  ", rejected " + std::to_string(m.rejected);
  if (m.partitioned > 0)
    s += ", " + std::to_string(m.partitioned) + " dropped across a partition";
  if (m.retransmitted > 0)
    s += ", " + std::to_string(m.retransmitted) + " delayed by loss";
  if (m.bytes_encoded > 0)
    s += ", " + std::to_string(m.bytes_encoded) + " bytes encoded";
  s += "\nlinks: " + std::to_string(r.link_failures) + " failed, " + std::to_string(r.link_downs) +
       " down; peer events: " + std::to_string(r.peer_ups) + " up, " +
       std::to_string(r.peer_downs) + " down\n";
  s += "invariant checks: " + std::to_string(r.invariant_checks) + "\n";
  return s;
}

std::string ppm_percent(Ppm ppm) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%u.%04u%%", ppm / 10'000, ppm % 10'000);
  return buf;
}

std::string ms_text(uint64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%" PRIu64 ".%03" PRIu64 "ms", us / 1000, us % 1000);
  return buf;
}

// Two lines per summary: counts and reliability; RMR, LDH, latency, diameter.
std::string broadcast_text(const BroadcastSummary& b) {
  char rmr[96];
  std::snprintf(rmr, sizeof rmr, "RMR %.3f, LDH max %u mean %.2f, hops max %u", b.rmr_mean,
                b.ldh_max, b.ldh_mean, b.hops_max);
  std::string s = "  " + b.name + " [" + instant_text(b.from) + ", " + instant_text(b.to) +
                  "): " + std::to_string(b.sent) + " sent, " + std::to_string(b.judged) +
                  " judged, " + std::to_string(b.complete) + " complete; reliability min " +
                  ppm_percent(b.reliability_min_ppm) + " mean " +
                  ppm_percent(b.reliability_mean_ppm) + "\n";
  s += "    " + std::string(rmr) + "; latency p50 " + ms_text(b.latency_p50_us) + " p90 " +
       ms_text(b.latency_p90_us) + " p99 " + ms_text(b.latency_p99_us) + " max " +
       ms_text(b.latency_max_us) + " (" + std::to_string(b.deliveries) + " deliveries); diameter " +
       std::to_string(b.diameter) + (b.connected ? "" : " (not connected)") + "\n";
  return s;
}

// The registry workload, its convergence summary and the disruptions.
std::string registry_text(const RegistryReport& g) {
  std::string s = "registry: " + std::to_string(g.registrations) + " registered, " +
                  std::to_string(g.refused) + " refused, " + std::to_string(g.unregistrations) +
                  " unregistered, " + std::to_string(g.unregister_refused) +
                  " unregister refused; " + std::to_string(g.instances_at_end) +
                  " instances at the end\n";
  s += "  convergence: " + std::to_string(g.converged) + " intervals closed";
  if (g.converged > 0) {
    s += ", median " + format_seconds(g.median) + " p90 " + format_seconds(g.p90) + " max " +
         format_seconds(g.max);
  }
  s += "; " + std::to_string(g.samples) + " samples; agreeing since " +
       instant_text(g.agreed_since) + " (last truth change " + instant_text(g.last_truth_change) +
       ")\n";
  constexpr size_t kLinesMax = 40;  // the JSON report has them all
  for (size_t k = 0; k < g.disruptions.size() && k < kLinesMax; ++k) {
    const RegistryDisruption& d = g.disruptions[k];
    s += "  " + d.cause + " at " + instant_text(d.at) + ": ";
    s += d.agreed_at.is_never() ? std::string("no agreement by the end of the run\n")
                                : "agreement at " + instant_text(d.agreed_at) + " (" +
                                      format_seconds(d.agreed_at - d.at) + ")\n";
  }
  if (g.disruptions.size() > kLinesMax)
    s += "  ... " + std::to_string(g.disruptions.size() - kLinesMax) + " more disruptions\n";
  return s;
}

// The lookup and churn workloads, when the scenario has them.
std::string workload_text(const RunReport& r) {
  std::string s;
  const LookupReport& l = r.lookups;
  if (l.lookups > 0) {
    s += "lookups: " + std::to_string(l.lookups) + " (" + std::to_string(l.exact) + " exact, " +
         std::to_string(l.missing) + " missing, " + std::to_string(l.wrong) + " wrong); whereis " +
         std::to_string(l.whereis_hits) + " hits, " + std::to_string(l.whereis_misses) +
         " misses\n";
  }
  const ChurnReport& c = r.churn;
  if (c.arrivals + c.pool_empty > 0) {
    s += "churn: " + std::to_string(c.arrivals) + " arrivals (" + std::to_string(c.pool_empty) +
         " lost to an empty pool), " + std::to_string(c.departures_crash) + " crashed, " +
         std::to_string(c.departures_leave) + " left" +
         (c.capped > 0 ? ", capped at " + std::to_string(kChurnArrivalsMax) + " per step" : "") +
         "\n";
  }
  return s;
}

std::string run_text(const Scenario& s, const RunReport& r, double wall_seconds) {
  char rate[96];
  const double per_second = wall_seconds > 0 ? static_cast<double>(r.events) / wall_seconds : 0;
  std::snprintf(rate, sizeof rate, "%.3f s wall, %.0f events/s", wall_seconds, per_second);
  return "virtual time: " + instant_text(r.end_time) + " of " + format_seconds(s.duration) +
         "\nevents: " + std::to_string(r.events) + " (" + rate +
         ")\nlive nodes: " + std::to_string(r.live_nodes) + " of " + std::to_string(s.node_count) +
         "\n";
}

}  // namespace

std::string_view expectation_kind_name(Expectation::Kind kind) {
  switch (kind) {
    case Expectation::Kind::kConnected:
      return "connected";
    case Expectation::Kind::kSymmetric:
      return "symmetric";
    case Expectation::Kind::kViewBounds:
      return "view_bounds";
    case Expectation::Kind::kHealedWithin:
      return "healed_within";
    case Expectation::Kind::kActiveMin:
      return "active_min";
    case Expectation::Kind::kReliability:
      return "reliability";
    case Expectation::Kind::kRegistryConverged:
      return "registry_converged";
    case Expectation::Kind::kNoLiveDead:
      return "no_live_dead";
    case Expectation::Kind::kMsgsPerNode:
      return "msgs_per_node_per_second";
  }
  return "unknown";
}

std::string describe_check(const Expectation& e) {
  std::string s(expectation_kind_name(e.kind));
  if (e.kind == Expectation::Kind::kActiveMin)
    s += " " + std::to_string(e.count);
  if (e.kind == Expectation::Kind::kHealedWithin)
    s += " " + format_duration(e.within);
  if (e.kind == Expectation::Kind::kRegistryConverged && e.within > Duration::zero())
    s += " within " + format_duration(e.within);
  if (e.kind == Expectation::Kind::kReliability) {
    s += " " + format_ppm(e.reliability_ppm) + " since " + format_duration(e.since);
    if (e.settle > Duration::zero())
      s += " settle " + format_duration(e.settle);
  }
  if (e.kind == Expectation::Kind::kMsgsPerNode)
    s += " <= " + format_ppm(e.msgs_max_ppm) + " since " + format_duration(e.since);
  return s;
}

std::string format_header(const Scenario& s, const std::string& scenario_path) {
  BARREL_ASSERT(s.node_count >= 1);
  std::string out = "scenario: " + s.name + " (" + scenario_path + ")\n";
  if (!s.description.empty())
    out += "description: " + s.description + "\n";
  out += "seed: " + std::to_string(s.seed) + "\n";
  NodeNames names;
  std::string why;
  const bool named = NodeNames::make(s.name_pattern, s.node_count, &names, &why);
  out += "nodes: " + std::to_string(s.node_count) + " (" +
         (named ? names.describe() : s.name_pattern) + ")\n";
  out += "duration: " + format_seconds(s.duration) + " (max_events " +
         std::to_string(s.max_events) + ", probe_period " + format_duration(s.probe_period) + ")\n";
  out += "latency: " + latency_text(s.network.latency) + "\n";
  out += "detection delay: " + format_duration(s.network.detection_delay) + "\n";
  out += std::string("wire mode: ") + (s.network.wire_mode ? "on" : "off") + "\n";
  if (s.network.loss_ppm > 0)
    out += "loss: " + format_ppm(s.network.loss_ppm) + " (a lost packet delays its stream)\n";
  out += "hyparview: " + config_text(s.node_config.hyparview) + "\n";
  return out;
}

std::string format_summary(const Scenario& s, const RunReport& r, double wall_seconds) {
  std::string out = run_text(s, r, wall_seconds);
  out += counters_text(r);
  if (!r.broadcast_summaries.empty() && r.broadcast_summaries[0].sent > 0) {
    out += "broadcasts (by send instant; judged at the end):\n";
    for (const BroadcastSummary& b : r.broadcast_summaries)
      out += broadcast_text(b);
  }
  if (r.registry.active)
    out += registry_text(r.registry);
  out += workload_text(r);
  if (!r.healings.empty()) {
    out += "healing:\n";
    for (const HealingRecord& h : r.healings)
      out += "  " + healing_text(h) + "\n";
  }
  if (!r.expectations.empty()) {
    out += "expectations:\n";
    for (const ExpectationResult& x : r.expectations)
      out += "  " + expectation_text(x) + "\n";
  }
  if (!r.nodes.empty()) {
    out += "views (first " + std::to_string(r.nodes.size()) + " nodes):\n";
    for (const NodeSummary& n : r.nodes) {
      out += "  " + n.name + (n.alive ? "" : " (down)") + ": active " + names_text(n.active) +
             " passive " + names_text(n.passive) + "\n";
    }
  }
  if (!r.failure.empty())
    out += "run failure: " + r.failure + "\n";
  return out;
}

std::string format_failures(const RunReport& r) {
  std::string out;
  if (!r.failure.empty())
    out += "run failure: " + r.failure + "\n";
  for (const ExpectationResult& x : r.expectations) {
    if (!x.passed)
      out += expectation_text(x) + "\n";
  }
  return out;
}

std::string trace_hash_line(uint64_t trace_hash) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "trace hash: 0x%016" PRIx64 "\n", trace_hash);
  return buf;
}

}  // namespace barrel::sim
