// report_csv.cpp — the time series as CSV (see report_csv.h for the columns).
#include "barrel/sim/report_csv.h"

#include <cinttypes>
#include <cstdio>

#include "sample_rates.h"

namespace barrel::sim {
namespace {

constexpr const char* kHeader =
    "time_s,live_nodes,members,messages_sent_per_s,messages_delivered_per_s,"
    "messages_dropped_per_s,bytes_encoded_per_s,active_degree_mean,active_degree_min,"
    "active_degree_max,passive_size_mean,broadcasts_sent,broadcast_deliveries,"
    "broadcast_deliveries_per_s,registry_agreement\n";

std::string row(const RunReport& r, size_t k) {
  const std::vector<RunSample>& v = r.samples;
  const RunSample& s = v[k];
  char buf[512];
  const int n = std::snprintf(
      buf, sizeof buf,
      "%" PRIu64 ".%06" PRIu64 ",%u,%u,%.3f,%.3f,%.3f,%.3f,%.3f,%u,%u,%.3f,%u,%" PRIu64 ",%.3f,",
      s.at.us() / 1000000, s.at.us() % 1000000, s.live, s.members,
      rate_per_second(v, k, &RunSample::messages_sent),
      rate_per_second(v, k, &RunSample::messages_delivered),
      rate_per_second(v, k, &RunSample::messages_dropped),
      rate_per_second(v, k, &RunSample::bytes_encoded), mean_of(s.active_sum, s.members),
      s.active_min, s.active_max, mean_of(s.passive_sum, s.members), s.broadcasts_sent,
      s.broadcast_deliveries, rate_per_second(v, k, &RunSample::broadcast_deliveries));
  BARREL_ASSERT(n > 0 && static_cast<size_t>(n) < sizeof buf);
  std::string line(buf, static_cast<size_t>(n));
  if (r.registry.active) {
    std::snprintf(buf, sizeof buf, "%.6f", agreement_of(s));
    line += buf;
  }
  return line + "\n";
}

}  // namespace

std::string report_to_csv(const RunReport& report) {
  std::string out = kHeader;
  for (size_t k = 0; k < report.samples.size(); ++k)
    out += row(report, k);
  return out;
}

}  // namespace barrel::sim
