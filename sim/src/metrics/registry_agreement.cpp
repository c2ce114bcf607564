// registry_agreement.cpp — disagreement intervals, disruption answers and
// the convergence summary.
#include "metrics/registry_agreement.h"

#include <algorithm>

#include "barrel/assert.h"

namespace barrel::sim {
namespace {

// Nearest rank: the smallest value with at least q/100 of the values at or below it.
Duration rank(const std::vector<int64_t>& sorted, uint32_t q) {
  BARREL_ASSERT(!sorted.empty() && q >= 1 && q <= 100);
  const size_t n = sorted.size();
  const size_t k = (n * q + 99) / 100;  // ceil(n * q / 100), >= 1
  return Duration::micros(sorted[k - 1]);
}

}  // namespace

void RegistryAgreement::on_truth_change(Instant at) {
  last_change_ = at;
  if (agreeing_ && pending_change_.is_never())
    pending_change_ = at;
}

void RegistryAgreement::on_disruption(const char* cause, Instant at) {
  BARREL_ASSERT(disruptions_.empty() || disruptions_.back().at <= at);
  if (disruptions_.size() >= kRegistryRecordsMax) {
    dropped_ += 1;
    return;
  }
  disruptions_.push_back(RegistryDisruption{cause, at, Instant::never()});
}

void RegistryAgreement::on_sample(Instant now, bool agree) {
  samples_ += 1;
  if (!agree) {
    if (agreeing_) {
      open_from_ = pending_change_.is_never() ? now : pending_change_;
      agreeing_ = false;
      agreed_since_ = Instant::never();
    }
    return;
  }
  if (!agreeing_) {
    BARREL_ASSERT(!open_from_.is_never() && open_from_ <= now);
    durations_us_.push_back((now - open_from_).us());
    if (intervals_.size() < kRegistryRecordsMax) {
      intervals_.push_back(RegistryInterval{open_from_, now});
    } else {
      dropped_ += 1;
    }
    open_from_ = Instant::never();
    agreeing_ = true;
    agreed_since_ = now;
  }
  pending_change_ = Instant::never();
  // Disruptions come in time order: every one before `now` is answered now.
  while (unanswered_from_ < disruptions_.size() && disruptions_[unanswered_from_].at < now) {
    disruptions_[unanswered_from_].agreed_at = now;
    unanswered_from_ += 1;
  }
}

void RegistryAgreement::finish(RegistryReport* out) const {
  out->samples = samples_;
  out->intervals = intervals_;
  if (!agreeing_ && out->intervals.size() < kRegistryRecordsMax)
    out->intervals.push_back(RegistryInterval{open_from_, Instant::never()});
  out->disruptions = disruptions_;
  out->records_dropped = dropped_;
  out->agreed_since = agreed_since_;
  out->last_truth_change = last_change_;
  out->converged = static_cast<uint32_t>(durations_us_.size());
  if (durations_us_.empty())
    return;
  std::vector<int64_t> sorted = durations_us_;
  std::sort(sorted.begin(), sorted.end());
  out->median = rank(sorted, 50);
  out->p90 = rank(sorted, 90);
  out->max = Duration::micros(sorted.back());
}

}  // namespace barrel::sim
