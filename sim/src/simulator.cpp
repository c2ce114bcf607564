// simulator.cpp — run_scenario(): setup, the event loop and dispatch of the
// simulator engine (engine.h says how the engine is split across files).
#include "barrel/sim/simulator.h"

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <utility>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "engine.h"
#include "selector.h"

namespace barrel::sim {
namespace {

std::string node_name(const std::string& pattern, uint32_t index_1) {
  std::string out = pattern;
  const std::string key = "{i}";
  const std::string value = std::to_string(index_1);
  // Bounded: each replacement consumes one "{i}" of the finite pattern.
  for (size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
    out.replace(at, key.size(), value);
  return out;
}

}  // namespace

bool RunReport::passed() const {
  if (!failure.empty())
    return false;
  for (const auto& e : expectations) {
    if (!e.passed)
      return false;
  }
  return true;
}

RunReport run_scenario(const Scenario& scenario, const RunOptions& options) {
  Engine engine(scenario, options, core_node_factory());
  return engine.run();
}

std::string format_instant(Instant t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%llu.%06llus", static_cast<unsigned long long>(t.us() / 1000000),
                static_cast<unsigned long long>(t.us() % 1000000));
  return buf;
}

Engine::Engine(const Scenario& scenario, const RunOptions& options, NodeFactory factory)
    : scenario_(scenario),
      options_(options),
      factory_(std::move(factory)),
      node_count_(scenario.node_count),
      names_(std::max<size_t>(scenario.node_count, 1)),
      nodes_(scenario.node_count),
      network_(scenario.network, derive_seed(scenario.seed, SeedDomain::kNetwork, 0),
               derive_seed(scenario.seed, SeedDomain::kNetwork, 1), scenario.node_count),
      partitions_(scenario.node_count),
      clocks_(scenario.network.clock, derive_seed(scenario.seed, SeedDomain::kNetwork, 3),
              scenario.node_count),
      faults_rng_(derive_seed(scenario.seed, SeedDomain::kFaults, 0)),
      workload_rng_(derive_seed(scenario.seed, SeedDomain::kWorkload, 0)),
      between_rng_(derive_seed(scenario.seed, SeedDomain::kFaults, 1)),
      churn_rng_(derive_seed(scenario.seed, SeedDomain::kFaults, 2)),
      lookup_rng_(derive_seed(scenario.seed, SeedDomain::kWorkload, 1)),
      local_checker_(names_, scenario.node_count),
      end_(Instant::zero() + scenario.duration),
      broadcasts_(scenario.node_count),
      registry_truth_(scenario.node_count),
      registry_agreement_(scenario.node_count) {
  BARREL_ASSERT(factory_ != nullptr);
  report_.scenario_name = scenario.name;
  report_.seed = scenario.seed;
  effects_.reserve(limits::kEffectsPerInputMax);
  setup_observers();
}

RunReport Engine::run() {
  observe_start();
  if (setup())
    loop();
  finish_samples();
  finish_report();
  observe_end();
  return std::move(report_);
}

bool Engine::setup() {
  if (!intern_names())
    return false;
  Rng groups_rng(derive_seed(scenario_.seed, SeedDomain::kFaults, 3));
  if (Status s = groups_.resolve(scenario_.groups, names_, node_count_, &groups_rng); !s.is_ok()) {
    fail(std::string(s.message()));
    return false;
  }
  if (!validate() || !setup_network())
    return false;
  churn_.resize(scenario_.timeline.size());
  msgs_marks_.assign(scenario_.expectations.size(), {0, 0});
  for (uint32_t k = 0; k < scenario_.expectations.size(); ++k) {
    const Expectation& x = scenario_.expectations[k];
    if (x.kind != Expectation::Kind::kMsgsPerNode || x.since == Duration::zero())
      continue;
    SimEvent e;
    e.time = Instant::zero() + x.since;
    e.kind = EventKind::kMark;
    e.aux = k;
    heap_.push(e);
  }
  // Window ends first: a window [from, to) is measured before the steps at `to`.
  window_diameters_.assign(scenario_.report_windows.size(), DiameterEstimate{});
  for (uint32_t k = 0; k < scenario_.report_windows.size(); ++k) {
    SimEvent e;
    e.time = Instant::zero() + scenario_.report_windows[k].to;
    e.kind = EventKind::kWindow;
    e.aux = k;
    heap_.push(e);
  }
  for (uint32_t k = 0; k < scenario_.timeline.size(); ++k) {
    SimEvent e;
    e.time = Instant::zero() + scenario_.timeline[k].at;
    e.kind = EventKind::kStep;
    e.aux = k;
    heap_.push(e);
  }
  evaluated_.assign(scenario_.expectations.size(), false);
  unsettled_.assign(scenario_.expectations.size(), {});
  report_.expectations.resize(scenario_.expectations.size());
  for (uint32_t k = 0; k < scenario_.expectations.size(); ++k) {
    report_.expectations[k].expectation = scenario_.expectations[k];
    SimEvent e;
    e.time = Instant::zero() + scenario_.expectations[k].at;
    e.kind = EventKind::kExpect;
    e.aux = k;
    heap_.push(e);
  }
  setup_registry();
  setup_samples();
  return true;
}

// All scenario names go into the one table in index order, so that in the
// simulator NodeId value == node index.
bool Engine::intern_names() {
  for (uint32_t i = 0; i < node_count_; ++i) {
    const std::string name = node_name(scenario_.name_pattern, i + 1);
    Result<NodeId> id = names_.intern(name);
    if (!id.is_ok()) {
      fail("name_pattern gives an invalid node name '" + name + "': " + id.status().to_string());
      return false;
    }
    if (id->value() != i) {
      fail("name_pattern '" + scenario_.name_pattern + "' gives the name '" + name +
           "' twice (it needs {i})");
      return false;
    }
  }
  BARREL_ASSERT(names_.size() == node_count_);
  return true;
}

bool Engine::validate() {
  if (Status s = scenario_.node_config.validate(); !s.is_ok()) {
    fail("node config: " + s.to_string());
    return false;
  }
  const LatencyModel& lat = scenario_.network.latency;
  if (lat.min < Duration::zero() ||
      (lat.kind == LatencyModel::Kind::kUniform && lat.max < lat.min)) {
    fail("network latency needs 0 <= min <= max");
    return false;
  }
  if (scenario_.network.detection_delay < Duration::zero() ||
      scenario_.duration < Duration::zero() || scenario_.probe_period < Duration::zero()) {
    fail("detection_delay, duration and probe_period must not be negative");
    return false;
  }
  for (uint32_t k = 0; k < scenario_.timeline.size(); ++k) {
    if (!validate_step(scenario_.timeline[k], k))
      return false;
  }
  return true;
}

namespace {

// The selectors an action carries.
void selectors_of(const Action& action, std::vector<const NodeSelector*>* out) {
  out->clear();
  std::visit(
      [out](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, BroadcastAction> || std::is_same_v<A, LookupAction>) {
          out->push_back(&a.from);
        } else if constexpr (std::is_same_v<A, PartitionAction>) {
          for (const NodeSelector& g : a.groups)
            out->push_back(&g);
          if (a.one_way) {
            out->push_back(&a.from);
            out->push_back(&a.to);
          }
        } else if constexpr (!std::is_same_v<A, HealAction>) {
          out->push_back(&a.nodes);
        }
      },
      action);
}

}  // namespace

