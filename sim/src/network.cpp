// network.cpp — latency per link and the monitored-link bookkeeping
// (semantics in network.h).
#include "network.h"

#include <algorithm>

#include "barrel/assert.h"
#include "barrel/rng.h"

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
      seed_(network_seed),
      loss_rng_(loss_seed),
      links_(node_count) {
  BARREL_ASSERT(latency_.min >= Duration::zero());
  BARREL_ASSERT(latency_.kind == LatencyModel::Kind::kConstant || latency_.max >= latency_.min);
  BARREL_ASSERT(loss_ppm_ < kPpmOne);
}

Duration Network::retransmit_delay(Duration latency) const {
  constexpr Duration kGranularity = Duration::millis(1);  // QUIC's timer granularity
  const Duration d = latency * 3;
  return d < kGranularity ? kGranularity : d;
}

Instant Network::arrival(uint32_t from, uint32_t to, uint32_t to_epoch, Instant now,
                         uint32_t* lost_rounds) {
  BARREL_ASSERT(from != to);
  const Duration lat = latency(from, to);
  *lost_rounds = 0;
  if (loss_ppm_ == 0)
    return now + lat;
  Instant at = now + lat;
  // Bounded by kLossRoundsMax.
  while (*lost_rounds < kLossRoundsMax && loss_rng_.chance(loss_ppm_)) {
    *lost_rounds += 1;
    at = at + retransmit_delay(lat);
  }
  // A stall over by now cannot hold back a message sent now.
  std::vector<Stall>& stalls = links_[from].stalls;
  std::erase_if(stalls, [now](const Stall& s) { return s.until <= now; });
  auto it = std::find_if(stalls.begin(), stalls.end(), [to](const Stall& s) { return s.to == to; });
  // Stream order: behind a delayed message to the same incarnation. Equal
  // instants keep the send order (the heap breaks ties by push order).
  if (it != stalls.end() && it->epoch == to_epoch && it->until > at)
    at = it->until;
  if (at > now + lat) {
    if (it != stalls.end()) {
      *it = Stall{to, to_epoch, at};
    } else {
      stalls.push_back(Stall{to, to_epoch, at});
    }
  }
  BARREL_ASSERT(stalls.size() <= links_.size());
  return at;
}

Duration Network::latency(uint32_t a, uint32_t b) const {
  if (latency_.kind == LatencyModel::Kind::kConstant)
    return latency_.min;
  const uint64_t lo = std::min(a, b);
  const uint64_t hi = std::max(a, b);
  uint64_t state = seed_ ^ ((lo << 32) | hi);
  const uint64_t r = splitmix64(&state);
  const uint64_t span = static_cast<uint64_t>((latency_.max - latency_.min).us()) + 1;
  return latency_.min + Duration::micros(static_cast<int64_t>(r % span));
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
