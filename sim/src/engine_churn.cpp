// engine_churn.cpp — churn steps (the model is in churn.h and ChurnAction):
// a chain of kChurnArrival events, one pending per churn step, each starting
// a pool node that is not a member, joining it, and scheduling its
// kChurnDeparture; and the fresh identities that restart `identity: new`
// takes.
//
// Bounds: one pending arrival per churn step; at most kChurnArrivalsMax
// arrivals per step (then the step stops and ChurnReport::capped counts it);
// one pending departure per arrival, so pending churn events are bounded by
// the pool plus the churn steps.
//
// Churn departures are not healing records: under churn the overlay is never
// quiet, so a churn scenario checks connected/reliability at instants.
#include <string>
#include <variant>
#include <vector>

#include "barrel/assert.h"
#include "churn.h"
#include "engine.h"
#include "selector.h"

namespace barrel::sim {
namespace {

// Random probes into the pool before a pool draw falls back to a scan.
constexpr int kPoolProbesMax = 32;

}  // namespace

// The pool is resolved once, at the step's instant (a random selector draws
// its nodes then); arrivals draw among its nodes that are not members then.
void Engine::apply_churn(const Step& step, uint32_t step_index) {
  const auto& action = std::get<ChurnAction>(step.action);
  BARREL_ASSERT(action.arrivals_per_second_ppm > 0);
  BARREL_ASSERT(step_index < churn_.size());
  ChurnState& state = churn_[step_index];
  resolve_selector(
      action.nodes, names_, node_count_, [](uint32_t) { return true; }, &churn_rng_, &state.pool,
      &groups_);
  schedule_arrival(step_index, 0);
}

void Engine::schedule_arrival(uint32_t step_index, uint32_t serial) {
  const Step& step = scenario_.timeline[step_index];
  const auto& action = std::get<ChurnAction>(step.action);
  SimEvent e;
  e.time = now_ + gap_draw(action.arrivals_per_second_ppm, &churn_rng_);
  if (e.time > Instant::zero() + action.until || e.time > end_)
    return;  // the process ends at `until`
  e.kind = EventKind::kChurnArrival;
  e.aux = step_index;
  e.aux2 = serial;
  heap_.push(e);
}

void Engine::on_churn_arrival(const SimEvent& e) {
  BARREL_ASSERT(e.aux < churn_.size());
  const Step& step = scenario_.timeline[e.aux];
  const auto& action = std::get<ChurnAction>(step.action);
  ChurnState& state = churn_[e.aux];
  if (state.arrivals >= kChurnArrivalsMax) {
    report_.churn.capped += 1;
    return;  // the chain ends here
  }
  const uint32_t i = draw_pool_node(e.aux);
  if (i == kNone) {
    report_.churn.pool_empty += 1;
  } else {
    // A node that left is still running: its process ends before it comes back.
    if (nodes_[i].alive())
      crash_node(i);
    if (!start_node(i))
      return;
    state.arrivals += 1;
    report_.churn.arrivals += 1;
    const uint32_t contact = pick_contact_with(action.contacts, i, &churn_rng_);
    if (contact != kNone) {
      Status s = feed(i, Input::kJoin, contact, nullptr);
      if (!s.is_ok()) {
        return fail(where(step, e.aux) + ": churn join of " + name_of(NodeId(i)) + " via " +
                    name_of(NodeId(contact)) + " at " + at_now() + " failed: " + s.to_string());
      }
    }
    SimEvent d;
    d.time = now_ + session_draw(action.session, &churn_rng_);
    d.kind = EventKind::kChurnDeparture;
    d.node = i;
    d.epoch = nodes_[i].epoch;
    d.aux = e.aux;
    if (d.time <= end_)
      heap_.push(d);
  }
  schedule_arrival(e.aux, e.aux2 + 1);
}

// A pool node that is not a member, uniformly: random probes first (cheap
// when most of the pool is out), then a scan of the pool. kNone if none.
uint32_t Engine::draw_pool_node(uint32_t step_index) {
  const std::vector<uint32_t>& pool = churn_[step_index].pool;
  if (pool.empty())
    return kNone;
  for (int probe = 0; probe < kPoolProbesMax; ++probe) {
    const uint32_t i = pool[churn_rng_.uniform(pool.size())];
    if (!nodes_[i].member())
      return i;
  }
  uint64_t out = 0;
  for (uint32_t i : pool)
    out += nodes_[i].member() ? 0 : 1;
  if (out == 0)
    return kNone;
  uint64_t pick = churn_rng_.uniform(out);
  for (uint32_t i : pool) {
    if (nodes_[i].member())
      continue;
    if (pick == 0)
      return i;
    pick -= 1;
  }
  BARREL_ASSERT(false && "pick beyond the pool");
  return kNone;
}

// The session of the incarnation started at the arrival ends (a departure
// for an incarnation that is gone, or has left, is stale and changes nothing).
void Engine::on_churn_departure(const SimEvent& e) {
  BARREL_ASSERT(e.node < node_count_);
  const auto& action = std::get<ChurnAction>(scenario_.timeline[e.aux].action);
  SimNode& n = nodes_[e.node];
  if (!n.member() || n.epoch != e.epoch)
    return;
  if (action.departure == ChurnAction::Departure::kCrash) {
    crash_node(e.node);
    report_.churn.departures_crash += 1;
    return;
  }
  feed(e.node, Input::kLeave, kNone, nullptr).ignore();
  // A graceful leave unregisters the node's services (node.h).
  if (registry_truth_.remove_node(e.node, names_.name(NodeId(e.node))) > 0)
    registry_agreement_.on_truth_change(now_);
  report_.churn.departures_leave += 1;
}

// The lowest node never started and not promised to an earlier restart
// (fresh_cursor_ only moves up), or kNone.
uint32_t Engine::fresh_identity() {
  while (fresh_cursor_ < node_count_) {
    const uint32_t i = fresh_cursor_++;
    if (nodes_[i].starts == 0 && !nodes_[i].alive())
      return i;
  }
  return kNone;
}

}  // namespace barrel::sim
