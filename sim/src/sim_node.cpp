// sim_node.cpp — the HostedNode adapter over the real barrel::Node.
#include "sim_node.h"

#include <utility>

#include "barrel/node.h"

namespace barrel::sim {
namespace {

class CoreNode final : public HostedNode {
 public:
  explicit CoreNode(Node node) : node_(std::move(node)) {}
  Status join(Instant now, NodeId contact) override { return node_.join(now, contact); }
  void leave(Instant now) override { node_.leave(now); }
  bool has_left() const override { return node_.has_left(); }
  Result<MessageId> broadcast(Instant now, std::span<const uint8_t> payload) override {
    return node_.broadcast(now, payload);
  }
  std::span<const NodeId> active_view() const override { return node_.active_view(); }
  std::span<const NodeId> passive_view() const override { return node_.passive_view(); }
  uint64_t views_version() const override { return node_.views_version(); }
  Status deliver(Instant now, NodeId from, const Message& msg) override {
    return node_.deliver(now, from, msg);
  }
  void on_link_down(Instant now, NodeId peer) override { node_.on_link_down(now, peer); }
  void on_link_failed(Instant now, NodeId peer) override { node_.on_link_failed(now, peer); }
  void handle_timers(Instant now) override { node_.handle_timers(now); }
  Instant next_deadline() const override { return node_.next_deadline(); }
  void drain_effects(std::vector<Effect>* out) override { node_.drain_effects(out); }
  Status register_service(Instant now, std::string_view name, EndpointId endpoint,
                          const Metadata& metadata) override {
    return node_.register_service(now, name, endpoint, metadata);
  }
  Status unregister_service(Instant now, std::string_view name) override {
    return node_.unregister_service(now, name);
  }
  std::vector<ServiceInstance> lookup(std::string_view name) const override {
    return node_.lookup(name);
  }
  std::optional<ServiceInstance> whereis(std::string_view name) const override {
    return node_.whereis(name);
  }
  std::vector<std::string> list_services() const override { return node_.list_services(); }
  uint64_t incarnation() const override { return node_.incarnation(); }
  std::vector<MemberInfo> suspect_and_dead_members() const override {
    return node_.suspect_and_dead_members();
  }
  std::span<const std::byte> hot_state() const override { return node_.hot_state(); }

 private:
  Node node_;  // by value: one pointer less between the engine and the node's state
};

}  // namespace

NodeFactory core_node_factory() {
  return [](const NodeConfig& config, NameTable& names, NodeId self, uint64_t seed,
            Instant now) -> Result<std::unique_ptr<HostedNode>> {
    Result<std::unique_ptr<Node>> made = Node::create(config, names, self, seed, now);
    if (!made.is_ok())
      return made.status();
    return std::unique_ptr<HostedNode>(new CoreNode(std::move(*made.value())));
  };
}

}  // namespace barrel::sim
