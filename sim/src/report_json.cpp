// report_json.cpp — a small pretty-printing JSON writer and the RunReport layout.
#include "barrel/sim/report_json.h"

#include <cinttypes>
#include <cstdio>
#include <vector>

#include "barrel/assert.h"
#include "barrel/sim/report_text.h"
#include "json_writer.h"
#include "report_json_samples.h"

namespace barrel::sim {
namespace {

std::string hex64(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%016" PRIx64, v);
  return buf;
}

void write_names(JsonWriter& w, const std::vector<std::string>& names) {
  w.begin_array();
  for (const std::string& n : names)
    w.string(n);
  w.end_array();
}

void write_counters(JsonWriter& w, const RunReport& r) {
  w.key("counters");
  w.begin_object();
  w.key("messages_sent");
  w.uint(r.messages.sent);
  w.key("messages_delivered");
  w.uint(r.messages.delivered);
  w.key("messages_dropped");
  w.uint(r.messages.dropped);
  w.key("messages_partitioned");
  w.uint(r.messages.partitioned);
  w.key("messages_retransmitted");
  w.uint(r.messages.retransmitted);
  w.key("messages_rejected");
  w.uint(r.messages.rejected);
  w.key("bytes_encoded");
  w.uint(r.messages.bytes_encoded);
  w.key("link_failures");
  w.uint(r.link_failures);
  w.key("link_downs");
  w.uint(r.link_downs);
  w.key("peer_ups");
  w.uint(r.peer_ups);
  w.key("peer_downs");
  w.uint(r.peer_downs);
  w.key("invariant_checks");
  w.uint(r.invariant_checks);
  w.end_object();
}

void write_expectation(JsonWriter& w, const ExpectationResult& x) {
  const Expectation& e = x.expectation;
  w.begin_object();
  w.key("kind");
  w.string(expectation_kind_name(e.kind));
  w.key("at_us");
  w.uint(static_cast<uint64_t>(e.at.us()));
  if (e.kind == Expectation::Kind::kHealedWithin ||
      (e.kind == Expectation::Kind::kRegistryConverged && e.within > Duration::zero())) {
    w.key("within_us");
    w.uint(static_cast<uint64_t>(e.within.us()));
  }
  if (e.kind == Expectation::Kind::kActiveMin) {
    w.key("count");
    w.uint(e.count);
  }
  if (e.kind == Expectation::Kind::kReliability) {
    w.key("reliability_ppm");
    w.uint(e.reliability_ppm);
    w.key("since_us");
    w.uint(static_cast<uint64_t>(e.since.us()));
    w.key("settle_us");
    w.uint(static_cast<uint64_t>(e.settle.us()));
  }
  if (e.kind == Expectation::Kind::kMsgsPerNode) {
    w.key("max_ppm");
    w.uint(e.msgs_max_ppm);
    w.key("since_us");
    w.uint(static_cast<uint64_t>(e.since.us()));
  }
  w.key("file");
  w.string(e.loc.file);
  w.key("line");
  w.uint(static_cast<uint64_t>(e.loc.line));
  w.key("column");
  w.uint(static_cast<uint64_t>(e.loc.column));
  w.key("passed");
  w.boolean(x.passed);
  w.key("detail");
  w.string(x.detail);
  w.end_object();
}

void write_healing(JsonWriter& w, const HealingRecord& h) {
  w.begin_object();
  w.key("cause");
  w.string(h.cause);
  w.key("crash_at_us");
  w.uint(h.crash_at.us());
  w.key("crashed");
  w.uint(h.crashed);
  w.key("live");
  w.uint(h.live);
  w.key("healed_at_us");
  if (h.healed_at.is_never()) {
    w.null();
  } else {
    w.uint(h.healed_at.us());
  }
  w.key("healing_us");
  if (h.healed_at.is_never()) {
    w.null();
  } else {
    w.uint(h.healed_at.us() - h.crash_at.us());
  }
  w.end_object();
}

void write_broadcast_summary(JsonWriter& w, const BroadcastSummary& b) {
  w.begin_object();
  w.key("name");
  w.string(b.name);
  w.key("from_us");
  w.uint(b.from.us());
  w.key("to_us");
  w.uint(b.to.us());
  w.key("sent");
  w.uint(b.sent);
  w.key("judged");
  w.uint(b.judged);
  w.key("complete");
  w.uint(b.complete);
  w.key("reliability_min_ppm");
  w.uint(b.reliability_min_ppm);
  w.key("reliability_mean_ppm");
  w.uint(b.reliability_mean_ppm);
  w.key("rmr_mean");
  w.real(b.rmr_mean, 4);
  w.key("ldh_max");
  w.uint(b.ldh_max);
  w.key("ldh_mean");
  w.real(b.ldh_mean, 3);
  w.key("hops_max");
  w.uint(b.hops_max);
  w.key("deliveries");
  w.uint(b.deliveries);
  w.key("latency_p50_us");
  w.uint(b.latency_p50_us);
  w.key("latency_p90_us");
  w.uint(b.latency_p90_us);
  w.key("latency_p99_us");
  w.uint(b.latency_p99_us);
  w.key("latency_max_us");
  w.uint(b.latency_max_us);
  w.key("diameter");
  w.uint(b.diameter);
  w.key("connected");
  w.boolean(b.connected);
  w.end_object();
}

void write_broadcast_record(JsonWriter& w, const BroadcastRecordReport& b) {
  w.begin_object();
  w.key("id");
  w.string(hex64(b.id_hi) + ":" + hex64(b.id_lo));
  w.key("origin");
  w.string(b.origin);
  w.key("sent_at_us");
  w.uint(b.sent_at.us());
  w.key("members_at_send");
  w.uint(b.members_at_send);
  w.key("delivered");
  w.uint(b.delivered);
  w.key("eligible_at_end");
  w.uint(b.eligible_at_end);
  w.key("delivered_at_end");
  w.uint(b.delivered_at_end);
  w.key("ldh");
  w.uint(b.ldh);
  w.key("max_hops");
  w.uint(b.max_hops);
  w.key("gossip_received");
  w.uint(b.gossip_received);
  w.key("last_delivery_us");
  w.uint(static_cast<uint64_t>(b.last_delivery.us()));
  w.end_object();
}

void write_node(JsonWriter& w, const NodeSummary& n) {
  w.begin_object();
  w.key("name");
  w.string(n.name);
  w.key("alive");
  w.boolean(n.alive);
  w.key("active");
  write_names(w, n.active);
  w.key("passive");
  write_names(w, n.passive);
  w.end_object();
}

// null for Instant::never().
void write_instant(JsonWriter& w, Instant t) {
  if (t.is_never()) {
    w.null();
  } else {
    w.uint(t.us());
  }
}

// null when `to` is never.
void write_span(JsonWriter& w, Instant from, Instant to) {
  if (to.is_never()) {
    w.null();
  } else {
    w.uint(to.us() - from.us());
  }
}

void write_registry(JsonWriter& w, const RegistryReport& g) {
  w.key("registry");
  w.begin_object();
  const std::pair<const char*, uint64_t> counts[] = {
      {"registrations", g.registrations},
      {"refused", g.refused},
      {"unregistrations", g.unregistrations},
      {"unregister_refused", g.unregister_refused},
      {"instances_at_end", g.instances_at_end},
      {"samples", g.samples},
      {"records_dropped", g.records_dropped},
      {"converged", g.converged},
      {"median_us", static_cast<uint64_t>(g.median.us())},
      {"p90_us", static_cast<uint64_t>(g.p90.us())},
      {"max_us", static_cast<uint64_t>(g.max.us())}};
  for (const auto& [key, value] : counts) {
    w.key(key);
    w.uint(value);
  }
  w.key("agreed_since_us");
  write_instant(w, g.agreed_since);
  w.key("last_truth_change_us");
  write_instant(w, g.last_truth_change);
  w.key("intervals");
  w.begin_array();
  for (const RegistryInterval& i : g.intervals) {
    w.begin_object();
    w.key("from_us");
    w.uint(i.from.us());
    w.key("to_us");
    write_instant(w, i.to);
    w.key("convergence_us");
    write_span(w, i.from, i.to);
    w.end_object();
  }
  w.end_array();
  w.key("disruptions");
  w.begin_array();
  for (const RegistryDisruption& d : g.disruptions) {
    w.begin_object();
    w.key("cause");
    w.string(d.cause);
    w.key("at_us");
    w.uint(d.at.us());
    w.key("agreed_at_us");
    write_instant(w, d.agreed_at);
    w.key("convergence_us");
    write_span(w, d.at, d.agreed_at);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

// The lookup and churn workloads (present when the scenario has them).
void write_workloads(JsonWriter& w, const RunReport& r) {
  const LookupReport& l = r.lookups;
  if (l.lookups > 0) {
    w.key("lookups");
    w.begin_object();
    const std::pair<const char*, uint64_t> fields[] = {
        {"lookups", l.lookups},           {"exact", l.exact},
        {"missing", l.missing},           {"wrong", l.wrong},
        {"whereis_hits", l.whereis_hits}, {"whereis_misses", l.whereis_misses}};
    for (const auto& [key, value] : fields) {
      w.key(key);
      w.uint(value);
    }
    w.end_object();
  }
  const ChurnReport& c = r.churn;
  if (c.arrivals + c.pool_empty > 0) {
    w.key("churn");
    w.begin_object();
    const std::pair<const char*, uint64_t> fields[] = {{"arrivals", c.arrivals},
                                                       {"pool_empty", c.pool_empty},
                                                       {"capped", c.capped},
                                                       {"departures_crash", c.departures_crash},
                                                       {"departures_leave", c.departures_leave}};
    for (const auto& [key, value] : fields) {
      w.key(key);
      w.uint(value);
    }
    w.end_object();
  }
}

void write_run(JsonWriter& w, const Scenario& s, const RunReport& r, double wall_seconds) {
  w.key("node_count");
  w.uint(s.node_count);
  w.key("duration_us");
  w.uint(static_cast<uint64_t>(s.duration.us()));
  w.key("end_time_us");
  w.uint(r.end_time.us());
  w.key("events");
  w.uint(r.events);
  w.key("wall_seconds");
  w.real(wall_seconds, 6);
  w.key("events_per_second");
  w.real(wall_seconds > 0 ? static_cast<double>(r.events) / wall_seconds : 0.0, 1);
  w.key("live_nodes");
  w.uint(r.live_nodes);
}

// "key": [ write(item) for each item ].
template <typename Items, typename Write>
void write_array(JsonWriter& w, const char* key, const Items& items, Write write) {
  w.key(key);
  w.begin_array();
  for (const auto& item : items)
    write(w, item);
  w.end_array();
}

}  // namespace

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string report_to_json(const Scenario& scenario, const RunReport& report,
                           const std::string& scenario_path, double wall_seconds) {
  JsonWriter w;
  w.begin_object();
  w.key("scenario");
  w.string(report.scenario_name.empty() ? scenario.name : report.scenario_name);
  w.key("file");
  w.string(scenario_path);
  w.key("description");
  w.string(scenario.description);
  w.key("seed");
  w.uint(report.seed);
  w.key("trace_hash");
  w.string(hex64(report.trace_hash));
  w.key("passed");
  w.boolean(report.passed());
  w.key("failure");
  w.string(report.failure);
  write_run(w, scenario, report, wall_seconds);
  write_counters(w, report);
  write_array(w, "expectations", report.expectations, write_expectation);
  write_array(w, "healings", report.healings, write_healing);
  write_array(w, "broadcast_summaries", report.broadcast_summaries, write_broadcast_summary);
  write_array(w, "broadcasts", report.broadcasts, write_broadcast_record);
  if (report.registry.active)
    write_registry(w, report.registry);
  write_workloads(w, report);
  write_samples(w, report);
  write_array(w, "nodes", report.nodes, write_node);
  w.end_object();
  return w.take();
}

}  // namespace barrel::sim
