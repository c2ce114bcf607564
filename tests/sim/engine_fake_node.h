// engine_fake_node.h — a scripted HostedNode for engine tests.
//
// The engine drives FakeNodes exactly as it drives real Nodes; each one logs
// every input it is fed (virtual time, node, input, peer) into a shared
// FakeWorld and calls the world's `react` hook, which may queue effects, set
// the node's deadline or edit its views. Tests then assert on the log: which
// inputs arrived, when, and how many times.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim_node.h"

namespace barrel::sim::test {

class FakeNode;

struct FakeLogEntry {
  uint64_t t_us = 0;
  uint32_t node = 0;
  std::string input;  // create, join, leave, broadcast, deliver:<TYPE>, link_down, link_failed,
                      // timers
  uint32_t peer = UINT32_MAX;
};

struct FakeWorld {
  std::vector<FakeLogEntry> log;
  std::function<void(FakeNode& node, const std::string& input, Instant now, NodeId peer)> react;
  uint32_t created = 0;
  std::vector<Message> delivered;  // every message delivered, in order
  // Every broadcast() call: payload and the id returned (ids are (node, k)).
  struct Broadcast {
    uint32_t node = 0;
    MessageId id;
    std::vector<uint8_t> payload;
  };
  std::vector<Broadcast> broadcasts;

  NodeFactory factory();
  // Entries of `node` whose input is `input`.
  std::vector<FakeLogEntry> entries(uint32_t node, const std::string& input) const {
    std::vector<FakeLogEntry> out;
    for (const auto& e : log) {
      if (e.node == node && e.input == input)
        out.push_back(e);
    }
    return out;
  }
};

class FakeNode final : public HostedNode {
 public:
  FakeNode(FakeWorld* world, NodeId self, uint32_t incarnation)
      : world_(world), self_(self), incarnation_(incarnation) {}

  NodeId self() const { return self_; }
  // The fake's incarnation: how many FakeNodes the world created before it.
  uint64_t incarnation() const override { return incarnation_; }
  void queue(Effect e) { queued_.push_back(std::move(e)); }
  void set_deadline(Instant t) { deadline_ = t; }
  std::vector<NodeId>& active() { return active_; }
  std::vector<NodeId>& passive() { return passive_; }
  // What views_version() reports (0, the default: not tracked).
  void set_views_version(uint64_t v) { views_version_ = v; }

  void input(const std::string& what, Instant now, NodeId peer) {
    world_->log.push_back(FakeLogEntry{now.us(), self_.value(), what, peer.value()});
    if (world_->react)
      world_->react(*this, what, now, peer);
  }

  Status join(Instant now, NodeId contact) override {
    input("join", now, contact);
    return Status::ok();
  }
  void leave(Instant now) override {
    left_ = true;
    input("leave", now, NodeId());
  }
  bool has_left() const override { return left_; }
  // Logs "broadcast" (after recording the call, so `react` sees it in
  // world->broadcasts.back()) and returns the id (self, k).
  Result<MessageId> broadcast(Instant now, std::span<const uint8_t> payload) override {
    const MessageId id{self_.value(), world_->broadcasts.size()};
    world_->broadcasts.push_back(FakeWorld::Broadcast{
        self_.value(), id, std::vector<uint8_t>(payload.begin(), payload.end())});
    input("broadcast", now, NodeId());
    return id;
  }
  std::span<const NodeId> active_view() const override { return active_; }
  std::span<const NodeId> passive_view() const override { return passive_; }
  uint64_t views_version() const override { return views_version_; }
  Status deliver(Instant now, NodeId from, const Message& msg) override {
    world_->delivered.push_back(msg);
    input("deliver:" + std::string(to_string(message_type(msg))), now, from);
    return Status::ok();
  }
  void on_link_down(Instant now, NodeId peer) override { input("link_down", now, peer); }
  void on_link_failed(Instant now, NodeId peer) override { input("link_failed", now, peer); }
  void handle_timers(Instant now) override {
    deadline_ = Instant::never();
    input("timers", now, NodeId());
  }
  Instant next_deadline() const override { return deadline_; }
  void drain_effects(std::vector<Effect>* out) override {
    for (auto& e : queued_)
      out->push_back(std::move(e));
    queued_.clear();
  }

 private:
  FakeWorld* world_;
  NodeId self_;
  uint32_t incarnation_;
  std::vector<NodeId> active_;
  std::vector<NodeId> passive_;
  std::vector<Effect> queued_;
  Instant deadline_ = Instant::never();
  uint64_t views_version_ = 0;
  bool left_ = false;
};

inline NodeFactory FakeWorld::factory() {
  return [this](const NodeConfig&, NameTable&, NodeId self, uint64_t,
                Instant now) -> Result<std::unique_ptr<HostedNode>> {
    auto node = std::make_unique<FakeNode>(this, self, created++);
    node->input("create", now, NodeId());
    return std::unique_ptr<HostedNode>(std::move(node));
  };
}

// Scenario-building helpers.
inline Step at_step(Duration at, Action action) {
  Step s;
  s.at = at;
  s.action = std::move(action);
  return s;
}

inline NodeSelector all_nodes() {
  return NodeSelector{};
}

inline NodeSelector named(std::vector<std::string> names) {
  NodeSelector s;
  s.kind = NodeSelector::Kind::kNames;
  s.names = std::move(names);
  return s;
}

inline JoinAction join_via(NodeSelector nodes, std::vector<std::string> contacts,
                           Duration spread = Duration::zero()) {
  JoinAction j;
  j.nodes = std::move(nodes);
  j.contacts = std::move(contacts);
  j.spread = spread;
  return j;
}

}  // namespace barrel::sim::test
