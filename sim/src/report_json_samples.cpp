// report_json_samples.cpp — the time series and histograms in the JSON
// report: raw cumulative counters, integers only (rates are the reader's).
#include "report_json_samples.h"

namespace barrel::sim {
namespace {

void write_sample(JsonWriter& w, const RunSample& s, bool registry) {
  w.begin_object();
  w.key("at_us");
  w.uint(s.at.us());
  w.key("live");
  w.uint(s.live);
  w.key("members");
  w.uint(s.members);
  w.key("messages_sent");
  w.uint(s.messages_sent);
  w.key("messages_delivered");
  w.uint(s.messages_delivered);
  w.key("messages_dropped");
  w.uint(s.messages_dropped);
  w.key("bytes_encoded");
  w.uint(s.bytes_encoded);
  w.key("active_min");
  w.uint(s.active_min);
  w.key("active_max");
  w.uint(s.active_max);
  w.key("active_sum");
  w.uint(s.active_sum);
  w.key("passive_sum");
  w.uint(s.passive_sum);
  w.key("broadcasts_sent");
  w.uint(s.broadcasts_sent);
  w.key("broadcast_deliveries");
  w.uint(s.broadcast_deliveries);
  if (registry) {
    w.key("registry_agreeing");
    w.uint(s.registry_agreeing);
  }
  w.end_object();
}

void write_histogram(JsonWriter& w, const char* key, const std::vector<uint32_t>& h) {
  w.key(key);
  w.begin_array();
  for (uint32_t n : h)
    w.uint(n);
  w.end_array();
}

}  // namespace

void write_samples(JsonWriter& w, const RunReport& r) {
  w.key("sample_period_us");
  w.uint(static_cast<uint64_t>(r.sample_period.us()));
  w.key("samples");
  w.begin_array();
  for (const RunSample& s : r.samples)
    write_sample(w, s, r.registry.active);
  w.end_array();
  write_histogram(w, "active_degree_histogram", r.active_degree_histogram);
  write_histogram(w, "passive_size_histogram", r.passive_size_histogram);
}

}  // namespace barrel::sim
