// engine.h — the simulator engine: one run of one Scenario.
//
// run_scenario() (simulator.cpp) builds an Engine over real barrel::Nodes and
// runs it; engine tests build one over a scripted HostedNode factory. The
// engine's code is split by concern, all methods of this one class:
//   simulator.cpp        setup, the event loop, dispatch, run_scenario()
//   engine_host.cpp      feeding inputs to a node and carrying out its effects
//                        (sends, links, timers), crash and start
//   engine_timeline.cpp  timeline steps: start, join, crash, leave actions
//   engine_faults.cpp    partition, heal and restart actions
//   engine_checks.cpp    expectations, healing probes, the final report
//   engine_wire.cpp      wire mode: every message through the codec
//   engine_network.cpp   network setup (link classes) and the node clocks
//   engine_broadcast.cpp broadcast steps, delivery and Gossip bookkeeping,
//                        the reliability check, report windows and the
//                        broadcast summaries
//   engine_registry.cpp  register and unregister steps, the registry truth,
//                        the nodes' views from their events, agreement
//                        samples and the registry report
//   engine_registry_checks.cpp  registry_converged and no_live_dead
//   engine_churn.cpp     churn steps (Poisson arrivals, sessions, departures)
//                        and the fresh identities of restart identity: new
//   engine_lookups.cpp   lookup steps, live-node time and the
//                        msgs_per_node_per_second check
//   groups.cpp           the node groups, resolved once in setup()
//   engine_samples.cpp   the time series (RunReport::samples), the view-size
//                        histograms and the progress callback
//   engine_observe.cpp   RunOptions::observers: each processed event, and
//                        the watched nodes (watched_node.h)
//
// Determinism: the one scenario seed is split with derive_seed(): node i gets
// (seed, kNode, i) for its first incarnation and derive_seed(that, kNode, k)
// for its k-th restart; the network (seed, kNetwork, 0); message loss
// (seed, kNetwork, 1); link-class selector draws (seed, kNetwork, 2); node
// clocks (seed, kNetwork, 3); duplication and reordering derive from the
// network seed (network.h); selector draws (seed, kFaults, 0); join and restart
// contacts, join instants, broadcast senders and payload bytes, and the
// nodes a register or unregister step draws (seed, kWorkload, 0). The
// scenario-language constructs draw from streams of their own, so a scenario
// without them keeps its trace: `between` instants (seed, kFaults, 1), churn
// (seed, kFaults, 2), random groups (seed, kFaults, 3), lookup names (seed,
// kWorkload, 1). No floating point and no unordered iteration reaches a
// decision, except the churn distributions (churn.h), computed once per draw
// from integer Rng output and rounded to microseconds at once.
//
// Report semantics (what RunReport's fields mean here):
//   events       processed events; a stale timer (its node crashed, or it was
//                re-armed) is skipped without counting or hashing;
//   trace_hash   trace_hash.h's word-wise hash over each processed event
//                (time, seq, kind, node, peer, epoch, aux), each input fed
//                (kind, node, peer), each crash, and each effect drained (a
//                Send with its whole message, so a Deliver's message is
//                hashed once, when it was sent);
//   expectations over *members* (alive and not left): see checkers/overlay.h;
//                kSymmetric also fails on an active entry naming a non-member
//                (a crash not yet detected), so "healed" means no such entry;
//                an expectation whose instant lies after the end of the run
//                fails with "not evaluated";
//   healings     one record per crash or restart action that crashed a node
//                and per heal action that ended a partition; probes run every
//                probe_period from the first unhealed record until the
//                overlay is connected and symmetric, healing every record;
//   live_nodes   nodes alive at the end (a node that left is alive);
//   broadcasts   see metrics/broadcast_metrics.h: a broadcast is judged
//                against the members at its send that are still members (and
//                have not crashed since) at the judgement; the summaries judge
//                at the end of the run the broadcasts sent at least
//                kReliabilitySettleDefault before it. A node delivering an id
//                twice in one incarnation, or an id nobody broadcast, fails
//                the run;
//   end_time     the duration, or the instant of the last event processed
//                when the run failed;
//   registry     when the scenario registers services or checks the
//                registry: see metrics/registry_agreement.h. The truth is
//                what the live incarnations registered (a crash, restart or
//                leave takes a node's pairs); agreement is sampled every
//                probe_period from the start (a RegistrySample event);
//   lookups      see LookupReport: each lookup step's lookup()/whereis()
//                judged against the registry truth at its instant;
//   churn        see ChurnReport; churn departures open no healing record,
//                while a `between` crash or restart wave opens one per node.
//
// Re-entrancy: a node's effects only ever schedule events; nothing calls into
// a Node while its effects are carried out.
//
// Thread-safety: one Engine per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "barrel/effect.h"
#include "barrel/ids.h"
#include "barrel/rng.h"
#include "barrel/sim/scenario.h"
#include "barrel/sim/simulator.h"
#include "checkers/local_views.h"
#include "checkers/overlay.h"
#include "clock_drift.h"
#include "event_heap.h"
#include "groups.h"
#include "message_pool.h"
#include "metrics/broadcast_metrics.h"
#include "metrics/overlay_diameter.h"
#include "metrics/registry_agreement.h"
#include "metrics/registry_truth.h"
#include "network.h"
#include "partitions.h"
#include "sim_node.h"
#include "trace_hash.h"
#include "watched_node.h"

