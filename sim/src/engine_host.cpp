// engine_host.cpp — the host loop of the simulator engine: feed one input to
// a node, drain its effects, carry them out, re-arm its one timer; plus node
// start and crash, and the network events (deliver, link down, link failed).
// The connection semantics are documented in network.h.
#include <string>
#include <utility>
#include <variant>

#include "barrel/assert.h"
#include "barrel/codec.h"
#include "barrel/limits.h"
#include "engine.h"

namespace barrel::sim {

bool Engine::start_node(uint32_t i) {
  SimNode& n = nodes_[i];
  BARREL_ASSERT(!n.alive());
  uint64_t seed = derive_seed(scenario_.seed, SeedDomain::kNode, i);
  if (n.starts > 0)
    seed = derive_seed(seed, SeedDomain::kNode, n.starts);  // a restart is a new incarnation
  Result<std::unique_ptr<HostedNode>> made =
      factory_(scenario_.node_config, names_, NodeId(i), seed, local_now(i));
  if (!made.is_ok()) {
    fail("start of " + name_of(NodeId(i)) + " at " + at_now() + ": " + made.status().to_string());
    return false;
  }
  n.node = std::move(made).value();
  n.hot = n.node->hot_state();
  n.starts += 1;
  n.timer_at = Instant::never();
  n.views_checked = 0;  // a new Node: its versions start afresh
  alive_count_ += 1;
  BARREL_ASSERT(alive_count_ <= node_count_);
  registry_agreement_.reset_node(i);                 // a new incarnation has heard of nothing
  feed(i, Input::kCreate, kNone, nullptr).ignore();  // carries out what create() queued
  return true;
}

void Engine::crash_node(uint32_t i) {
  SimNode& n = nodes_[i];
  BARREL_ASSERT(n.alive());
  trace_.add_u8(0x80);  // crash marker: crashes are inputs of the world, not of a node
  trace_.add_u32(i);
  const uint32_t old_epoch = n.epoch;
  n.node.reset();
  n.hot = {};
  n.epoch += 1;  // in-flight deliveries and timers of the old incarnation go stale
  n.timer_at = Instant::never();
  alive_count_ -= 1;
  broadcasts_.on_crash(i);
  registry_node_gone(i);
  monitors_.clear();
  network_.crash(i, &monitors_);
  for (uint32_t monitor : monitors_) {
    if (!nodes_[monitor].alive())
      continue;
    SimEvent e;
    e.time = now_ + network_.detection_delay();
    e.kind = EventKind::kLinkDown;
    e.node = monitor;
    e.peer = i;
    e.epoch = old_epoch;
    heap_.push(e);
  }
}

Status Engine::feed(uint32_t i, Input input, uint32_t peer, const Message* msg) {
  SimNode& n = nodes_[i];
  BARREL_ASSERT(n.alive());
  BARREL_ASSERT(effects_.empty());
  trace_.add_pair(i, peer);
  trace_.add_u8(static_cast<uint8_t>(input));
  fed_now_ = local_now(i);  // the node lives by its own clock (clock_drift.h)
  Status status = call_node(*n.node, input, peer, msg);
  n.node->drain_effects(&effects_);
  BARREL_ASSERT(effects_.size() <= limits::kEffectsPerInputMax);
  for (Effect& effect : effects_)
    carry_out(i, effect);
  effects_.clear();
  check_local(i);
  rearm_timer(i);
  return status;
}

Status Engine::call_node(HostedNode& node, Input input, uint32_t peer, const Message* msg) {
  switch (input) {
    case Input::kCreate:
      return Status::ok();
    case Input::kJoin:
      return node.join(fed_now_, NodeId(peer));
    case Input::kLeave:
      node.leave(fed_now_);
      return Status::ok();
    case Input::kDeliver:
      BARREL_ASSERT(msg != nullptr);
      return node.deliver(fed_now_, NodeId(peer), *msg);
    case Input::kLinkDown:
      node.on_link_down(fed_now_, NodeId(peer));
      return Status::ok();
    case Input::kLinkFailed:
      node.on_link_failed(fed_now_, NodeId(peer));
      return Status::ok();
    case Input::kTimers:
      node.handle_timers(fed_now_);
      return Status::ok();
    case Input::kBroadcast:
      return call_broadcast(node, peer);  // peer: the origin itself
    case Input::kRegister:
    case Input::kUnregister:
      return call_registry(node, input);
  }
  BARREL_ASSERT(false && "unknown input");
  return Status::ok();
}

void Engine::carry_out(uint32_t from, Effect& effect) {
  hash_effect(&trace_, effect);
  if (auto* s = std::get_if<Send>(&effect)) {
    if (valid_peer(from, s->to, "Send"))
      send(from, *s);
  } else if (const auto* o = std::get_if<OpenLink>(&effect)) {
    if (valid_peer(from, o->peer, "OpenLink"))
      open_link(from, o->peer.value());
  } else if (const auto* c = std::get_if<CloseLink>(&effect)) {
    if (valid_peer(from, c->peer, "CloseLink"))
      network_.close(from, c->peer.value());
  } else {
    const barrel::Event& event = std::get<Emit>(effect).event;
    if (std::holds_alternative<PeerUp>(event)) {
      report_.peer_ups += 1;
    } else if (std::holds_alternative<PeerDown>(event)) {
      report_.peer_downs += 1;
    } else if (const auto* d = std::get_if<BroadcastDelivered>(&event)) {
      on_broadcast_delivered(from, *d);
    } else {
      on_registry_event(from, event);
    }
  }
}

// A node naming itself or a handle outside the simulation is a bug of the
// core: the run fails, naming it.
bool Engine::valid_peer(uint32_t from, NodeId peer, const char* effect) {
  if (peer.valid() && peer.value() < node_count_ && peer.value() != from)
    return true;
  fail(name_of(NodeId(from)) + " emitted " + effect + " to " +
       (peer.valid() && peer.value() == from ? "itself" : "an unknown node id") + " at " +
       at_now());
  return false;
}

void Engine::send(uint32_t from, Send& s) {
  const uint32_t to = s.to.value();
  report_.messages.sent += 1;
  if (scenario_.network.wire_mode && !wire_round_trip(&s.msg))
    return;
  uint64_t bytes = 0;
  if (network_.needs_size()) {
    bytes = scenario_.network.wire_mode ? wire_buffer_.size() : wire::encoded_size(s.msg, names_);
  }
  const Network::Transit t = network_.transit(from, to, nodes_[to].epoch, now_, bytes);
  if (t.lost_rounds > 0)
    report_.messages.retransmitted += 1;
  SimEvent e;
  e.time = t.at;
  e.kind = EventKind::kDeliver;
  e.node = to;
  e.peer = from;
  e.epoch = nodes_[to].epoch;
  e.aux2 = nodes_[from].epoch;
  if (!t.duplicate_at.is_never()) {
    SimEvent copy = e;  // beyond QUIC (network.h): the core must cope
    copy.time = t.duplicate_at;
    copy.aux = pool_.put(Message(s.msg));
    heap_.push(copy);
  }
  e.aux = pool_.put(std::move(s.msg));
  heap_.push(e);
}

void Engine::open_link(uint32_t from, uint32_t peer) {
  if (nodes_[peer].alive() && partitions_.reachable(from, peer)) {
    network_.open(from, peer, nodes_[peer].epoch);
  } else {
    // The handshake times out: judged at the OpenLink, so a cut healing
    // within the detection delay still fails it (the node retries).
    schedule_link_failed(from, peer);
  }
}

void Engine::schedule_link_failed(uint32_t node, uint32_t peer) {
  BARREL_ASSERT(nodes_[node].alive());
  if (!network_.add_pending_failure(node, peer))
    return;  // one is pending already: a burst yields one
  SimEvent e;
  e.time = now_ + network_.detection_delay();
  e.kind = EventKind::kLinkFailed;
  e.node = node;
  e.peer = peer;
  e.epoch = nodes_[node].epoch;
  heap_.push(e);
}

void Engine::rearm_timer(uint32_t i) {
  SimNode& n = nodes_[i];
  const Instant deadline = virtual_deadline(i, n.node->next_deadline());
  if (deadline.is_never()) {
    n.timer_at = Instant::never();  // a pending Timer event is now stale
    return;
  }
  const Instant at = deadline < now_ ? now_ : deadline;  // overdue: run it next
  if (at == n.timer_at)
    return;
  n.timer_at = at;
  SimEvent e;
  e.time = at;
  e.kind = EventKind::kTimer;
  e.node = i;
  e.epoch = n.epoch;
  heap_.push(e);
}

void Engine::check_local(uint32_t i) {
  SimNode& n = nodes_[i];
  n.left = n.node->has_left();
  report_.invariant_checks += 1;
  const uint64_t version = n.node->views_version();
  if (version != 0 && version == n.views_checked)
    return;  // the views that passed last time, unchanged
  const std::span<const NodeId> active = n.node->active_view();
  const std::span<const NodeId> passive = n.node->passive_view();
  n.active_size = static_cast<uint16_t>(active.size());
  n.passive_size = static_cast<uint16_t>(passive.size());
  const HyParViewConfig& h = scenario_.node_config.hyparview;
  if (local_checker_.check(NodeId(i), active, passive, h.active_size, h.passive_size, &what_)) {
    n.views_checked = version;
    return;
  }
  fail("invariant violated at " + name_of(NodeId(i)) + " at " + at_now() + ": " + what_);
}

void Engine::on_deliver(const SimEvent& e) {
  Message msg = pool_.take(e.aux);
  SimNode& target = nodes_[e.node];
  // A partition is judged at arrival: a message on the wire when a cut
  // starts is lost with it, one on the wire when it heals gets through.
  // One way suffices here: the receiver gets the packets (partitions.h).
  const bool reachable = partitions_.reaches(e.peer, e.node);
  if (target.alive() && target.epoch == e.epoch && reachable) {
    report_.messages.delivered += 1;
    on_gossip_received(msg);
    Status s = feed(e.node, Input::kDeliver, e.peer, &msg);
    if (!s.is_ok())
      report_.messages.rejected += 1;
    return;
  }
  report_.messages.dropped += 1;
  report_.messages.partitioned += reachable ? 0 : 1;
  const SimNode& sender = nodes_[e.peer];
  // The sender learns of the loss, unless its monitored link will report it
  // anyway, or it is not the incarnation that sent.
  if (sender.alive() && sender.epoch == e.aux2 &&
      network_.monitored_epoch(e.peer, e.node) == Network::kNoEpoch) {
    schedule_link_failed(e.peer, e.node);
  }
}

void Engine::on_timer(const SimEvent& e) {
  SimNode& n = nodes_[e.node];
  BARREL_ASSERT(n.alive() && n.timer_at == e.time);
  n.timer_at = Instant::never();  // consumed; rearm_timer sets the next one
  feed(e.node, Input::kTimers, kNone, nullptr).ignore();
}

void Engine::on_link_down(const SimEvent& e) {
  // aux != 0: caused by the partition of that serial, which has healed since
  // (within the idle timeout, so the connection survived).
  if (e.aux != 0 && !partitions_.in_effect(e.aux))
    return;
  if (!nodes_[e.node].alive() || network_.monitored_epoch(e.node, e.peer) != e.epoch)
    return;  // the monitor crashed, closed the link, or reopened it to a newer incarnation
  network_.close(e.node, e.peer);
  report_.link_downs += 1;
  feed(e.node, Input::kLinkDown, e.peer, nullptr).ignore();
}

void Engine::on_link_failed(const SimEvent& e) {
  const SimNode& n = nodes_[e.node];
  if (!n.alive() || n.epoch != e.epoch || !network_.take_pending_failure(e.node, e.peer))
    return;
  report_.link_failures += 1;
  feed(e.node, Input::kLinkFailed, e.peer, nullptr).ignore();
}

}  // namespace barrel::sim
