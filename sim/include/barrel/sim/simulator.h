// simulator.h — the deterministic discrete-event simulator.
//
// Runs a Scenario: every node is a barrel::Node (the production core) driven
// by a virtual clock and an event heap ordered by (time, sequence), over a
// simulated network with QUIC-like connection semantics. One u64 seed drives
// the run (per-node and per-subsystem seeds are derived with derive_seed(), so
// adding a node does not reshuffle the others): the same scenario and seed give
// the same events, the same effects and the same trace hash, bit for bit.
//
// The trace hash is a running 64-bit word-wise hash (trace_hash.h) over every
// processed event (its time, sequence, kind, node, peer and epoch) and every
// effect the node emitted for it (a Send with its whole message).
//
// Thread-safety: one Simulator per thread; Simulators share nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "barrel/sim/observer.h"
#include "barrel/sim/scenario.h"
#include "barrel/time.h"

namespace barrel::sim {

struct ExpectationResult {
  Expectation expectation;
  bool passed = false;
  std::string detail;  // what was measured, e.g. "3 components among 500 live nodes"
};

// One disruption (a crash or restart action that crashed nodes, or a heal
// action that ended a partition) and when the live overlay was whole again.
struct HealingRecord {
  Instant crash_at;                      // the instant of the action
  uint32_t crashed = 0;                  // nodes crashed by the action
  uint32_t live = 0;                     // nodes live after it
  Instant healed_at = Instant::never();  // first probe after it with one component, symmetric
  std::string cause = "crash";           // "crash", "restart" or "heal"
};

struct NodeSummary {
  std::string name;
  bool alive = false;
  std::vector<std::string> active;
  std::vector<std::string> passive;
};

struct MessageCounters {
  uint64_t sent = 0;
  uint64_t delivered = 0;
  uint64_t dropped = 0;        // to a crashed node, or a node with no such connection
  uint64_t partitioned = 0;    // of the dropped ones: across a partition at arrival
  uint64_t retransmitted = 0;  // delayed by at least one loss (network.loss)
  uint64_t bytes_encoded = 0;  // wire mode only
  uint64_t rejected = 0;       // deliver() returned an error
};

// One broadcast, as measured by the simulator (see sim/src/metrics/).
struct BroadcastRecordReport {
  uint64_t id_hi = 0, id_lo = 0;
  std::string origin;
  Instant sent_at;
  uint32_t members_at_send = 0;   // live members (origin included) when it was sent
  uint32_t delivered = 0;         // of those, how many delivered it (origin included)
  uint32_t eligible_at_end = 0;   // of those, how many were still live members at the end
  uint32_t delivered_at_end = 0;  // of the eligible ones, how many delivered it
  uint16_t ldh = 0;               // hops of the last delivery
  uint16_t max_hops = 0;
  uint64_t gossip_received = 0;  // Gossip messages carrying its id delivered to live nodes
  Duration last_delivery = Duration::zero();  // after the send
};

// Aggregates over the broadcasts sent in one window [from, to) (or the whole
// run). Integers are measured exactly; the doubles are means computed here,
// for people, and never feed a decision of the run.
struct BroadcastSummary {
  std::string name;  // "run" for the whole run, else the window's name
  Instant from, to;
  uint32_t sent = 0;
  // Judged: sent at least kReliabilitySettleDefault before the end of the run.
  uint32_t judged = 0;
  uint32_t complete = 0;        // judged ones that reached every eligible node
  Ppm reliability_min_ppm = 0;  // over judged ones (1e6 when none)
  Ppm reliability_mean_ppm = 0;
  double rmr_mean = 0;  // over broadcasts delivered by more than one node
  uint16_t ldh_max = 0;
  double ldh_mean = 0;
  uint16_t hops_max = 0;
  uint64_t latency_p50_us = 0, latency_p90_us = 0, latency_p99_us = 0, latency_max_us = 0;
  uint64_t deliveries = 0;  // latencies measured (deliveries away from the origin)
  // Overlay at `to`: estimated diameter (max eccentricity from a few sources)
  // of the live members' active views, and whether it was connected.
  uint32_t diameter = 0;
  bool connected = false;
};

// One interval during which some live member's registry view (the services
// it announced by events) differed from the truth, sampled every
// probe_period. `from` is the truth change that opened it (a register,
// unregister, crash, restart or leave) when the last sample before it
// agreed, else the first sample that disagreed; `to` is the first sample
// agreeing again (never: still disagreeing at the end).
struct RegistryInterval {
  Instant from;
  Instant to = Instant::never();
};

// One registry disruption (a register or unregister step that changed the
// truth, a crash, restart or leave step, a heal) and the first sample after
// it at which every live member agreed with the truth.
struct RegistryDisruption {
  std::string cause;  // "register", "unregister", "crash", "restart", "leave", "heal"
  Instant at;
  Instant agreed_at = Instant::never();
};

// The registry workload and its convergence (engine_registry.cpp). Present
// (`active`) when the scenario registers or checks the registry.
struct RegistryReport {
  bool active = false;
  uint64_t registrations = 0;    // register_service() calls that succeeded
  uint64_t refused = 0;          // ... refused (already exists, limit reached)
  uint64_t unregistrations = 0;  // unregister_service() calls that succeeded
  uint64_t unregister_refused = 0;
  uint64_t instances_at_end = 0;            // (service, node) pairs of live incarnations at the end
  uint64_t samples = 0;                     // agreement samples taken
  std::vector<RegistryInterval> intervals;  // at most kRegistryRecordsMax, then counted
  std::vector<RegistryDisruption> disruptions;
  uint64_t records_dropped = 0;  // intervals and disruptions beyond the bound
  // Over the closed intervals: count and nearest-rank percentiles.
  uint32_t converged = 0;
  Duration median = Duration::zero(), p90 = Duration::zero(), max = Duration::zero();
  // The sample since which every sample agreed (never: disagreeing at the end).
  Instant agreed_since = Instant::never();
  Instant last_truth_change = Instant::never();
};

inline constexpr size_t kRegistryRecordsMax = 4096;

// The lookup workload (engine_lookups.cpp): each lookup() and whereis() a
// lookup step made, judged against the registry truth at that instant (the
// instances registered by live incarnations), by (node, endpoint).
struct LookupReport {
  uint64_t lookups = 0;         // lookup() calls (one whereis() each too)
  uint64_t exact = 0;           // the answer held exactly the truth's instances
  uint64_t missing = 0;         // the truth had instances, the answer none
  uint64_t wrong = 0;           // any other difference (an instance lacking, or not in the truth)
  uint64_t whereis_hits = 0;    // whereis() gave an instance of the truth, or none when it is empty
  uint64_t whereis_misses = 0;  // anything else
};

// The churn workload (engine_churn.cpp), over every churn step.
struct ChurnReport {
  uint64_t arrivals = 0;          // nodes started and joined by an arrival
  uint64_t pool_empty = 0;        // arrivals lost: every pool node was a member
  uint64_t capped = 0;            // churn steps that reached kChurnArrivalsMax
  uint64_t departures_crash = 0;  // sessions ended by a crash
  uint64_t departures_leave = 0;  // sessions ended by leave()
};

// The state of the run at one instant, for the time-series reports (CSV,
// HTML charts): taken every RunReport::sample_period of virtual time, after
// every event at that instant (engine_samples.cpp). Taking samples reads the
// nodes and never touches the event heap or the trace hash. Counters are
// cumulative since the start; a reader derives rates from two samples.
struct RunSample {
  Instant at;
  uint32_t live = 0;     // nodes alive
  uint32_t members = 0;  // alive and not left
  uint64_t messages_sent = 0;
  uint64_t messages_delivered = 0;
  uint64_t messages_dropped = 0;
  uint64_t bytes_encoded = 0;  // wire mode only
  // Active-view sizes over the members (all zero when there is none).
  uint32_t active_min = 0, active_max = 0;
  uint64_t active_sum = 0;
  uint64_t passive_sum = 0;
  uint32_t broadcasts_sent = 0;
  uint64_t broadcast_deliveries = 0;  // counted deliveries at nodes, origins included
  // Members whose registry view equals the truth (RegistryReport::active only).
  uint32_t registry_agreeing = 0;
};

// Bound of RunReport::samples. When a run would take more, every other
// sample is dropped and the period doubles, so the series stays bounded and
// still covers the whole run, at a coarser grain.
inline constexpr size_t kRunSamplesMax = 2048;

struct RunReport {
  std::string scenario_name;
  uint64_t seed = 0;
  uint64_t trace_hash = 0;
  uint64_t events = 0;
  Instant end_time;
  // Empty when the run reached the scenario's duration within its bounds;
  // else why it stopped early (max_events reached, a runtime error).
  std::string failure;
  std::vector<ExpectationResult> expectations;
  std::vector<HealingRecord> healings;
  // Final state of up to RunOptions::node_summaries_max nodes, by index.
  std::vector<NodeSummary> nodes;
  uint32_t live_nodes = 0;
  MessageCounters messages;
  uint64_t link_failures = 0;  // on_link_failed inputs fed
  uint64_t link_downs = 0;     // on_link_down inputs fed
  uint64_t peer_ups = 0;       // PeerUp events the nodes emitted
  uint64_t peer_downs = 0;     // PeerDown events the nodes emitted
  // Invariant checks run (each live node after each of its inputs; views
  // whose Node::views_version() is the one that passed the node's last check
  // count as checked without a rescan).
  uint64_t invariant_checks = 0;
  // Broadcasts: the whole run first, then one summary per report window.
  std::vector<BroadcastSummary> broadcast_summaries;
  // Per broadcast, in send order (at most RunOptions::broadcast_records_max).
  std::vector<BroadcastRecordReport> broadcasts;
  RegistryReport registry;
  LookupReport lookups;
  ChurnReport churn;
  // The time series (see RunSample), one sample every sample_period from 0 to
  // end_time, at most kRunSamplesMax.
  Duration sample_period = Duration::zero();
  std::vector<RunSample> samples;
  // At the end of the run, over the members: [d] = how many hold d peers in
  // their active (passive) view. Sized by the largest view plus one.
  std::vector<uint32_t> active_degree_histogram;
  std::vector<uint32_t> passive_size_histogram;

