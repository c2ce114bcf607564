// report_json.cpp — a small pretty-printing JSON writer and the RunReport layout.
#include "barrel/sim/report_json.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <vector>

#include "barrel/assert.h"
#include "barrel/sim/report_text.h"

namespace barrel::sim {
namespace {

// Writes one JSON value into a string, tracking commas and indentation.
// Containers nest at most a few levels; the stack is bounded by the layout.
class JsonWriter {
 public:
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void key(std::string_view k) {
    BARREL_ASSERT(!stack_.empty() && stack_.back().object);
    element();
    out_ += json_quote(k);
    out_ += ": ";
    after_key_ = true;
  }
  void string(std::string_view s) { scalar(json_quote(s)); }
  void uint(uint64_t v) { scalar(std::to_string(v)); }
  void boolean(bool b) { scalar(b ? "true" : "false"); }
  void null() { scalar("null"); }
  // Finite doubles only; JSON has no NaN or infinity.
  void real(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, std::isfinite(v) ? v : 0.0);
    scalar(buf);
  }
  std::string take() {
    BARREL_ASSERT(stack_.empty());
    return std::move(out_) + "\n";
  }

 private:
  struct Level {
    bool object;
    bool empty;
  };
  void element() {
    if (stack_.empty())
      return;
    if (!stack_.back().empty)
      out_ += ",";
    stack_.back().empty = false;
    out_ += "\n";
    out_.append(2 * stack_.size(), ' ');
  }
  void scalar(std::string_view text) {
    if (!after_key_)
      element();
    after_key_ = false;
    out_ += text;
  }
  void open(char c) {
    scalar(std::string(1, c));
    stack_.push_back(Level{c == '{', true});
  }
  void close(char c) {
    BARREL_ASSERT(!stack_.empty());
    BARREL_ASSERT(stack_.back().object == (c == '}'));
    const bool empty = stack_.back().empty;
    stack_.pop_back();
    if (!empty) {
      out_ += "\n";
      out_.append(2 * stack_.size(), ' ');
    }
    out_ += c;
  }
  std::string out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

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
  if (e.kind == Expectation::Kind::kHealedWithin) {
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
  write_array(w, "nodes", report.nodes, write_node);
  w.end_object();
  return w.take();
}

}  // namespace barrel::sim
