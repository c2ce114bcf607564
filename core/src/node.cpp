// node.cpp — PLACEHOLDER so the tree links while HyParView is written.
// Replaced by the HyParView implementation; do not build on this.
#include "barrel/node.h"

#include <utility>

namespace barrel {

struct Node::Impl {
  NodeConfig config;
  NameTable* names = nullptr;
  NodeId self;
  std::vector<NodeId> active;
  std::vector<NodeId> passive;
  std::vector<Effect> effects;
  NodeStats stats;
  bool left = false;
};

Result<std::unique_ptr<Node>> Node::create(const NodeConfig& config, NameTable& names, NodeId self,
                                           uint64_t /*seed*/, Instant /*now*/) {
  if (Status s = config.validate(); !s.is_ok())
    return s;
  if (!self.valid() || self.value() >= names.size()) {
    return Status::invalid_argument("self is not a handle of the name table");
  }
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->names = &names;
  impl->self = self;
  return std::unique_ptr<Node>(new Node(std::move(impl)));
}

Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Node::~Node() = default;
NodeId Node::self() const {
  return impl_->self;
}
const NodeConfig& Node::config() const {
  return impl_->config;
}
Status Node::join(Instant, NodeId contact) {
  impl_->effects.push_back(Send{contact, Join{}});
  return Status::ok();
}
void Node::leave(Instant) {
  impl_->left = true;
}
bool Node::has_left() const {
  return impl_->left;
}
std::span<const NodeId> Node::active_view() const {
  return impl_->active;
}
std::span<const NodeId> Node::passive_view() const {
  return impl_->passive;
}
Status Node::deliver(Instant, NodeId, const Message&) {
  return Status::ok();
}
void Node::on_link_down(Instant, NodeId) {}
void Node::on_link_failed(Instant, NodeId) {}
void Node::handle_timers(Instant) {}
Instant Node::next_deadline() const {
  return Instant::never();
}
void Node::drain_effects(std::vector<Effect>* out) {
  for (auto& e : impl_->effects)
    out->push_back(std::move(e));
  impl_->effects.clear();
}
const NodeStats& Node::stats() const {
  return impl_->stats;
}

}  // namespace barrel
