// watched_node.cpp — the watching decorator of a HostedNode (see watched_node.h).
#include "watched_node.h"

#include <algorithm>
#include <utility>

#include "barrel/assert.h"

namespace barrel::sim {
namespace {

class WatchedNode final : public HostedNode {
 public:
  WatchedNode(std::unique_ptr<HostedNode> inner, uint32_t index, std::vector<RunObserver*> watchers,
              std::shared_ptr<WatchContext> context)
      : inner_(std::move(inner)),
        index_(index),
        watchers_(std::move(watchers)),
        context_(std::move(context)) {
    BARREL_ASSERT(inner_ != nullptr && !watchers_.empty());
    BARREL_ASSERT(context_->now != nullptr);
  }
  ~WatchedNode() override {
    if (!context_->ended)
      input(NodeInput::kStop, kNoNode, nullptr, {});
  }

  Status join(Instant now, NodeId contact) override {
    input(NodeInput::kJoin, contact.value(), nullptr, {});
    return inner_->join(now, contact);
  }
  void leave(Instant now) override {
    input(NodeInput::kLeave, kNoNode, nullptr, {});
    inner_->leave(now);
  }
  Result<MessageId> broadcast(Instant now, std::span<const uint8_t> payload) override {
    input(NodeInput::kBroadcast, kNoNode, nullptr, {});
    return inner_->broadcast(now, payload);
  }
  Status deliver(Instant now, NodeId from, const Message& msg) override {
    input(NodeInput::kDeliver, from.value(), &msg, {});
    return inner_->deliver(now, from, msg);
  }
  void on_link_down(Instant now, NodeId peer) override {
    input(NodeInput::kLinkDown, peer.value(), nullptr, {});
    inner_->on_link_down(now, peer);
  }
  void on_link_failed(Instant now, NodeId peer) override {
    input(NodeInput::kLinkFailed, peer.value(), nullptr, {});
    inner_->on_link_failed(now, peer);
  }
  void handle_timers(Instant now) override {
    input(NodeInput::kTimers, kNoNode, nullptr, {});
    inner_->handle_timers(now);
  }
  Status register_service(Instant now, std::string_view name, EndpointId endpoint,
                          const Metadata& metadata) override {
    input(NodeInput::kRegister, kNoNode, nullptr, name);
    return inner_->register_service(now, name, endpoint, metadata);
  }
  Status unregister_service(Instant now, std::string_view name) override {
    input(NodeInput::kUnregister, kNoNode, nullptr, name);
    return inner_->unregister_service(now, name);
  }

  // The engine drains after every input (and after the start): the effects
  // are reported, then the views if that input changed them.
  void drain_effects(std::vector<Effect>* out) override {
    const size_t from = out->size();
    inner_->drain_effects(out);
    for (size_t k = from; k < out->size(); ++k) {
      for (RunObserver* o : watchers_)
        o->on_effect(*context_->now, index_, (*out)[k]);
    }
    report_views();
  }

  bool has_left() const override { return inner_->has_left(); }
  std::span<const NodeId> active_view() const override { return inner_->active_view(); }
  std::span<const NodeId> passive_view() const override { return inner_->passive_view(); }
  Instant next_deadline() const override { return inner_->next_deadline(); }
  std::vector<ServiceInstance> lookup(std::string_view name) const override {
    return inner_->lookup(name);
  }
  std::optional<ServiceInstance> whereis(std::string_view name) const override {
    return inner_->whereis(name);
  }
  std::vector<std::string> list_services() const override { return inner_->list_services(); }
  uint64_t incarnation() const override { return inner_->incarnation(); }
  std::vector<MemberInfo> suspect_and_dead_members() const override {
    return inner_->suspect_and_dead_members();
  }

  void started() { input(NodeInput::kStart, kNoNode, nullptr, {}); }

 private:
  void input(NodeInput in, uint32_t peer, const Message* msg, std::string_view service) {
    for (RunObserver* o : watchers_)
      o->on_input(*context_->now, index_, in, peer, msg, service);
  }

  void report_views() {
    const std::span<const NodeId> active = inner_->active_view();
    const std::span<const NodeId> passive = inner_->passive_view();
    if (std::ranges::equal(active, active_) && std::ranges::equal(passive, passive_))
      return;
    active_.assign(active.begin(), active.end());
    passive_.assign(passive.begin(), passive.end());
    for (RunObserver* o : watchers_)
      o->on_views(*context_->now, index_, active, passive);
  }

  std::unique_ptr<HostedNode> inner_;
  const uint32_t index_;
  const std::vector<RunObserver*> watchers_;
  const std::shared_ptr<WatchContext> context_;
  std::vector<NodeId> active_, passive_;  // as last reported
};

}  // namespace

NodeFactory watching_factory(NodeFactory inner, std::shared_ptr<WatchContext> context) {
  BARREL_ASSERT(inner != nullptr && context != nullptr);
  return [inner = std::move(inner), context = std::move(context)](
             const NodeConfig& config, NameTable& names, NodeId self, uint64_t seed,
             Instant now) -> Result<std::unique_ptr<HostedNode>> {
    Result<std::unique_ptr<HostedNode>> made = inner(config, names, self, seed, now);
    if (!made.is_ok())
      return made;
    std::vector<RunObserver*> watchers;
    for (RunObserver* o : context->observers) {
      if (o->watches(self.value()))
        watchers.push_back(o);
    }
    if (watchers.empty())
      return made;
    auto watched = std::make_unique<WatchedNode>(std::move(made).value(), self.value(),
                                                 std::move(watchers), context);
    watched->started();
    return std::unique_ptr<HostedNode>(std::move(watched));
  };
}

}  // namespace barrel::sim