bool Engine::validate_step(const Step& step, uint32_t k) {
  if (step.at < Duration::zero() || step.every < Duration::zero()) {
    fail(where(step, k) + ": at and every must not be negative");
    return false;
  }
  const bool whole = std::holds_alternative<PartitionAction>(step.action) ||
                     std::holds_alternative<HealAction>(step.action) ||
                     std::holds_alternative<ChurnAction>(step.action);
  if (step.between_end > step.at && (whole || step.every > Duration::zero())) {
    fail(where(step, k) + ": between applies to node actions without every/until");
    return false;
  }
  if (const auto* churn = std::get_if<ChurnAction>(&step.action)) {
    if (churn->arrivals_per_second_ppm == 0 || churn->until < step.at) {
      fail(where(step, k) + ": churn needs arrivals_per_second above 0 and until >= at");
      return false;
    }
  }
  std::vector<const NodeSelector*> selectors;
  selectors_of(step.action, &selectors);
  for (const NodeSelector* sel : selectors) {
    if (Status s = validate_selector(*sel, names_, node_count_, &groups_); !s.is_ok()) {
      fail(where(step, k) + ": " + std::string(s.message()));
      return false;
    }
  }
  const std::vector<std::string>* contacts = nullptr;
  if (const auto* join = std::get_if<JoinAction>(&step.action)) {
    contacts = &join->contacts;
    if (join->spread < Duration::zero()) {
      fail(where(step, k) + ": join spread must not be negative");
      return false;
    }
  }
  if (const auto* churn = std::get_if<ChurnAction>(&step.action))
    contacts = &churn->contacts;
  if (const auto* restart = std::get_if<RestartAction>(&step.action)) {
    contacts = &restart->contacts;
    if (restart->after < Duration::zero()) {
      fail(where(step, k) + ": restart after must not be negative");
      return false;
    }
  }
  for (size_t c = 0; contacts != nullptr && c < contacts->size(); ++c) {
    const NodeId id = names_.find((*contacts)[c]);
    if (!id.valid() || id.value() >= node_count_) {
      fail(where(step, k) + ": unknown contact node name '" + (*contacts)[c] + "'");
      return false;
    }
  }
  if (const auto* p = std::get_if<PartitionAction>(&step.action)) {
    bool ok = p->one_way ? p->groups.empty()
                         : !p->groups.empty() && p->groups.size() <= kPartitionGroupsMax;
    for (const NodeSelector& g : p->groups)
      ok = ok && g.kind != NodeSelector::Kind::kAll;
    if (!ok) {
      fail(where(step, k) + ": a partition needs 1.." + std::to_string(kPartitionGroupsMax) +
           " groups, none of them all (a one-way cut: none)");
      return false;
    }
  }
  return true;
}

