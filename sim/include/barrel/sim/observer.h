// observer.h — what a host may watch of a run while it happens: every
// processed event, and the inputs, outputs and view changes of chosen nodes.
//
// barrel-sim's --trace (trace_log.h) and --watch (watch.h) are observers.
// Observers only read: nothing they do reaches the nodes, the event heap, an
// Rng or the trace hash, so a run with observers has the same events and the
// same trace hash as one without (tests/sim/trace_log_test.cpp).
//
// Cost: with no observer (RunOptions::observers empty) the engine pays one
// predictable branch per event and nothing else. The per-node hooks
// (on_input, on_effect, on_views) cost nothing for the nodes no observer
// watches: only a watched node is wrapped in the decorator that calls them
// (sim/src/watched_node.h), when it starts.
//
// Thread-safety: an observer is called from the thread running the run, and
// must not call back into it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "barrel/effect.h"
#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/time.h"

namespace barrel::sim {

struct Scenario;
struct RunReport;

// The kinds of processed events. The values are the engine's event kinds
// (sim/src/event_heap.h; static_assert in engine_observe.cpp) and the kind
// of a trace record (trace_log.h): never renumber. A kind the engine gains
// later passes through as its number (up to kObservedKindMax) until it is
// named here; to_string() then gives "".
enum class ObservedKind : uint8_t {
  kDeliver = 1,     // a message arrives at `node` from `peer` (delivered or dropped)
  kTimer = 2,       // `node`'s timer fires
  kLinkDown = 3,    // `node` (the monitor) learns its link to `peer` is down; aux: partition serial
  kLinkFailed = 4,  // `node` learns it cannot reach `peer`
  kStep = 5,        // timeline step `aux` (0-based), repetition `aux2`
  kProbe = 6,       // healing probe
  kExpect = 7,      // expectation `aux` is evaluated
  kJoin = 8,        // `node` joins via `peer` (none: just starts); aux: step index
  kWindow = 9,      // report window `aux` ends
  kRegistrySample = 10,
  kStepNode = 21,        // a `between` step's action at one node
  kChurnArrival = 22,    // a churn step's next arrival
  kChurnDeparture = 23,  // a churned node's session ends
  kMark = 24,            // a msgs_per_node_per_second snapshot
};
// The largest kind a trace record can carry (5 bits of its tag).
inline constexpr uint8_t kObservedKindMax = 31;

// "deliver", "timer", "link_down", ...: for the decoded trace; "" for a kind
// not named above.
std::string_view to_string(ObservedKind kind);

inline constexpr uint32_t kNoNode = UINT32_MAX;

// One processed event. Node indices are 0-based (NodeId value == index).
struct ObservedEvent {
  Instant time;
  ObservedKind kind = ObservedKind::kProbe;
  uint32_t node = kNoNode;
  uint32_t peer = kNoNode;
  uint32_t aux = 0;
  uint32_t aux2 = 0;
  // kDeliver only: the message (valid during the call only) and its size on
  // the wire (wire::encoded_size), whether or not the run is in wire mode.
  const Message* message = nullptr;
  uint32_t bytes = 0;
};

// What a watched node is fed, or what happens to it.
enum class NodeInput : uint8_t {
  kStart,  // a new incarnation was made (peer: none)
  kStop,   // the incarnation is gone: a crash or a restart (not the end of the run)
  kJoin,   // peer: the contact
  kLeave,
  kDeliver,  // peer: the sender; msg set
  kLinkDown,
  kLinkFailed,
  kTimers,
  kBroadcast,
  kRegister,
  kUnregister,
};

class RunObserver {
 public:
  virtual ~RunObserver() = default;

  // Before the first event.
  virtual void on_start(const Scenario& scenario) { (void)scenario; }
  // Each processed event, before it is dispatched. A stale timer (its node
  // crashed, or re-armed it) is not processed and not observed.
  virtual void on_event(const ObservedEvent& e) = 0;
  // After the run: the report (events, trace hash, verdict) is final.
  virtual void on_end(const RunReport& report) { (void)report; }

  // The per-node hooks below carry the run's virtual time, also for a node
  // whose clock drifts (it is fed its local time).
  // Whether this observer wants the per-node hooks below for `node`. Asked
  // at each start of that node; answer the same for the whole run.
  virtual bool watches(uint32_t node) const {
    (void)node;
    return false;
  }
  // An input fed to a watched node (or its start and stop); `service` names
  // the service of a kRegister / kUnregister, else empty.
  virtual void on_input(Instant now, uint32_t node, NodeInput input, uint32_t peer,
                        const Message* msg, std::string_view service) {
    (void)now, (void)node, (void)input, (void)peer, (void)msg, (void)service;
  }
  // Each effect the watched node emitted for its last input, in order.
  virtual void on_effect(Instant now, uint32_t node, const Effect& effect) {
    (void)now, (void)node, (void)effect;
  }
  // After an input that changed the watched node's views: the views now.
  virtual void on_views(Instant now, uint32_t node, std::span<const NodeId> active,
                        std::span<const NodeId> passive) {
    (void)now, (void)node, (void)active, (void)passive;
  }
};

}  // namespace barrel::sim