  bool passed() const;
};

// Where a run is, for RunOptions::progress.
struct RunProgress {
  Instant now;  // virtual time of the last processed event
  Instant end;  // the scenario's duration
  uint64_t events = 0;
};

struct RunOptions {
  // How many nodes RunReport::nodes describes (the first ones by index).
  uint32_t node_summaries_max = 16;
  // How many per-broadcast records RunReport::broadcasts lists (the first ones).
  uint32_t broadcast_records_max = 1024;
  // Virtual time between two RunReport::samples; zero: the duration / 500,
  // rounded up to a millisecond, at least 10 ms.
  Duration sample_period = Duration::zero();
  // When set, called after every progress_every_events processed events, with
  // the run's position, so a host can show progress (the wall clock is the
  // host's business). It must not call back into the run.
  std::function<void(const RunProgress&)> progress;
  uint64_t progress_every_events = 1u << 14;
  // Told of the run as it happens (observer.h): barrel-sim's --trace and
  // --watch. Not owned: they must outlive the run. They never change it (same
  // trace hash with or without); empty costs one branch per event.
  std::vector<RunObserver*> observers;
};

// Runs `scenario` with its seed. Never throws for scenario content: runtime
// problems (a contact that does not exist, a start of a live node) end the run
// with RunReport::failure set.
RunReport run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace barrel::sim