void Engine::loop() {
  // Bounded by max_events (processed events) and by the duration; a stale
  // timer is skipped without counting, and every pushed timer is stale at
  // most once, so skipped ones are bounded by the processed ones.
  const uint64_t progress_every = std::max<uint64_t>(options_.progress_every_events, 1);
  while (report_.failure.empty() && !heap_.empty()) {
    if (heap_.overflowed()) {
      fail("more than " + std::to_string(EventHeap::kPendingMax) + " events pending at once at t=" +
           format_instant(now_) + ": the scenario is beyond the simulator's agenda");
      break;
    }
    sample_before(heap_.top().time);
    if (heap_.top().time > end_)
      break;
    if (report_.events >= scenario_.max_events) {
      fail("max_events (" + std::to_string(scenario_.max_events) +
           ") reached at t=" + format_instant(heap_.top().time));
      break;
    }
    const SimEvent e = heap_.pop();
    BARREL_ASSERT(e.time >= now_);
    integrate_alive(e.time);
    now_ = e.time;
    if (e.kind == EventKind::kTimer && stale_timer(e))
      continue;
    report_.events += 1;
    if (!heap_.empty())
      prefetch(heap_.top());
    hash_event(e);
    if (watch_context_ != nullptr)
      observe(e);
    dispatch(e);
    if (options_.progress && report_.events % progress_every == 0)
      report_progress();
  }
}

// Starts loading the state the event `next` will touch, so that the misses
// of reaching its node (10^5 nodes do not fit in any cache) overlap with the
// work on the current event. `next` is the heap's top, usually the next event
// processed; when it is not (the current event pushes an earlier one), the
// prefetch is merely wasted. No effect on what the run does.
// Starts loading what the event `next` touches first, so that the misses of
// reaching its node (10^5 nodes fit in no cache) overlap with the work on
// the current event: the node object (its vtable pointer) and the first line
// of its state, plus a Deliver's parked message. `next` is the heap's top,
// usually the next event processed; when it is not (the current event pushes
// an earlier one) the prefetch is merely wasted. No effect on what the run
// does. Prefetching the whole 3 KB state of a core Node was slower (48.2 s
// against 45.4 s on a 36 s, 100k-node run): it crowds out the demand loads.
void Engine::prefetch(const SimEvent& next) const {
  if (next.node >= node_count_)
    return;
  const SimNode& n = nodes_[next.node];
  __builtin_prefetch(n.node.get());
  if (!n.hot.empty())
    __builtin_prefetch(n.hot.data());
  if (next.kind == EventKind::kDeliver)
    pool_.prefetch(next.aux);
}

bool Engine::stale_timer(const SimEvent& e) const {
  const SimNode& n = nodes_[e.node];
  return !n.alive() || n.epoch != e.epoch || n.timer_at != e.time;
}

void Engine::hash_event(const SimEvent& e) {
  trace_.add_u64(e.time.us());
  trace_.add_u64(e.seq);
  trace_.add_pair(e.node, e.peer);
  // The pool slot of a Deliver is an address, not content: its message was
  // hashed, field by field, as the Send that queued it.
  trace_.add_pair(e.epoch, e.kind == EventKind::kDeliver ? 0 : e.aux);
  trace_.add_pair(e.aux2, static_cast<uint8_t>(e.kind));
}

void Engine::dispatch(const SimEvent& e) {
  switch (e.kind) {
    case EventKind::kDeliver:
      return on_deliver(e);
    case EventKind::kTimer:
      return on_timer(e);
    case EventKind::kLinkDown:
      return on_link_down(e);
    case EventKind::kLinkFailed:
      return on_link_failed(e);
    case EventKind::kStep:
      return on_step(e);
    case EventKind::kProbe:
      return on_probe();
    case EventKind::kExpect:
      return on_expect(e);
    case EventKind::kJoin:
      return on_join(e);
    case EventKind::kWindow:
      return on_window(e);
    case EventKind::kRegistrySample:
      return on_registry_sample();
    case EventKind::kStepNode:
      return on_step_node(e);
    case EventKind::kChurnArrival:
      return on_churn_arrival(e);
    case EventKind::kChurnDeparture:
      return on_churn_departure(e);
    case EventKind::kMark:
      return on_mark(e);
  }
  BARREL_ASSERT(false && "unknown event kind");
}

void Engine::fail(std::string what) {
  if (report_.failure.empty())
    report_.failure = std::move(what);
}

std::string Engine::at_now() const {
  return "t=" + format_instant(now_);
}

}  // namespace barrel::sim