namespace barrel::sim {

// "12.345678s": an instant as seconds with microseconds, for messages.
std::string format_instant(Instant t);

class Engine {
 public:
  Engine(const Scenario& scenario, const RunOptions& options, NodeFactory factory);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Runs to the scenario's duration (or a failure) and returns the report.
  // Call once.
  RunReport run();

 private:
  // What a node is fed; hashed into the trace with the node and peer.
  enum class Input : uint8_t {
    kCreate = 1,  // no call: the effects of Node::create
    kJoin,
    kLeave,
    kDeliver,
    kLinkDown,
    kLinkFailed,
    kTimers,
    kBroadcast,   // peer = the node itself; payload: broadcast_payload_
    kRegister,    // peer = the node itself; name, endpoint, metadata: registry_call_
    kUnregister,  // peer = the node itself; name: registry_call_
  };
  static constexpr uint32_t kNone = UINT32_MAX;

  // simulator.cpp
  bool setup();
  bool intern_names();
  bool validate();
  bool validate_step(const Step& step, uint32_t step_index);
  void loop();
  bool stale_timer(const SimEvent& e) const;
  void prefetch(const SimEvent& next) const;
  void hash_event(const SimEvent& e);
  void dispatch(const SimEvent& e);
  void fail(std::string what);
  std::string at_now() const;

  // engine_host.cpp
  bool start_node(uint32_t i);
  void crash_node(uint32_t i);
  Status feed(uint32_t i, Input input, uint32_t peer, const Message* msg);
  Status call_node(HostedNode& node, Input input, uint32_t peer, const Message* msg);
  void carry_out(uint32_t from, Effect& effect);
  void send(uint32_t from, Send& s);
  bool wire_round_trip(Message* msg);
  void open_link(uint32_t from, uint32_t peer);
  void schedule_link_failed(uint32_t node, uint32_t peer);
  void rearm_timer(uint32_t i);
  // Checks node i's views after an input and keeps its summary in SimNode.
  void check_local(uint32_t i);
  bool valid_peer(uint32_t from, NodeId peer, const char* effect);
  void on_deliver(const SimEvent& e);
  void on_timer(const SimEvent& e);
  void on_link_down(const SimEvent& e);
  void on_link_failed(const SimEvent& e);

  // engine_network.cpp
  bool setup_network();
  Instant local_now(uint32_t i) const;
  Instant virtual_deadline(uint32_t i, Instant local) const;

