// registry_agreement.h — whether the nodes' registry views agree with the
// truth over time, and how long they take to converge again.
//
// Each node's view is a commutative hash of the instances it announced by
// events (registry_truth.h): + registry_pair_hash on ServiceRegistered, − on
// ServiceUnregistered and ServiceDown; O(1) per event, reset when the node
// crashes or starts. The engine samples every probe_period whether every live
// member's view equals the truth's hash, and feeds the verdicts here, with
// every truth change and every disruption (register, unregister, crash,
// restart, leave and heal steps).
//
// A disagreement interval opens at the first disagreeing sample after an
// agreeing one — dated back to the first truth change since that agreeing
// sample, if any, so a convergence time counts from the change that caused
// it — and closes at the next agreeing sample. A disruption is answered by
// the first agreeing sample after its instant.
//
// Bounds: at most kRegistryRecordsMax intervals and disruptions are kept
// (beyond, they are counted); convergence durations are kept for every
// closed interval, at most one per sample.
//
// Thread-safety: one owner.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "barrel/sim/simulator.h"
#include "barrel/time.h"

namespace barrel::sim {

class RegistryAgreement {
 public:
  explicit RegistryAgreement(uint32_t node_count) : views_(node_count, 0) {}

  void on_registered(uint32_t node, uint64_t pair_hash) { views_[node] += pair_hash; }
  void on_removed(uint32_t node, uint64_t pair_hash) { views_[node] -= pair_hash; }
  void reset_node(uint32_t node) { views_[node] = 0; }
  uint64_t view(uint32_t node) const { return views_[node]; }

  void on_truth_change(Instant at);
  void on_disruption(const char* cause, Instant at);
  void on_sample(Instant now, bool agree);
  bool agreeing() const { return agreeing_; }
  Instant agreed_since() const { return agreed_since_; }
  Instant last_truth_change() const { return last_change_; }

  // Fills the convergence fields of *out (intervals, disruptions, summary).
  void finish(RegistryReport* out) const;

 private:
  std::vector<uint64_t> views_;
  bool agreeing_ = true;                       // the last sample agreed (nothing registered agrees)
  Instant pending_change_ = Instant::never();  // first change since the last agreeing sample
  Instant last_change_ = Instant::never();
  Instant agreed_since_ = Instant::zero();
  Instant open_from_ = Instant::never();
  uint64_t samples_ = 0;
  uint64_t dropped_ = 0;
  std::vector<RegistryInterval> intervals_;
  std::vector<int64_t> durations_us_;  // of every closed interval
  std::vector<RegistryDisruption> disruptions_;
  size_t unanswered_from_ = 0;  // disruptions before it have their agreed_at
};

}  // namespace barrel::sim
