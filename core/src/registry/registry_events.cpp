// registry_events.cpp — the registry's event budget, pending events and
// timers (registry.h, "Budget").
#include <utility>
#include <variant>

#include "barrel/assert.h"
#include "registry/registry.h"

namespace barrel::registry {

size_t Registry::room() const {
  const size_t produced = sink_.produced();
  return produced >= limits::kRegistryEventsPerInputMax
             ? 0
             : limits::kRegistryEventsPerInputMax - produced;
}

void Registry::emit(Event event) {
  BARREL_ASSERT(!std::holds_alternative<PeerUp>(event));
  BARREL_ASSERT(!std::holds_alternative<BroadcastDelivered>(event));
  // FIFO: an event may go out now only if none is waiting before it.
  if (pending_events_.empty() && room() > 0) {
    std::visit([&](auto&& e) { sink_.emit(std::move(e)); }, std::move(event));
    return;
  }
  pending_events_.push_back(std::move(event));
  BARREL_ASSERT(pending_events_.size() <= kPendingEventsMax + limits::kLocalServicesMax);
}

void Registry::drain_pending() {
  size_t n = room();
  while (n > 0 && !pending_events_.empty()) {
    std::visit([&](auto&& e) { sink_.emit(std::move(e)); }, std::move(pending_events_.front()));
    pending_events_.pop_front();
    --n;
  }
  BARREL_ASSERT(n == 0 || pending_events_.empty());
}

void Registry::handle_timers(Instant now) {
  begin(now);
  if (linger_ != nullptr && linger_until_ <= now)
    flush_linger();
  drain_pending();
  run_purges();
}

Instant Registry::next_deadline() const {
  if (!pending_events_.empty() || !purge_queue_.empty())
    return last_now_;
  return linger_until_;  // never() when no registration lingers
}

}  // namespace barrel::registry
