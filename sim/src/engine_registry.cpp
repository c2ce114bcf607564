// engine_registry.cpp — the service registry in the simulator engine:
// register and unregister steps (each call fed to the node as an input and
// hashed into the trace), the truth (metrics/registry_truth.h), each node's
// view from the events it emits and the agreement samples
// (metrics/registry_agreement.h), and the registry section of the report.
// The checks (registry_converged, no_live_dead) are in
// engine_registry_checks.cpp.
#include <string>
#include <variant>

#include "barrel/assert.h"
#include "engine.h"
#include "selector.h"
#include "service_pattern.h"

namespace barrel::sim {
namespace {

bool is_registry_step(const Step& s) {
  return std::holds_alternative<RegisterAction>(s.action) ||
         std::holds_alternative<UnregisterAction>(s.action);
}

bool is_registry_check(const Expectation& x) {
  return x.kind == Expectation::Kind::kRegistryConverged ||
         x.kind == Expectation::Kind::kNoLiveDead;
}

// A refusal the scenario may provoke on purpose (registering twice, e.g.
// after some of the nodes restarted), counted rather than failing the run.
bool counted_refusal(const Status& s) {
  return s.code() != Code::kInvalidArgument && !is_fatal(s.code());
}

}  // namespace

// Scenarios without a registry workload or check keep their events, and so
// their trace hashes, unchanged: no samples.
void Engine::setup_registry() {
  for (const Step& s : scenario_.timeline)
    registry_active_ = registry_active_ || is_registry_step(s);
  for (const Expectation& x : scenario_.expectations)
    registry_active_ = registry_active_ || is_registry_check(x);
  if (!registry_active_ || scenario_.probe_period == Duration::zero())
    return;
  SimEvent e;
  e.time = Instant::zero() + scenario_.probe_period;
  e.kind = EventKind::kRegistrySample;
  heap_.push(e);
}

void Engine::apply_register(const Step& step, uint32_t step_index) {
  const auto& action = std::get<RegisterAction>(step.action);
  BARREL_ASSERT(action.count >= 1);
  select_nodes(
      action.nodes, [this](uint32_t i) { return nodes_[i].member(); }, &workload_rng_);
  uint64_t made = 0;
  for (uint32_t i : selected_) {
    for (uint32_t k = 1; k <= action.count && nodes_[i].member(); ++k) {
      registry_call_.service = expand_service(action.service, i + 1, k);
      registry_call_.endpoint = k;
      registry_call_.metadata = &action.metadata;
      trace_.add_string(registry_call_.service);
      trace_.add_u64(k);
      const Status s = feed(i, Input::kRegister, i, nullptr);
      if (s.is_ok()) {
        registry_truth_.add(registry_call_.service, i, names_.name(NodeId(i)), k, action.metadata);
        report_.registry.registrations += 1;
        made += 1;
      } else if (counted_refusal(s)) {
        report_.registry.refused += 1;
      } else {
        return fail(where(step, step_index) + ": register of '" + registry_call_.service + "' at " +
                    name_of(NodeId(i)) + " at " + at_now() + " failed: " + s.to_string());
      }
    }
  }
  if (made > 0) {
    registry_agreement_.on_truth_change(now_);
    registry_agreement_.on_disruption("register", now_);
  }
}

void Engine::apply_unregister(const Step& step, uint32_t step_index) {
  const auto& action = std::get<UnregisterAction>(step.action);
  BARREL_ASSERT(action.count >= 1);
  select_nodes(
      action.nodes, [this](uint32_t i) { return nodes_[i].member(); }, &workload_rng_);
  uint64_t removed = 0;
  for (uint32_t i : selected_) {
    for (uint32_t k = 1; k <= action.count && nodes_[i].member(); ++k) {
      registry_call_.service = expand_service(action.service, i + 1, k);
      registry_call_.metadata = nullptr;
      trace_.add_string(registry_call_.service);
      const Status s = feed(i, Input::kUnregister, i, nullptr);
      if (!s.is_ok()) {
        report_.registry.unregister_refused += 1;
        continue;
      }
      // The node had it, so this incarnation registered it: the truth has it.
      if (!registry_truth_.remove(registry_call_.service, i, names_.name(NodeId(i)))) {
        return fail(where(step, step_index) + ": " + name_of(NodeId(i)) + " unregistered '" +
                    registry_call_.service + "' at " + at_now() +
                    ", which this incarnation never registered");
      }
      report_.registry.unregistrations += 1;
      removed += 1;
    }
  }
  if (removed > 0) {
    registry_agreement_.on_truth_change(now_);
    registry_agreement_.on_disruption("unregister", now_);
  }
}

// Called by call_node(), before the node's effects are drained.
Status Engine::call_registry(HostedNode& node, Input input) {
  if (input == Input::kUnregister)
    return node.unregister_service(fed_now_, registry_call_.service);
  BARREL_ASSERT(input == Input::kRegister && registry_call_.metadata != nullptr);
  return node.register_service(fed_now_, registry_call_.service, registry_call_.endpoint,
                               *registry_call_.metadata);
}

void Engine::on_registry_event(uint32_t node, const barrel::Event& event) {
  if (const auto* r = std::get_if<ServiceRegistered>(&event)) {
    registry_agreement_.on_registered(node, registry_pair_hash(r->service, r->node));
  } else if (const auto* u = std::get_if<ServiceUnregistered>(&event)) {
    registry_agreement_.on_removed(node, registry_pair_hash(u->service, u->node));
  } else {
    const auto& d = std::get<ServiceDown>(event);
    registry_agreement_.on_removed(node, registry_pair_hash(d.service, d.node));
  }
}

// A crash (or the crash of a restart): the node's pairs leave the truth, and
// its view is gone with its state.
void Engine::registry_node_gone(uint32_t node) {
  registry_agreement_.reset_node(node);
  if (registry_truth_.remove_node(node, names_.name(NodeId(node))) > 0)
    registry_agreement_.on_truth_change(now_);
}

void Engine::on_registry_sample() {
  BARREL_ASSERT(registry_active_ && scenario_.probe_period > Duration::zero());
  const uint64_t truth = registry_truth_.hash();
  bool agree = true;
  for (uint32_t i = 0; i < node_count_ && agree; ++i)
    agree = !nodes_[i].member() || registry_agreement_.view(i) == truth;
  registry_agreement_.on_sample(now_, agree);
  const Instant next = now_ + scenario_.probe_period;
  if (next > end_)
    return;
  SimEvent e;
  e.time = next;
  e.kind = EventKind::kRegistrySample;
  heap_.push(e);
}

void Engine::finish_registry() {
  RegistryReport& r = report_.registry;
  r.active = registry_active_;
  if (!registry_active_)
    return;
  r.instances_at_end = registry_truth_.size();
  registry_agreement_.finish(&r);
}

}  // namespace barrel::sim
