// watch.cpp — barrel-sim --watch NODE (see watch.h).
#include "barrel/sim/watch.h"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

#include "barrel/assert.h"
#include "barrel/sim/scenario.h"
#include "trace_text.h"

namespace barrel::sim {
namespace {

const char* input_text(NodeInput input) {
  switch (input) {
    case NodeInput::kStart:
      return "started";
    case NodeInput::kStop:
      return "stopped (crash or restart)";
    case NodeInput::kJoin:
      return "join via ";
    case NodeInput::kLeave:
      return "leave";
    case NodeInput::kDeliver:
      return "in  ";
    case NodeInput::kLinkDown:
      return "link down: ";
    case NodeInput::kLinkFailed:
      return "link failed: ";
    case NodeInput::kTimers:
      return "timers";
    case NodeInput::kBroadcast:
      return "broadcast";
    case NodeInput::kRegister:
      return "register ";
    case NodeInput::kUnregister:
      return "unregister ";
  }
  return "?";
}

bool contains(std::span<const NodeId> v, NodeId id) {
  return std::find(v.begin(), v.end(), id) != v.end();
}

}  // namespace

NodeWatch::NodeWatch(std::string name, std::FILE* out) : name_(std::move(name)), out_(out) {
  BARREL_ASSERT(out_ != nullptr && !name_.empty());
}

std::string NodeWatch::check(const Scenario& scenario, std::string_view name) {
  if (trace_node_index(scenario.name_pattern, scenario.node_count, name) != kNoNode)
    return "";
  return "--watch: no node '" + std::string(name) + "' in scenario " + scenario.name + " (" +
         trace_node(scenario.name_pattern, 0) + " .. " +
         trace_node(scenario.name_pattern, scenario.node_count - 1) + ")";
}

void NodeWatch::on_start(const Scenario& scenario) {
  pattern_ = scenario.name_pattern;
  index_ = trace_node_index(pattern_, scenario.node_count, name_);
  BARREL_ASSERT(index_ != kNoNode);  // check() first
  std::fprintf(out_, "watch: %s (every input, effect and view change, by virtual time)\n",
               name_.c_str());
}

std::string NodeWatch::name_of(uint32_t index) const {
  return trace_node(pattern_, index);
}

void NodeWatch::line(Instant at, const std::string& what) {
  std::fprintf(out_, "%s %s  %s\n", trace_time(at).c_str(), name_.c_str(), what.c_str());
  lines_ += 1;
}

void NodeWatch::flush_dropped() {
  if (!arrival_pending_)
    return;
  arrival_pending_ = false;
  line(arrival_.time, "in  " + std::string(to_string(arrival_type_)) + " <- " +
                          name_of(arrival_.peer) +
                          " DROPPED (not running, an older incarnation's, or partitioned)");
}

void NodeWatch::on_event(const ObservedEvent& e) {
  flush_dropped();
  if (e.kind == ObservedKind::kDeliver && e.node == index_) {
    arrival_pending_ = true;
    arrival_ = e;
    arrival_.message = nullptr;  // valid during the call only
    arrival_type_ = message_type(*e.message);
  }
}

void NodeWatch::on_end(const RunReport& report) {
  (void)report;
  flush_dropped();
  std::fflush(out_);
}

void NodeWatch::on_input(Instant now, uint32_t node, NodeInput input, uint32_t peer,
                         const Message* msg, std::string_view service) {
  BARREL_ASSERT(node == index_);
  std::string what = input_text(input);
  if (input == NodeInput::kDeliver) {
    BARREL_ASSERT(msg != nullptr);
    arrival_pending_ = false;  // fed: not dropped
    what += std::string(to_string(message_type(*msg))) + " <- " + name_of(peer);
  } else if (input == NodeInput::kStart) {
    starts_ += 1;
    what += " (incarnation " + std::to_string(starts_) + ")";
    active_.clear();
    passive_.clear();
  } else if (input == NodeInput::kRegister || input == NodeInput::kUnregister) {
    what += std::string(service);
  } else if (peer != kNoNode) {
    what += name_of(peer);
  }
  line(now, what);
}

void NodeWatch::on_effect(Instant now, uint32_t node, const Effect& effect) {
  BARREL_ASSERT(node == index_);
  std::string what;
  if (const auto* s = std::get_if<Send>(&effect)) {
    what = "out " + std::string(to_string(message_type(s->msg))) + " -> " + name_of(s->to);
  } else if (const auto* o = std::get_if<OpenLink>(&effect)) {
    what = "open link -> " + name_of(o->peer);
  } else if (const auto* c = std::get_if<CloseLink>(&effect)) {
    what = "close link -> " + name_of(c->peer);
  } else {
    what = std::visit(
        [this](const auto& ev) -> std::string {
          using E = std::decay_t<decltype(ev)>;
          if constexpr (std::is_same_v<E, PeerUp>)
            return "event PeerUp " + name_of(ev.peer);
          else if constexpr (std::is_same_v<E, PeerDown>)
            return "event PeerDown " + name_of(ev.peer) + " (" + std::string(to_string(ev.reason)) +
                   ")";
          else if constexpr (std::is_same_v<E, BroadcastDelivered>)
            return "event BroadcastDelivered from " + name_of(ev.origin) + ", " +
                   std::to_string(ev.hops) + " hops";
          else if constexpr (std::is_same_v<E, ServiceRegistered>)
            return "event ServiceRegistered " + ev.service + " at " + ev.node;
          else if constexpr (std::is_same_v<E, ServiceUnregistered>)
            return "event ServiceUnregistered " + ev.service + " at " + ev.node;
          else
            return "event ServiceDown " + ev.service + " at " + ev.node;
        },
        std::get<Emit>(effect).event);
  }
  line(now, what);
}

// "+a +b -c" between two views (additions in the new order, then removals).
std::string NodeWatch::view_change(std::span<const NodeId> was, std::span<const NodeId> now) const {
  std::string out;
  for (NodeId id : now) {
    if (!contains(was, id))
      out += " +" + name_of(id);
  }
  for (NodeId id : was) {
    if (!contains(now, id))
      out += " -" + name_of(id);
  }
  return out;
}

void NodeWatch::on_views(Instant now, uint32_t node, std::span<const NodeId> active,
                         std::span<const NodeId> passive) {
  BARREL_ASSERT(node == index_);
  if (!std::ranges::equal(active, active_)) {
    std::string list;
    for (NodeId id : active)
      list += (list.empty() ? "" : " ") + name_of(id);
    const std::string change = view_change(active_, active);
    line(now, "active " + (change.empty() ? std::string(" (reordered)") : change.substr(1)) +
                  " = [" + list + "]");
    active_.assign(active.begin(), active.end());
  }
  if (!std::ranges::equal(passive, passive_)) {
    const std::string change = view_change(passive_, passive);
    line(now, "passive " + (change.empty() ? std::string(" (reordered)") : change.substr(1)) +
                  " = " + std::to_string(passive.size()) + " peers");
    passive_.assign(passive.begin(), passive.end());
  }
}

}  // namespace barrel::sim