  // engine_timeline.cpp
  void on_step(const SimEvent& e);
  void apply_action(const Step& step, uint32_t step_index);
  void on_step_node(const SimEvent& e);
  void select_nodes(const NodeSelector& s, const std::function<bool(uint32_t)>& eligible, Rng* rng);
  void scatter_selected(const Step& step, uint32_t step_index);
  uint32_t pick_contact_with(const std::vector<std::string>& contacts, uint32_t self, Rng* rng);

  // engine_churn.cpp
  void apply_churn(const Step& step, uint32_t step_index);
  void schedule_arrival(uint32_t step_index, uint32_t serial);
  void on_churn_arrival(const SimEvent& e);
  uint32_t draw_pool_node(uint32_t step_index);
  void on_churn_departure(const SimEvent& e);
  uint32_t fresh_identity();

  // engine_lookups.cpp
  void apply_lookup(const Step& step, uint32_t step_index);
  void judge_lookup(uint32_t node, const std::string& service);
  void integrate_alive(Instant to);
  void on_mark(const SimEvent& e);
  std::string describe_msgs_per_node(uint32_t index, const Expectation& x, bool* ok);
  void on_join(const SimEvent& e);
  void apply_start(const Step& step, uint32_t step_index);
  void apply_join(const Step& step, uint32_t step_index);
  void apply_crash(const Step& step);
  void apply_leave(const Step& step);
  void record_disruption(const char* cause, uint32_t crashed);
  uint32_t pick_contact(const std::vector<std::string>& contacts, uint32_t self);

  // engine_faults.cpp
  void apply_partition(const Step& step, uint32_t step_index);
  bool resolve_groups(const Step& step, uint32_t step_index, std::vector<uint16_t>* group);
  bool resolve_one_way(const Step& step, uint32_t step_index, std::vector<uint16_t>* side);
  void cut_links(uint32_t serial, const std::vector<uint16_t>& group, bool one_way);
  void apply_heal(const Step& step);
  void apply_restart(const Step& step, uint32_t step_index);
  std::string where(const Step& step, uint32_t step_index) const;

  // engine_broadcast.cpp
  void apply_broadcast(const Step& step, uint32_t step_index);
  Status call_broadcast(HostedNode& node, uint32_t i);
  void on_broadcast_delivered(uint32_t node, const BroadcastDelivered& d);
  void on_gossip_received(const Message& msg);
  void on_window(const SimEvent& e);
  void snapshot_members();
  std::string describe_reliability(const Expectation& x, bool* ok);
  void finish_broadcasts();

  // engine_registry.cpp
  void setup_registry();
  void apply_register(const Step& step, uint32_t step_index);
  void apply_unregister(const Step& step, uint32_t step_index);
  Status call_registry(HostedNode& node, Input input);
  void on_registry_event(uint32_t node, const barrel::Event& event);
  void registry_node_gone(uint32_t node);
  void on_registry_sample();
  void finish_registry();

  // engine_registry_checks.cpp
  std::string describe_registry_converged(const Expectation& x, bool* ok);
  bool node_matches_truth(uint32_t node, std::string* why) const;
  std::string describe_no_live_dead(bool* ok) const;

  // engine_observe.cpp: RunOptions::observers (observer.h)
  void setup_observers();
  void observe_start();
  void observe(const SimEvent& e);
  void observe_end();

  // engine_samples.cpp
  void setup_samples();
  void sample_before(Instant next_event);
  void take_sample(Instant at);
  void thin_samples();
  void finish_samples();
  void report_progress();

  // engine_checks.cpp
  void snapshot_views();
  bool overlay_healed();
  void on_probe();
  void on_expect(const SimEvent& e);
  void start_settling(uint32_t index, ExpectationResult* r);
  void finish_settling(uint32_t index);
  Duration settle_window(const Expectation& x) const;
  ExpectationResult evaluate(const Expectation& x);
  std::string describe_connected();
  std::string describe_symmetry(bool* ok);
  std::string describe_bounds(bool* ok);
  std::string describe_active_min(uint32_t count, bool* ok);
  std::string describe_healing(Duration within, bool* ok);
  void finish_report();
  std::string name_of(NodeId id) const;

