// service.h — the service registry's public types: what a node registers and
// what lookup() returns, and the liveness states a node reports.
//
// A service instance is identified across the cluster by (service name, node
// name, endpoint): an endpoint is a local handle the host chooses (a process,
// a control connection, a socket) whose closing takes its services with it.
// Node names are strings here, not NodeId handles: registry state crosses
// processes, and an instance's node may be one this process never talked to.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace barrel {

// A local handle for whatever provides a service on this node (the host's
// choice). Closing it (Node::close_endpoint) removes every service it
// registered. Opaque to the core; 0 is a valid value.
using EndpointId = uint64_t;

// Free-form metadata of an instance, e.g. {"role": "worker"}. Bounded by
// limits::kMetadataPairsMax pairs, kMetadataKeyBytesMax / kMetadataValueBytesMax
// bytes each, kMetadataBytesMax encoded in all. Ordered, so it compares and
// encodes the same everywhere.
using Metadata = std::map<std::string, std::string, std::less<>>;

// One registered instance of a service, as lookup() and whereis() return it.
struct ServiceInstance {
  std::string service;       // the service name (the registry key)
  std::string node;          // the name of the node it runs on ("name@host")
  EndpointId endpoint = 0;   // that node's endpoint handle (meaningful there)
  uint64_t boot = 0;         // that node's boot incarnation when it registered
  uint64_t incarnation = 0;  // that node's liveness incarnation when it registered
  Metadata metadata;
  bool local = false;  // registered by this node
  bool operator==(const ServiceInstance&) const = default;
};

// Why an instance went away without an unregister_service().
enum class ServiceDownReason : uint8_t {
  kEndpointClosed = 1,  // its endpoint closed (Node::close_endpoint on its node)
  kNodeDead = 2,        // the cluster declared its node (that incarnation) dead,
                        // or the node restarted (a new boot replaces the old)
};
std::string_view to_string(ServiceDownReason r);

// What this node believes of another node (liveness, DESIGN.md §2).
enum class MemberState : uint8_t {
  kAlive = 1,
  kSuspect = 2,  // a SUSPECT is pending: dead unless refuted in time
  kDead = 3,     // declared dead (this incarnation, and every earlier one)
};
std::string_view to_string(MemberState s);

// One record of the member table, as Node::members() reports it.
struct MemberInfo {
  std::string node;
  MemberState state = MemberState::kAlive;
  uint64_t boot = 0;         // the largest boot incarnation heard of (0: unknown)
  uint64_t incarnation = 0;  // the incarnation the state is about
  bool operator==(const MemberInfo&) const = default;
};

}  // namespace barrel
