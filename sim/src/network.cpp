// network.cpp — latency per link and the monitored-link bookkeeping
// (semantics in network.h).
#include "network.h"

#include <algorithm>
#include <bit>
#include <string>
#include <utility>

#include "barrel/assert.h"
#include "barrel/rng.h"
#include "latency_model.h"

namespace barrel::sim {
namespace {

template <typename T>
bool erase_first(std::vector<T>* v, const T& value) {
  auto it = std::find(v->begin(), v->end(), value);
  if (it == v->end())
    return false;
  v->erase(it);  // keeps the order: lists stay in insertion order
  return true;
}

}  // namespace

Network::Network(const NetworkSpec& spec, uint64_t network_seed, uint64_t loss_seed,
                 uint32_t node_count)
    : latency_(spec.latency),
      detection_delay_(spec.detection_delay),
      loss_ppm_(spec.loss_ppm),
      duplicate_ppm_(spec.duplicate_ppm),
      reorder_ppm_(spec.reorder_ppm),
      reorder_delay_(spec.reorder_delay),
      bandwidth_(spec.bandwidth_bytes_per_s),
      seed_(network_seed),
      loss_rng_(loss_seed),
      duplicate_rng_(derive_seed(network_seed, SeedDomain::kNetwork, 1)),
      reorder_rng_(derive_seed(network_seed, SeedDomain::kNetwork, 2)),
      links_(node_count) {
  std::string why;
  BARREL_ASSERT(latency_model_valid(latency_, &why));
  BARREL_ASSERT(loss_ppm_ < kPpmOne);
  BARREL_ASSERT(duplicate_ppm_ <= kPpmOne && reorder_ppm_ <= kPpmOne);
  BARREL_ASSERT(reorder_delay_ >= Duration::zero());
  if (bandwidth_ > 0)
    uplink_free_.assign(node_count, Instant::zero());
}

void Network::set_link_classes(std::vector<LatencyModel> models, std::vector<uint32_t> masks) {
  BARREL_ASSERT(models.size() <= kLinkOverridesMax);
  BARREL_ASSERT(masks.size() == links_.size());
  class_models_ = std::move(models);
  class_masks_ = std::move(masks);
  if (class_models_.empty())
    class_masks_.clear();
}

Duration Network::retransmit_delay(Duration latency) const {
  constexpr Duration kGranularity = Duration::millis(1);  // QUIC's timer granularity
  const Duration d = latency * 3;
  return d < kGranularity ? kGranularity : d;
}

// Sends serialise on the sender's up-link: this one starts when the link is
// free and leaves when its last byte is out.
Instant Network::depart(uint32_t from, Instant now, uint64_t bytes) {
  if (bandwidth_ == 0)
    return now;
  BARREL_ASSERT(bytes < (uint64_t{1} << 40));  // frames are bounded far below
  Instant& free_at = uplink_free_[from];
  const Instant start = free_at > now ? free_at : now;
  const uint64_t tx_us = (bytes * 1'000'000 + bandwidth_ - 1) / bandwidth_;
  free_at = start + Duration::micros(static_cast<int64_t>(tx_us));
  BARREL_ASSERT(free_at >= now);
  return free_at;
}

// Stream order: a message no earlier than a delayed one before it on the
// same link (to the same incarnation); records this one if it is delayed.
Instant Network::hold_in_order(uint32_t from, uint32_t to, uint32_t to_epoch, Instant sent,
                               Instant at, Instant unhindered) {
  // A stall over by now cannot hold back a message sent now.
  std::vector<Stall>& stalls = links_[from].stalls;
  std::erase_if(stalls, [sent](const Stall& s) { return s.until <= sent; });
  auto it = std::find_if(stalls.begin(), stalls.end(), [to](const Stall& s) { return s.to == to; });
  // Equal instants keep the send order (the heap breaks ties by push order).
  if (it != stalls.end() && it->epoch == to_epoch && it->until > at)
    at = it->until;
  if (at > unhindered) {
    if (it != stalls.end()) {
      *it = Stall{to, to_epoch, at};
    } else {
      stalls.push_back(Stall{to, to_epoch, at});
    }
  }
  BARREL_ASSERT(stalls.size() <= links_.size());
  return at;
}

Network::Transit Network::transit(uint32_t from, uint32_t to, uint32_t to_epoch, Instant now,
                                  uint64_t bytes) {
  BARREL_ASSERT(from != to);
  const Duration lat = latency(from, to);
  const Instant sent = depart(from, now, bytes);
  Transit t;
  t.at = sent + lat;
  if (loss_ppm_ > 0) {
    // Bounded by kLossRoundsMax.
    while (t.lost_rounds < kLossRoundsMax && loss_rng_.chance(loss_ppm_)) {
      t.lost_rounds += 1;
      t.at = t.at + retransmit_delay(lat);
    }
    t.at = hold_in_order(from, to, to_epoch, sent, t.at, sent + lat);
  }
  constexpr Duration kFloor = Duration::millis(1);
  if (reorder_ppm_ > 0 && reorder_rng_.chance(reorder_ppm_)) {
    Duration bound = reorder_delay_;
    if (bound == Duration::zero())
      bound = lat * 2 < kFloor ? kFloor : lat * 2;
    t.at = t.at + Duration::micros(reorder_rng_.range(0, bound.us()));
    t.reordered = true;
  }
  if (duplicate_ppm_ > 0 && duplicate_rng_.chance(duplicate_ppm_)) {
    const Duration bound = lat < kFloor ? kFloor : lat;
    t.duplicate_at = t.at + Duration::micros(duplicate_rng_.range(0, bound.us()));
  }
  BARREL_ASSERT(t.at >= now + lat);
  return t;
}

const LatencyModel& Network::model_of(uint32_t a, uint32_t b) const {
  if (class_masks_.empty())
    return latency_;
  constexpr uint32_t kFromBits = 0x55555555u;  // bit 2k of each override k
  const uint32_t ma = class_masks_[a];
  const uint32_t mb = class_masks_[b];
  const uint32_t hit =
      ((ma & kFromBits) & ((mb >> 1) & kFromBits)) | ((mb & kFromBits) & ((ma >> 1) & kFromBits));
  if (hit == 0)
    return latency_;
  const auto k = static_cast<size_t>(std::countr_zero(hit) / 2);  // the first override wins
  BARREL_ASSERT(k < class_models_.size());
  return class_models_[k];
}

Duration Network::latency(uint32_t a, uint32_t b) const {
  const LatencyModel& m = model_of(a, b);
  if (m.kind == LatencyModel::Kind::kConstant)
    return m.min;
  const uint64_t lo = std::min(a, b);
  const uint64_t hi = std::max(a, b);
  uint64_t state = seed_ ^ ((lo << 32) | hi);
  return draw_latency(m, &state);
}

void Network::open(uint32_t n, uint32_t x, uint32_t x_epoch) {
  BARREL_ASSERT(n != x);
  BARREL_ASSERT(x_epoch != kNoEpoch);
  if (monitored_epoch(n, x) != kNoEpoch)
    return;
  links_[n].monitors.push_back(Monitor{x, x_epoch});
  links_[x].monitored_by.push_back(n);
}

void Network::close(uint32_t n, uint32_t x) {
  auto& mine = links_[n].monitors;
  auto it = std::find_if(mine.begin(), mine.end(), [x](const Monitor& m) { return m.peer == x; });
  if (it == mine.end())
    return;
  mine.erase(it);
  // Absent when X crashed since (its reverse index was handed out then).
  erase_first(&links_[x].monitored_by, n);
}

uint32_t Network::monitored_epoch(uint32_t n, uint32_t x) const {
  for (const Monitor& m : links_[n].monitors) {
    if (m.peer == x)
      return m.epoch;
  }
  return kNoEpoch;
}

void Network::crash(uint32_t x, std::vector<uint32_t>* monitors) {
  Links& l = links_[x];
  monitors->insert(monitors->end(), l.monitored_by.begin(), l.monitored_by.end());
  l.monitored_by.clear();
  for (const Monitor& m : l.monitors)
    erase_first(&links_[m.peer].monitored_by, x);
  l.monitors.clear();
  l.pending_failures.clear();
  l.stalls.clear();  // its streams died with it
  if (!uplink_free_.empty())
    uplink_free_[x] = Instant::zero();  // a new incarnation starts with an idle up-link
  BARREL_ASSERT(l.monitors.empty() && l.monitored_by.empty());
}

bool Network::add_pending_failure(uint32_t n, uint32_t x) {
  auto& p = links_[n].pending_failures;
  if (std::find(p.begin(), p.end(), x) != p.end())
    return false;
  p.push_back(x);
  return true;
}

bool Network::take_pending_failure(uint32_t n, uint32_t x) {
  return erase_first(&links_[n].pending_failures, x);
}

}  // namespace barrel::sim
