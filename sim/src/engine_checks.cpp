// engine_checks.cpp — cluster-wide checks of the simulator engine:
// expectations at their instants, healing probes after crashes, and the final
// report. The measurements themselves are in checkers/overlay.h; this file
// turns them into verdicts and sentences.
#include <algorithm>
#include <string>

#include "barrel/assert.h"
#include "engine.h"

namespace barrel::sim {
namespace {

std::string format_duration(Duration d) {
  return format_instant(Instant::zero() + d);
}

}  // namespace

std::string Engine::name_of(NodeId id) const {
  if (!id.valid() || id.value() >= names_.size())
    return "#" + std::to_string(id.value());
  return std::string(names_.name(id));
}

void Engine::snapshot_views() {
  views_.resize(node_count_);
  for (uint32_t i = 0; i < node_count_; ++i) {
    const SimNode& n = nodes_[i];
    ViewRef& v = views_[i];
    v.member = n.member();
    v.active = n.alive() ? n.node->active_view() : std::span<const NodeId>();
    v.passive = n.alive() ? n.node->passive_view() : std::span<const NodeId>();
  }
}

bool Engine::overlay_healed() {
  snapshot_views();
  return overlay_checker_.connectivity(views_).connected() &&
         OverlayChecker::symmetry(views_).symmetric();
}

void Engine::on_probe() {
  BARREL_ASSERT(probing_);
  if (!overlay_healed()) {
    SimEvent e;
    e.time = now_ + scenario_.probe_period;
    e.kind = EventKind::kProbe;
    heap_.push(e);
    return;
  }
  for (HealingRecord& r : report_.healings) {
    if (r.healed_at.is_never())
      r.healed_at = now_;
  }
  probing_ = false;  // the next crash starts probing again
}

void Engine::on_expect(const SimEvent& e) {
  BARREL_ASSERT(e.aux < scenario_.expectations.size());
  if (e.aux2 == 1)
    return finish_settling(e.aux);
  ExpectationResult& r = report_.expectations[e.aux];
  r = evaluate(scenario_.expectations[e.aux]);
  if (!r.passed && r.expectation.kind == Expectation::Kind::kSymmetric)
    return start_settling(e.aux, &r);
  evaluated_[e.aux] = true;
}

Duration Engine::settle_window(const Expectation& x) const {
  if (x.settle > Duration::zero())
    return x.settle;
  const LatencyModel& l = scenario_.network.latency;
  const Duration latency_max = l.kind == LatencyModel::Kind::kConstant ? l.min : l.max;
  return latency_max * 4 + scenario_.network.detection_delay;
}

// A symmetric check that found one-way links looks at the same links again
// after the settle window: a handshake in flight (one side has admitted the
// other, the reply is on the wire) resolves within it; a link still one-way
// then is a bug. The verdict waits for the second look.
void Engine::start_settling(uint32_t index, ExpectationResult* r) {
  constexpr size_t kSettleLinksMax = 1u << 16;
  std::vector<std::pair<NodeId, NodeId>>& links = unsettled_[index];
  links.clear();
  if (!OverlayChecker::asymmetric_links(views_, kSettleLinksMax, &links)) {
    r->detail += "; too many to wait for";
    evaluated_[index] = true;
    return;
  }
  BARREL_ASSERT(!links.empty());
  SimEvent e;
  e.time = std::min(now_ + settle_window(r->expectation), end_);
  e.kind = EventKind::kExpect;
  e.aux = index;
  e.aux2 = 1;
  heap_.push(e);
}

void Engine::finish_settling(uint32_t index) {
  snapshot_views();
  ExpectationResult& r = report_.expectations[index];
  const std::vector<std::pair<NodeId, NodeId>>& links = unsettled_[index];
  BARREL_ASSERT(!links.empty());
  size_t still = 0;
  std::pair<NodeId, NodeId> example;
  for (const auto& [a, b] : links) {
    if (OverlayChecker::still_asymmetric(views_, a, b) && still++ == 0)
      example = {a, b};
  }
  r.passed = still == 0;
  if (r.passed) {
    r.detail += "; all settled by " + at_now();
  } else {
    r.detail += "; " + std::to_string(still) + " still one-way at " + at_now() + " (e.g. " +
                name_of(example.first) + " -> " + name_of(example.second) + ")";
  }
  evaluated_[index] = true;
}

ExpectationResult Engine::evaluate(const Expectation& x) {
  snapshot_views();
  ExpectationResult r;
  r.expectation = x;
  switch (x.kind) {
    case Expectation::Kind::kConnected: {
      r.detail = describe_connected();
      r.passed = overlay_checker_.connectivity(views_).connected();
      break;
    }
    case Expectation::Kind::kSymmetric:
      r.detail = describe_symmetry(&r.passed);
      break;
    case Expectation::Kind::kViewBounds:
      r.detail = describe_bounds(&r.passed);
      break;
    case Expectation::Kind::kActiveMin:
      r.detail = describe_active_min(x.count, &r.passed);
      break;
    case Expectation::Kind::kHealedWithin:
      r.detail = describe_healing(x.within, &r.passed);
      break;
    case Expectation::Kind::kReliability:
      r.detail = describe_reliability(x, &r.passed);
      break;
    case Expectation::Kind::kRegistryConverged:
      r.detail = describe_registry_converged(x, &r.passed);
      break;
    case Expectation::Kind::kNoLiveDead:
      r.detail = describe_no_live_dead(&r.passed);
      break;
    case Expectation::Kind::kMsgsPerNode: {
      // The index of x: expectations are evaluated through report_.expectations.
      const auto index = static_cast<uint32_t>(&x - scenario_.expectations.data());
      BARREL_ASSERT(index < scenario_.expectations.size());
      r.detail = describe_msgs_per_node(index, x, &r.passed);
      break;
    }
  }
  r.detail = at_now() + ": " + r.detail;
  return r;
}

std::string Engine::describe_connected() {
  const ConnectivityResult c = overlay_checker_.connectivity(views_);
  std::string s = std::to_string(c.components) +
                  (c.components == 1 ? " component" : " components") + " among " +
                  std::to_string(c.members) + " live nodes";
  if (c.components > 1)
    s += "; largest " + std::to_string(c.largest);
  return s;
}

std::string Engine::describe_symmetry(bool* ok) {
  const SymmetryResult y = OverlayChecker::symmetry(views_);
  *ok = y.symmetric();
  std::string s = std::to_string(y.one_way) + " one-way links, " + std::to_string(y.dangling) +
                  " links to non-live nodes";
  if (!*ok)
    s += " (e.g. " + name_of(y.example_from) + " -> " + name_of(y.example_to) + ")";
  return s;
}

std::string Engine::describe_bounds(bool* ok) {
  const HyParViewConfig& h = scenario_.node_config.hyparview;
  const ViewBoundsResult b = OverlayChecker::view_bounds(views_, h.active_size, h.passive_size);
  *ok = b.within();
  std::string s = "max active " + std::to_string(b.max_active) + " (bound " +
                  std::to_string(h.active_size) + "), max passive " +
                  std::to_string(b.max_passive) + " (bound " + std::to_string(h.passive_size) + ")";
  if (!*ok) {
    s += "; " + std::to_string(b.violations) + " nodes above a bound, e.g. " + name_of(b.example);
  }
  return s;
}

std::string Engine::describe_active_min(uint32_t count, bool* ok) {
  const ActiveMinResult m = OverlayChecker::active_min(views_);
  if (m.min_active == UINT32_MAX) {
    *ok = true;
    return "no live nodes";
  }
  *ok = m.min_active >= count;
  return "min active " + std::to_string(m.min_active) + " at " + name_of(m.example) +
         " (required " + std::to_string(count) + ")";
}

std::string Engine::describe_healing(Duration within, bool* ok) {
  *ok = true;
  if (report_.healings.empty())
    return "no crash so far";
  Duration slowest = Duration::zero();
  for (const HealingRecord& r : report_.healings) {
    if (r.healed_at.is_never()) {
      *ok = false;
      return "crash at t=" + format_instant(r.crash_at) + " (" + std::to_string(r.crashed) +
             " nodes) not healed yet (within " + format_duration(within) + ")";
    }
    slowest = std::max(slowest, r.healed_at - r.crash_at);
  }
  *ok = slowest <= within;
  return std::to_string(report_.healings.size()) + " crash actions; slowest healed in " +
         format_duration(slowest) + " (within " + format_duration(within) + ")";
}

void Engine::finish_report() {
  report_.trace_hash = trace_.value();
  report_.end_time = report_.failure.empty() ? end_ : now_;
  report_.live_nodes = alive_count_;
  for (size_t k = 0; k < evaluated_.size(); ++k) {
    if (evaluated_[k])
      continue;
    ExpectationResult& r = report_.expectations[k];
    r.passed = false;
    r.detail = "not evaluated: the run ended at t=" + format_instant(report_.end_time);
  }
  const uint32_t summaries = std::min(options_.node_summaries_max, node_count_);
  report_.nodes.clear();
  for (uint32_t i = 0; i < summaries; ++i) {
    const SimNode& n = nodes_[i];
    NodeSummary s;
    s.name = name_of(NodeId(i));
    s.alive = n.alive();
    if (n.alive()) {
      for (NodeId m : n.node->active_view())
        s.active.push_back(name_of(m));
      for (NodeId m : n.node->passive_view())
        s.passive.push_back(name_of(m));
    }
    report_.nodes.push_back(std::move(s));
  }
  finish_broadcasts();
  finish_registry();
}

}  // namespace barrel::sim
