// sim_node.h — the simulator's per-node host state, and the thin interface
// through which it drives a node.
//
// HostedNode mirrors the inputs and outputs of barrel::Node (node.h) that a
// host uses. Production runs wrap the real Node (core_node_factory()); engine
// tests plug in a scripted fake to observe exactly which inputs a node is fed
// and when. The virtual call costs a few nanoseconds per input, far below the
// protocol work behind it.
//
// SimNode is what the host keeps per node: small on purpose (the simulator
// aims at 100k nodes): the node itself (null while not running), its epoch
// (bumped at every crash, so in-flight deliveries and timers of an earlier
// incarnation are recognised as stale) and the instant of its one scheduled
// timer event.
//
// Thread-safety: one owner.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/config.h"
#include "barrel/effect.h"
#include "barrel/ids.h"
#include "barrel/limits.h"
#include "barrel/message.h"
#include "barrel/result.h"
#include "barrel/service.h"
#include "barrel/status.h"
#include "barrel/time.h"

namespace barrel::sim {

class HostedNode {
 public:
  virtual ~HostedNode() = default;
  virtual Status join(Instant now, NodeId contact) = 0;
  virtual void leave(Instant now) = 0;
  virtual bool has_left() const = 0;
  virtual Result<MessageId> broadcast(Instant now, std::span<const uint8_t> payload) = 0;
  virtual std::span<const NodeId> active_view() const = 0;
  virtual std::span<const NodeId> passive_view() const = 0;
  // Node::views_version(); 0 (the default): not tracked, check every time.
  virtual uint64_t views_version() const { return 0; }
  virtual Status deliver(Instant now, NodeId from, const Message& msg) = 0;
  virtual void on_link_down(Instant now, NodeId peer) = 0;
  virtual void on_link_failed(Instant now, NodeId peer) = 0;
  virtual void handle_timers(Instant now) = 0;
  virtual Instant next_deadline() const = 0;
  virtual void drain_effects(std::vector<Effect>* out) = 0;

  // Registry and liveness (node.h). The defaults describe a node without a
  // registry (scripted fakes that do not need one): registrations are refused
  // and nothing is known.
  virtual Status register_service(Instant, std::string_view, EndpointId, const Metadata&) {
    return Status(Code::kFailedPrecondition, "no registry");
  }
  virtual Status unregister_service(Instant, std::string_view) {
    return Status(Code::kNotFound, "no registry");
  }
  virtual std::vector<ServiceInstance> lookup(std::string_view) const { return {}; }
  virtual std::optional<ServiceInstance> whereis(std::string_view) const { return std::nullopt; }
  virtual std::vector<std::string> list_services() const { return {}; }
  virtual uint64_t incarnation() const { return 0; }
  virtual std::vector<MemberInfo> suspect_and_dead_members() const { return {}; }

  // The node's fixed-size state, which the engine prefetches before the
  // node's next event (Node::hot_state); empty: nothing to prefetch.
  virtual std::span<const std::byte> hot_state() const { return {}; }
};

// Makes the node `self` (a handle of `names`) at `now`, its Rng seeded with
// `seed`. Errors end the run (a scenario whose config does not validate).
using NodeFactory = std::function<Result<std::unique_ptr<HostedNode>>(
    const NodeConfig& config, NameTable& names, NodeId self, uint64_t seed, Instant now)>;

// The factory of real barrel::Nodes.
NodeFactory core_node_factory();

struct SimNode {
  std::unique_ptr<HostedNode> node;     // null: never started, or crashed
  Instant timer_at = Instant::never();  // the node's live Timer event, if any
  std::span<const std::byte> hot;       // node->hot_state(), kept here to prefetch it
  uint32_t epoch = 0;                   // bumped at each crash
  uint32_t starts = 0;                  // incarnations started so far
  // What the node's state said after its last input (Engine::check_local
  // refreshes it; only an input changes it, and start_node feeds one at
  // once): the samples and the selectors read these instead of reaching into
  // 100k nodes' state, one cache miss each.
  uint16_t active_size = 0;
  uint16_t passive_size = 0;
  bool left = false;  // has_left(): it left gracefully and is no member
  // node->views_version() when the views last passed the local check (0:
  // not since this incarnation started): an input that changed neither view
  // needs no new check, and most inputs (gossip, digests, timers) change none.
  uint64_t views_checked = 0;

  bool alive() const { return node != nullptr; }
  bool member() const { return node != nullptr && !left; }
};

static_assert(limits::kActiveViewSizeMax <= UINT16_MAX && limits::kPassiveViewSizeMax <= UINT16_MAX,
              "SimNode's view sizes fit 16 bits");

}  // namespace barrel::sim