  const Scenario& scenario_;
  const RunOptions options_;
  NodeFactory factory_;
  const uint32_t node_count_;
  NameTable names_;
  std::vector<SimNode> nodes_;
  uint32_t alive_count_ = 0;
  EventHeap heap_;
  MessagePool pool_;
  Network network_;
  Partitions partitions_;
  NodeClocks clocks_;
  Rng faults_rng_;
  Rng workload_rng_;
  // Scenario-language streams, each used only by the construct it names, so
  // a scenario without them keeps its trace: `between` instants (kFaults, 1),
  // churn arrivals, pool draws, sessions and contacts (kFaults, 2), group
  // draws (kFaults, 3, in setup), lookup names (kWorkload, 1).
  Rng between_rng_;
  Rng churn_rng_;
  Rng lookup_rng_;
  GroupTable groups_;
  // select_nodes(): the one node of a kStepNode event (kNone: resolve), and
  // whether the step being applied is a `between` step whose selection is
  // scattered into kStepNode events.
  uint32_t single_node_ = UINT32_MAX;
  bool scatter_ = false;
  const Step* scatter_step_ = nullptr;
  uint32_t scatter_index_ = 0;
  // Churn: per step index, its pool (resolved at the step) and arrivals made.
  struct ChurnState {
    std::vector<uint32_t> pool;
    uint64_t arrivals = 0;
  };
  std::vector<ChurnState> churn_;
  uint32_t fresh_cursor_ = 0;  // restart identity new: no never-started node below it
  // Live-node time: the integral of alive_count_ over [0, integrated_to_], in
  // node-microseconds; and per expectation the (messages sent, node time) at
  // its `since` (kMsgsPerNode).
  uint64_t node_us_ = 0;
  Instant integrated_to_ = Instant::zero();
  std::vector<std::pair<uint64_t, uint64_t>> msgs_marks_;
  LocalViewChecker local_checker_;
  OverlayChecker overlay_checker_;
  TraceHash trace_;
  Instant now_ = Instant::zero();
  // The node's own clock reading at now_, for the input being fed (feed()).
  Instant fed_now_ = Instant::zero();
  const Instant end_;
  bool probing_ = false;

  // Scratch, reused so the loop does not allocate per event.
  std::vector<Effect> effects_;
  std::vector<uint32_t> selected_;  // nodes chosen by the current step
  std::vector<uint32_t> monitors_;  // monitors of the node crashing
  std::vector<uint32_t> healed_;    // serials of the partitions a heal ended
  std::vector<ViewRef> views_;
  std::string what_;
  std::vector<uint8_t> wire_buffer_;
  std::vector<uint8_t> broadcast_payload_;
  NodeBits members_;  // live members, as of the last snapshot_members()

  std::vector<bool> evaluated_;  // per expectation
  // Per symmetric expectation: the links found one-way at its instant, which
  // must settle (see Expectation::settle) before it passes.
  std::vector<std::vector<std::pair<NodeId, NodeId>>> unsettled_;
  BroadcastTracker broadcasts_;
  DiameterEstimator diameter_;
  std::vector<DiameterEstimate> window_diameters_;  // per report window, at its `to`
  // Registry: used when the scenario registers or checks it (setup_registry).
  bool registry_active_ = false;
  RegistryTruth registry_truth_;
  RegistryAgreement registry_agreement_;
  struct RegistryCall {
    std::string service;
    EndpointId endpoint = 0;
    const Metadata* metadata = nullptr;
  } registry_call_;  // the arguments of the kRegister / kUnregister input being fed
  // Samples: the next instant to sample (never: done) and the period.
  Instant next_sample_at_ = Instant::never();
  Duration sample_period_ = Duration::zero();
  // Observers: null when there is none (setup_observers; <memory> comes
  // with watched_node.h).
  std::shared_ptr<WatchContext> watch_context_;
  RunReport report_;
};

}  // namespace barrel::sim
