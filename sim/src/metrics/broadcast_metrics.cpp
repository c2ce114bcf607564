// broadcast_metrics.cpp — bookkeeping of broadcasts and their aggregates.
#include "metrics/broadcast_metrics.h"

#include <algorithm>
#include <bit>

#include "barrel/assert.h"

namespace barrel::sim {

uint32_t NodeBits::count() const {
  uint32_t c = 0;
  for (uint64_t w : words_)
    c += static_cast<uint32_t>(std::popcount(w));
  return c;
}

uint32_t NodeBits::count_and(const NodeBits& a) const {
  BARREL_ASSERT(a.n_ == n_);
  uint32_t c = 0;
  for (size_t k = 0; k < words_.size(); ++k)
    c += static_cast<uint32_t>(std::popcount(words_[k] & a.words_[k]));
  return c;
}

uint32_t NodeBits::count_and(const NodeBits& a, const NodeBits& b) const {
  BARREL_ASSERT(a.n_ == n_ && b.n_ == n_);
  uint32_t c = 0;
  for (size_t k = 0; k < words_.size(); ++k)
    c += static_cast<uint32_t>(std::popcount(words_[k] & a.words_[k] & b.words_[k]));
  return c;
}

Ppm Reliability::ppm() const {
  BARREL_ASSERT(delivered <= eligible);
  if (eligible == 0)
    return kPpmOne;
  return static_cast<Ppm>(uint64_t{delivered} * kPpmOne / eligible);
}

bool BroadcastTracker::on_sent(BroadcastKey id, uint32_t origin, Instant now,
                               const NodeBits& members) {
  BARREL_ASSERT(members.size() == node_count_);
  BARREL_ASSERT(origin < node_count_);
  if (records_.size() >= kBroadcastRecordsMax || index_.contains(id))
    return false;
  BroadcastRecord r;
  r.id = id;
  r.origin = origin;
  r.sent_at = now;
  r.members_at_send = members.count();
  r.last_delivery_at = now;
  r.eligible = members;
  r.got = NodeBits(node_count_);
  index_.emplace(id, static_cast<uint32_t>(records_.size()));
  records_.push_back(std::move(r));
  return true;
}

BroadcastTracker::Delivery BroadcastTracker::on_delivered(BroadcastKey id, uint32_t node,
                                                          uint16_t hops, Instant now) {
  BARREL_ASSERT(node < node_count_);
  const auto it = index_.find(id);
  if (it == index_.end())
    return Delivery::kUnknownId;
  BroadcastRecord& r = records_[it->second];
  BARREL_ASSERT(now >= r.sent_at);
  if (r.got.get(node))
    return Delivery::kDuplicate;
  r.got.set(node);
  deliveries_ += 1;
  if (!r.eligible.get(node))
    return Delivery::kCounted;  // joined after the send, or a later incarnation
  r.delivered += 1;
  r.last_hops = hops;
  r.max_hops = std::max(r.max_hops, hops);
  r.last_delivery_at = now;
  if (node != r.origin) {
    const int64_t us = (now - r.sent_at).us();
    r.latencies_us.push_back(us > int64_t{UINT32_MAX} ? UINT32_MAX : static_cast<uint32_t>(us));
  }
  return Delivery::kCounted;
}

void BroadcastTracker::on_gossip(BroadcastKey id) {
  const auto it = index_.find(id);
  if (it != index_.end())
    records_[it->second].gossip_received += 1;
}

void BroadcastTracker::on_crash(uint32_t node) {
  BARREL_ASSERT(node < node_count_);
  for (BroadcastRecord& r : records_) {
    r.eligible.clear(node);
    r.got.clear(node);
  }
}

Reliability BroadcastTracker::judge(const BroadcastRecord& r, const NodeBits& members_now) {
  Reliability out;
  out.eligible = r.eligible.count_and(members_now);
  out.delivered = r.eligible.count_and(members_now, r.got);
  return out;
}

bool BroadcastTracker::rmr(const BroadcastRecord& r, double* out) {
  if (r.delivered < 2)
    return false;
  *out = static_cast<double>(r.gossip_received) / static_cast<double>(r.delivered - 1) - 1.0;
  return true;
}

uint64_t percentile(std::vector<uint32_t>* values, uint32_t pct) {
  BARREL_ASSERT(pct >= 1 && pct <= 100);
  if (values->empty())
    return 0;
  // Nearest rank: the smallest value with at least pct % of the values at or below it.
  const size_t rank = (values->size() * pct + 99) / 100;
  BARREL_ASSERT(rank >= 1 && rank <= values->size());
  auto nth = values->begin() + static_cast<std::ptrdiff_t>(rank - 1);
  std::nth_element(values->begin(), nth, values->end());
  return *nth;
}

BroadcastSummary BroadcastTracker::summarize(const std::string& name, Instant from, Instant to,
                                             Instant judged_by, const NodeBits& members_now) const {
  BroadcastSummary s;
  s.name = name;
  s.from = from;
  s.to = to;
  s.reliability_min_ppm = kPpmOne;
  uint64_t reliability_sum = 0, ldh_sum = 0;
  uint32_t rmr_count = 0, ldh_count = 0;
  double rmr_sum = 0;
  std::vector<uint32_t> latencies;
  for (const BroadcastRecord& r : records_) {
    if (r.sent_at < from || r.sent_at >= to)
      continue;
    s.sent += 1;
    latencies.insert(latencies.end(), r.latencies_us.begin(), r.latencies_us.end());
    s.hops_max = std::max(s.hops_max, r.max_hops);
    double rmr_value = 0;
    if (rmr(r, &rmr_value)) {
      rmr_sum += rmr_value;
      rmr_count += 1;
      s.ldh_max = std::max(s.ldh_max, r.last_hops);
      ldh_sum += r.last_hops;
      ldh_count += 1;
    }
    if (r.sent_at > judged_by)
      continue;
    const Reliability rel = judge(r, members_now);
    s.judged += 1;
    s.complete += rel.delivered == rel.eligible ? 1 : 0;
    s.reliability_min_ppm = std::min(s.reliability_min_ppm, rel.ppm());
    reliability_sum += rel.ppm();
  }
  s.reliability_mean_ppm = s.judged == 0 ? kPpmOne : static_cast<Ppm>(reliability_sum / s.judged);
  s.rmr_mean = rmr_count == 0 ? 0.0 : rmr_sum / rmr_count;
  s.ldh_mean = ldh_count == 0 ? 0.0 : static_cast<double>(ldh_sum) / ldh_count;
  s.deliveries = latencies.size();
  s.latency_p50_us = percentile(&latencies, 50);
  s.latency_p90_us = percentile(&latencies, 90);
  s.latency_p99_us = percentile(&latencies, 99);
  s.latency_max_us = percentile(&latencies, 100);
  return s;
}

}  // namespace barrel::sim
