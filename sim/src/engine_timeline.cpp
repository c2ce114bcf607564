// engine_timeline.cpp — the scenario timeline: steps at their instants
// (repeated every `every` until `until`), and the actions they carry: start,
// join (a per-node Join event at an instant drawn in [at, at + spread)),
// crash (recorded for healing probes) and leave; and the `between` timing
// of a step (each selected node at its own instant, a kStepNode event). Register and unregister
// steps are in engine_registry.cpp; broadcast steps are in
// engine_broadcast.cpp; partition, heal and restart in engine_faults.cpp.
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "barrel/assert.h"
#include "engine.h"
#include "selector.h"

namespace barrel::sim {

std::string Engine::where(const Step& step, uint32_t step_index) const {
  if (step.loc.line > 0) {
    return step.loc.file + ":" + std::to_string(step.loc.line) + ":" +
           std::to_string(step.loc.column);
  }
  return "timeline step " + std::to_string(step_index + 1);
}

void Engine::on_step(const SimEvent& e) {
  BARREL_ASSERT(e.aux < scenario_.timeline.size());
  const Step& step = scenario_.timeline[e.aux];
  // A `between` step selects now and scatters its nodes (select_nodes).
  scatter_ = step.between_end > step.at;
  scatter_step_ = &step;
  scatter_index_ = e.aux;
  apply_action(step, e.aux);
  scatter_ = false;
  if (step.every > Duration::zero()) {
    const Instant next = now_ + step.every;
    if (next <= Instant::zero() + step.until) {
      SimEvent again = e;
      again.time = next;
      again.aux2 = e.aux2 + 1;
      heap_.push(again);
    }
  }
}

void Engine::apply_action(const Step& step, uint32_t k) {
  const Action& a = step.action;
  if (std::holds_alternative<StartAction>(a)) {
    apply_start(step, k);
  } else if (std::holds_alternative<JoinAction>(a)) {
    apply_join(step, k);
  } else if (std::holds_alternative<CrashAction>(a)) {
    apply_crash(step);
  } else if (std::holds_alternative<LeaveAction>(a)) {
    apply_leave(step);
  } else if (std::holds_alternative<BroadcastAction>(a)) {
    apply_broadcast(step, k);
  } else if (std::holds_alternative<PartitionAction>(a)) {
    apply_partition(step, k);
  } else if (std::holds_alternative<HealAction>(a)) {
    apply_heal(step);
  } else if (std::holds_alternative<RegisterAction>(a)) {
    apply_register(step, k);
  } else if (std::holds_alternative<UnregisterAction>(a)) {
    apply_unregister(step, k);
  } else if (std::holds_alternative<ChurnAction>(a)) {
    apply_churn(step, k);
  } else if (std::holds_alternative<LookupAction>(a)) {
    apply_lookup(step, k);
  } else {
    BARREL_ASSERT(std::holds_alternative<RestartAction>(a));
    apply_restart(step, k);
  }
}

// One node's share of a `between` step: the action, applied to that node
// alone (select_nodes answers it); the action decides, as for any node it
// selects, what to do when the node no longer suits it (a crash skips a node
// that is down by now).
void Engine::on_step_node(const SimEvent& e) {
  BARREL_ASSERT(e.aux < scenario_.timeline.size() && e.node < node_count_);
  single_node_ = e.node;
  apply_action(scenario_.timeline[e.aux], e.aux);
  single_node_ = kNone;
}

// Every action selects through here: a kStepNode event gets its one node; a
// `between` step resolves now and scatters (nothing is applied now).
void Engine::select_nodes(const NodeSelector& s, const std::function<bool(uint32_t)>& eligible,
                          Rng* rng) {
  if (single_node_ != kNone) {
    selected_.assign(1, single_node_);
    return;
  }
  resolve_selector(s, names_, node_count_, eligible, rng, &selected_, &groups_);
  if (scatter_) {
    BARREL_ASSERT(scatter_step_ != nullptr);
    scatter_selected(*scatter_step_, scatter_index_);
    selected_.clear();
  }
}

// Each selected node gets its instant, uniform in [at, between_end), from
// the between Rng, drawn in selection order.
void Engine::scatter_selected(const Step& step, uint32_t step_index) {
  BARREL_ASSERT(step.between_end > step.at);
  const auto window_us = static_cast<uint64_t>((step.between_end - step.at).us());
  for (uint32_t i : selected_) {
    SimEvent e;
    e.time = now_ + Duration::micros(static_cast<int64_t>(between_rng_.uniform(window_us)));
    e.kind = EventKind::kStepNode;
    e.node = i;
    e.aux = step_index;
    heap_.push(e);
  }
}

void Engine::apply_start(const Step& step, uint32_t k) {
  const auto& action = std::get<StartAction>(step.action);
  select_nodes(
      action.nodes, [this](uint32_t i) { return !nodes_[i].alive(); }, &faults_rng_);
  for (uint32_t i : selected_) {
    if (nodes_[i].alive()) {
      fail(where(step, k) + ": start of " + name_of(NodeId(i)) + ", which is running, at " +
           at_now());
      return;
    }
    if (!start_node(i))
      return;
  }
}

void Engine::apply_join(const Step& step, uint32_t step_index) {
  const auto& action = std::get<JoinAction>(step.action);
  select_nodes(
      action.nodes, [this](uint32_t i) { return !nodes_[i].member(); }, &faults_rng_);
  for (uint32_t i : selected_) {
    SimEvent e;
    e.time = now_;
    if (action.spread > Duration::zero()) {
      const auto spread_us = static_cast<uint64_t>(action.spread.us());
      e.time = now_ + Duration::micros(static_cast<int64_t>(workload_rng_.uniform(spread_us)));
    }
    e.kind = EventKind::kJoin;
    e.node = i;
    e.peer = pick_contact(action.contacts, i);
    e.aux = step_index;
    heap_.push(e);
  }
}

// One of the contacts other than `self`, uniformly (kNone if there is none:
// the node is the seed and only starts).
uint32_t Engine::pick_contact(const std::vector<std::string>& contacts, uint32_t self) {
  return pick_contact_with(contacts, self, &workload_rng_);
}

uint32_t Engine::pick_contact_with(const std::vector<std::string>& contacts, uint32_t self,
                                   Rng* rng) {
  uint64_t candidates = 0;
  for (const std::string& c : contacts)
    candidates += names_.find(c).value() != self ? 1 : 0;
  if (candidates == 0)
    return kNone;
  uint64_t pick = rng->uniform(candidates);
  for (const std::string& c : contacts) {
    const uint32_t id = names_.find(c).value();
    if (id == self)
      continue;
    if (pick == 0)
      return id;
    pick -= 1;
  }
  BARREL_ASSERT(false && "pick beyond the candidates");
  return kNone;
}

// A node that is not running at its join instant (never started, or crashed
// since the step) is started first: a restart is a new incarnation.
void Engine::on_join(const SimEvent& e) {
  if (!nodes_[e.node].alive() && !start_node(e.node))
    return;
  if (e.peer == kNone)
    return;
  Status s = feed(e.node, Input::kJoin, e.peer, nullptr);
  if (!s.is_ok()) {
    const Step& step = scenario_.timeline[e.aux];
    fail(where(step, e.aux) + ": join of " + name_of(NodeId(e.node)) + " via " +
         name_of(NodeId(e.peer)) + " at " + at_now() + " failed: " + s.to_string());
  }
}

void Engine::apply_crash(const Step& step) {
  const auto& action = std::get<CrashAction>(step.action);
  select_nodes(
      action.nodes, [this](uint32_t i) { return nodes_[i].alive(); }, &faults_rng_);
  uint32_t crashed = 0;
  for (uint32_t i : selected_) {
    if (!nodes_[i].alive())
      continue;  // crashing a node that is not running changes nothing
    crash_node(i);
    crashed += 1;
  }
  if (crashed > 0)
    record_disruption("crash", crashed);
}

// A healing record, and probes from now on until the overlay is whole.
void Engine::record_disruption(const char* cause, uint32_t crashed) {
  HealingRecord record;
  record.cause = cause;
  record.crash_at = now_;
  record.crashed = crashed;
  record.live = alive_count_;
  report_.healings.push_back(std::move(record));
  if (registry_active_)
    registry_agreement_.on_disruption(cause, now_);
  if (scenario_.probe_period > Duration::zero() && !probing_) {
    probing_ = true;
    SimEvent e;
    e.time = now_ + scenario_.probe_period;
    e.kind = EventKind::kProbe;
    heap_.push(e);
  }
}

void Engine::apply_leave(const Step& step) {
  const auto& action = std::get<LeaveAction>(step.action);
  select_nodes(
      action.nodes, [this](uint32_t i) { return nodes_[i].member(); }, &faults_rng_);
  uint32_t left = 0;
  for (uint32_t i : selected_) {
    if (!nodes_[i].member())
      continue;
    feed(i, Input::kLeave, kNone, nullptr).ignore();
    // A graceful leave unregisters the node's services (node.h).
    if (registry_truth_.remove_node(i, names_.name(NodeId(i))) > 0)
      registry_agreement_.on_truth_change(now_);
    left += 1;
  }
  if (left > 0 && registry_active_)
    registry_agreement_.on_disruption("leave", now_);
}

}  // namespace barrel::sim
