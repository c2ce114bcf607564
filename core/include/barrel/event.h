// event.h — what a Node tells its subscribers.
//
// Events are effects (effect.h): the Node appends them to its effect queue
// and the host hands them to whoever subscribed. The core never calls out.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/service.h"

namespace barrel {

// `peer` entered this node's active view.
struct PeerUp {
  NodeId peer;
  bool operator==(const PeerUp&) const = default;
};

enum class PeerDownReason : uint8_t {
  kDisconnected = 1,  // the peer sent DISCONNECT (it evicted us, or rejected our accept)
  kLeft = 2,          // the peer left the cluster (DISCONNECT with leaving)
  kLinkLost = 3,      // the host reported the link lost (crash, timeout, network)
  kEvicted = 4,       // we evicted the peer to make room
  kLocalLeave = 5,    // we left the cluster
};

std::string_view to_string(PeerDownReason r);

// `peer` left this node's active view. Leaving an active view is not death:
// liveness is decided cluster-wide (DESIGN.md §2, Liveness).
struct PeerDown {
  NodeId peer;
  PeerDownReason reason = PeerDownReason::kLinkLost;
  bool operator==(const PeerDown&) const = default;
};

// A broadcast reached this node: emitted exactly once per node per id,
// including at the origin itself (hops 0) when broadcast() is called.
// `hops` is the number of links the GOSSIP travelled from `origin`.
struct BroadcastDelivered {
  MessageId id;
  NodeId origin;
  uint16_t hops = 0;
  Payload payload;
  bool operator==(const BroadcastDelivered&) const = default;
};

// A service instance appeared in this node's registry: registered here, or
// learnt from a delta or anti-entropy. Once per instance (per entry).
struct ServiceRegistered {
  std::string service;
  std::string node;
  bool operator==(const ServiceRegistered&) const = default;
};

// An instance was removed by unregister_service() on its node (or its node
// left the cluster gracefully, which unregisters its services).
struct ServiceUnregistered {
  std::string service;
  std::string node;
  bool operator==(const ServiceUnregistered&) const = default;
};

// An instance went away because its endpoint closed or its node was declared
// dead (or restarted).
struct ServiceDown {
  std::string service;
  std::string node;
  ServiceDownReason reason = ServiceDownReason::kNodeDead;
  bool operator==(const ServiceDown&) const = default;
};

using Event = std::variant<PeerUp, PeerDown, BroadcastDelivered, ServiceRegistered,
                           ServiceUnregistered, ServiceDown>;

}  // namespace barrel
