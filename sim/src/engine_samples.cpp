// engine_samples.cpp — the run's time series (RunReport::samples), the
// view-size histograms at the end, and the progress callback.
//
// A sample at instant T is the state after every event at instants <= T: the
// loop takes it just before processing the first event later than T
// (sample_before). Sampling only reads the nodes, the counters and the
// metrics; it pushes no event and adds nothing to the trace hash, so a run's
// events and hash are the same whatever the sample period.
#include <algorithm>

#include "barrel/assert.h"
#include "engine.h"

namespace barrel::sim {
namespace {

// The duration / kSamplesTarget, rounded up to a millisecond, at least
// kSamplePeriodMin: about 500 points per chart whatever the run's length.
constexpr int64_t kSamplesTarget = 500;
constexpr Duration kSamplePeriodMin = Duration::millis(10);

Duration auto_period(Duration duration) {
  const int64_t ms = (duration.us() / kSamplesTarget + 999) / 1000;
  return std::max(Duration::millis(ms), kSamplePeriodMin);
}

void add_to_histogram(std::vector<uint32_t>* histogram, size_t value) {
  if (histogram->size() <= value)
    histogram->resize(value + 1, 0);
  (*histogram)[value] += 1;
}

}  // namespace

void Engine::setup_samples() {
  sample_period_ = options_.sample_period > Duration::zero() ? options_.sample_period
                                                             : auto_period(scenario_.duration);
  BARREL_ASSERT(sample_period_ > Duration::zero());
  next_sample_at_ = Instant::zero();
  report_.samples.reserve(std::min<size_t>(kRunSamplesMax, 1024));
}

// Bounded: each iteration moves next_sample_at_ forward by a positive period,
// and stops past end_.
void Engine::sample_before(Instant next_event) {
  while (next_sample_at_ < next_event && next_sample_at_ <= end_) {
    take_sample(next_sample_at_);
    next_sample_at_ = next_sample_at_ + sample_period_;
  }
}

void Engine::take_sample(Instant at) {
  BARREL_ASSERT(report_.samples.empty() || report_.samples.back().at < at);
  if (report_.samples.size() == kRunSamplesMax)
    thin_samples();
  RunSample s;
  s.at = at;
  s.live = alive_count_;
  s.messages_sent = report_.messages.sent;
  s.messages_delivered = report_.messages.delivered;
  s.messages_dropped = report_.messages.dropped;
  s.bytes_encoded = report_.messages.bytes_encoded;
  s.broadcasts_sent = static_cast<uint32_t>(broadcasts_.records().size());
  s.broadcast_deliveries = broadcasts_.deliveries();
  const uint64_t truth = registry_active_ ? registry_truth_.hash() : 0;
  s.active_min = UINT32_MAX;
  for (uint32_t i = 0; i < node_count_; ++i) {
    const SimNode& n = nodes_[i];
    if (!n.member())
      continue;
    const uint32_t active = n.active_size;
    s.members += 1;
    s.active_sum += active;
    s.active_min = std::min(s.active_min, active);
    s.active_max = std::max(s.active_max, active);
    s.passive_sum += n.passive_size;
    if (registry_active_ && registry_agreement_.view(i) == truth)
      s.registry_agreeing += 1;
  }
  if (s.members == 0)
    s.active_min = 0;
  report_.samples.push_back(s);
  BARREL_ASSERT(report_.samples.size() <= kRunSamplesMax);
}

// The series is full: keep every other sample (the first included) and
// double the period, so the kept ones stay evenly spaced and the next sample
// (at the back + the new period) continues the series.
void Engine::thin_samples() {
  std::vector<RunSample>& v = report_.samples;
  BARREL_ASSERT(v.size() == kRunSamplesMax && kRunSamplesMax % 2 == 0);
  for (size_t k = 0; 2 * k < v.size(); ++k)
    v[k] = v[2 * k];
  v.resize(kRunSamplesMax / 2);
  sample_period_ = sample_period_ * 2;
  BARREL_ASSERT(v.back().at + sample_period_ == next_sample_at_);
}

// The samples left up to the end (or up to the failure), then the
// histograms of the members' view sizes.
void Engine::finish_samples() {
  if (next_sample_at_.is_never())
    return;  // the run did not set up
  const Instant last = report_.failure.empty() ? end_ : now_;
  sample_before(last + Duration::micros(1));
  report_.sample_period = sample_period_;
  report_.active_degree_histogram.clear();
  report_.passive_size_histogram.clear();
  for (const SimNode& n : nodes_) {
    if (!n.member())
      continue;
    add_to_histogram(&report_.active_degree_histogram, n.active_size);
    add_to_histogram(&report_.passive_size_histogram, n.passive_size);
  }
}

void Engine::report_progress() {
  BARREL_ASSERT(options_.progress != nullptr);
  RunProgress p;
  p.now = now_;
  p.end = end_;
  p.events = report_.events;
  options_.progress(p);
}

}  // namespace barrel::sim
