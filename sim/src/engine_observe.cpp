// engine_observe.cpp — RunOptions::observers (observer.h): the engine tells
// them of the run's start, of each processed event and of its end, and wraps
// the nodes they watch (watched_node.h). Nothing here writes to the trace
// hash, an Rng or the heap: observers cannot change the run.
#include <memory>
#include <utility>

#include "barrel/assert.h"
#include "barrel/codec.h"
#include "engine.h"

namespace barrel::sim {

// The trace format and --watch name kinds by these values.
static_assert(static_cast<uint8_t>(ObservedKind::kDeliver) ==
              static_cast<uint8_t>(EventKind::kDeliver));
static_assert(static_cast<uint8_t>(ObservedKind::kTimer) ==
              static_cast<uint8_t>(EventKind::kTimer));
static_assert(static_cast<uint8_t>(ObservedKind::kLinkDown) ==
              static_cast<uint8_t>(EventKind::kLinkDown));
static_assert(static_cast<uint8_t>(ObservedKind::kLinkFailed) ==
              static_cast<uint8_t>(EventKind::kLinkFailed));
static_assert(static_cast<uint8_t>(ObservedKind::kStep) == static_cast<uint8_t>(EventKind::kStep));
static_assert(static_cast<uint8_t>(ObservedKind::kProbe) ==
              static_cast<uint8_t>(EventKind::kProbe));
static_assert(static_cast<uint8_t>(ObservedKind::kExpect) ==
              static_cast<uint8_t>(EventKind::kExpect));
static_assert(static_cast<uint8_t>(ObservedKind::kJoin) == static_cast<uint8_t>(EventKind::kJoin));
static_assert(static_cast<uint8_t>(ObservedKind::kWindow) ==
              static_cast<uint8_t>(EventKind::kWindow));
static_assert(static_cast<uint8_t>(ObservedKind::kRegistrySample) ==
              static_cast<uint8_t>(EventKind::kRegistrySample));
static_assert(static_cast<uint8_t>(ObservedKind::kStepNode) ==
              static_cast<uint8_t>(EventKind::kStepNode));
static_assert(static_cast<uint8_t>(ObservedKind::kChurnArrival) ==
              static_cast<uint8_t>(EventKind::kChurnArrival));
static_assert(static_cast<uint8_t>(ObservedKind::kChurnDeparture) ==
              static_cast<uint8_t>(EventKind::kChurnDeparture));
static_assert(static_cast<uint8_t>(ObservedKind::kMark) == static_cast<uint8_t>(EventKind::kMark));

void Engine::setup_observers() {
  if (options_.observers.empty())
    return;
  for (RunObserver* o : options_.observers)
    BARREL_ASSERT(o != nullptr);
  watch_context_ = std::make_shared<WatchContext>();
  watch_context_->now = &now_;
  watch_context_->observers = options_.observers;
  factory_ = watching_factory(std::move(factory_), watch_context_);
}

void Engine::observe_start() {
  if (watch_context_ == nullptr)
    return;
  for (RunObserver* o : watch_context_->observers)
    o->on_start(scenario_);
}

void Engine::observe(const SimEvent& e) {
  BARREL_ASSERT(watch_context_ != nullptr);
  // A kind the observers do not name yet passes through as its number; the
  // trace format carries up to kObservedKindMax.
  BARREL_ASSERT(static_cast<uint8_t>(e.kind) >= 1 &&
                static_cast<uint8_t>(e.kind) <= kObservedKindMax);
  ObservedEvent o;
  o.time = e.time;
  o.kind = static_cast<ObservedKind>(e.kind);
  o.node = e.node;
  o.peer = e.peer;
  if (e.kind == EventKind::kDeliver) {
    o.message = &pool_.peek(e.aux);  // aux is the pool slot, an address: not reported
    o.bytes = static_cast<uint32_t>(wire::encoded_size(*o.message, names_));
  } else {
    o.aux = e.aux;
    o.aux2 = e.aux2;
  }
  for (RunObserver* observer : watch_context_->observers)
    observer->on_event(o);
}

void Engine::observe_end() {
  if (watch_context_ == nullptr)
    return;
  watch_context_->ended = true;  // tearing the nodes down is not a stop
  for (RunObserver* o : watch_context_->observers)
    o->on_end(report_);
}

}  // namespace barrel::sim
