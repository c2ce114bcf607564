// engine_lookups.cpp — lookup steps, judged against the registry truth
// (LookupReport), and the message-rate check msgs_per_node_per_second: the
// live-node time integral and the marks taken at each check's `since`.
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>

#include "barrel/assert.h"
#include "duration_parse.h"
#include "engine.h"
#include "fraction_parse.h"
#include "service_pattern.h"

namespace barrel::sim {

void Engine::apply_lookup(const Step& step, uint32_t step_index) {
  const auto& action = std::get<LookupAction>(step.action);
  BARREL_ASSERT(action.count >= 1);
  (void)step_index;
  select_nodes(
      action.from, [this](uint32_t i) { return nodes_[i].member(); }, &lookup_rng_);
  for (uint32_t i : selected_) {
    if (!nodes_[i].member())
      continue;  // a named node that is down or left asks nothing
    for (uint32_t k = 1; k <= action.count; ++k) {
      const auto target = static_cast<uint32_t>(lookup_rng_.uniform(node_count_)) + 1;
      judge_lookup(i, expand_service(action.service, target, k));
    }
  }
}

// One lookup() and one whereis() of `service` at `node`, against the truth,
// compared by (node index, endpoint).
void Engine::judge_lookup(uint32_t node, const std::string& service) {
  BARREL_ASSERT(nodes_[node].alive());
  const HostedNode& n = *nodes_[node].node;
  std::set<std::pair<uint32_t, EndpointId>> truth;
  const auto it = registry_truth_.services().find(service);
  if (it != registry_truth_.services().end()) {
    for (const auto& [index, entry] : it->second)
      truth.insert({index, entry.endpoint});
  }
  std::set<std::pair<uint32_t, EndpointId>> answer;
  for (const ServiceInstance& s : n.lookup(service)) {
    const NodeId id = names_.find(s.node);
    answer.insert({id.valid() ? id.value() : kNone, s.endpoint});
  }
  LookupReport& r = report_.lookups;
  r.lookups += 1;
  if (answer == truth) {
    r.exact += 1;
  } else if (answer.empty()) {
    r.missing += 1;
  } else {
    r.wrong += 1;
  }
  const std::optional<ServiceInstance> one = n.whereis(service);
  bool hit = truth.empty() && !one.has_value();
  if (one.has_value()) {
    const NodeId id = names_.find(one->node);
    hit = id.valid() && truth.count({id.value(), one->endpoint}) > 0;
  }
  r.whereis_hits += hit ? 1 : 0;
  r.whereis_misses += hit ? 0 : 1;
}

// alive_count_ only changes while an event is dispatched, so integrating up
// to each event's instant before it runs is exact.
void Engine::integrate_alive(Instant to) {
  BARREL_ASSERT(to >= integrated_to_);
  node_us_ +=
      static_cast<uint64_t>(alive_count_) * static_cast<uint64_t>((to - integrated_to_).us());
  integrated_to_ = to;
}

void Engine::on_mark(const SimEvent& e) {
  BARREL_ASSERT(e.aux < msgs_marks_.size());
  msgs_marks_[e.aux] = {report_.messages.sent, node_us_};
}

// messages sent in [since, at] / live-node seconds over it <= Y, compared in
// integers: msgs * 10^12 <= Y_ppm * node_us.
std::string Engine::describe_msgs_per_node(uint32_t index, const Expectation& x, bool* ok) {
  BARREL_ASSERT(index < msgs_marks_.size());
  const auto [msgs0, node_us0] = msgs_marks_[index];
  const uint64_t msgs = report_.messages.sent - msgs0;
  const uint64_t node_us = node_us_ - node_us0;
  using U128 = unsigned __int128;
  *ok =
      static_cast<U128>(msgs) * 1'000'000'000'000ull <= static_cast<U128>(x.msgs_max_ppm) * node_us;
  char rate[64] = "n/a (no live node time)";
  if (node_us > 0) {
    std::snprintf(rate, sizeof rate, "%.3f",
                  static_cast<double>(msgs) * 1e6 / static_cast<double>(node_us));
  }
  char seconds[64];
  std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(node_us) / 1e6);
  return std::string(rate) + " messages per node per second since " + format_duration(x.since) +
         " (" + std::to_string(msgs) + " messages over " + seconds + " node-seconds); at most " +
         format_ppm(x.msgs_max_ppm) + " allowed";
}

}  // namespace barrel::sim
