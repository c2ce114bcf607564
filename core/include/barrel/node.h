// node.h — one cluster member: the sans-I/O protocol core.
//
// A Node is driven by a host (the simulator, or the QUIC runtime) in the style
// of ngtcp2's connection and aioquic's event queue:
//
//   1. feed one input: an API call (join, leave), deliver(), on_link_down(),
//      on_link_failed(), or handle_timers() once next_deadline() has passed;
//   2. drain_effects() and carry them out (effect.h has the contract);
//   3. re-arm one timer at next_deadline().
//
// Every input takes `now`; the Node never reads a clock, a socket, a file or a
// global RNG (its Rng is seeded from the `seed` given to create()). For a given
// sequence of inputs its effects are always the same, on every platform.
//
// Ownership: the NameTable is the host's and must outlive the Node.
// Thread-safety: none. One Node per host thread or strand; never call into a
// Node while draining its effects (collect inputs, feed them after).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/config.h"
#include "barrel/effect.h"
#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/result.h"
#include "barrel/service.h"
#include "barrel/status.h"
#include "barrel/time.h"

namespace barrel {

// Counters a host may read for metrics. Monotonic.
struct NodeStats {
  uint64_t messages_received = 0;
  uint64_t messages_rejected = 0;  // deliver() returned an error
  uint64_t messages_sent = 0;
  uint64_t shuffles_started = 0;
  uint64_t neighbor_requests_sent = 0;
  uint64_t evictions = 0;                   // active members dropped to admit another
  uint64_t joins_sent = 0;                  // JOIN sent by join() and by contact retries
  uint64_t join_retries = 0;                // of which by the contact-retry timer
  uint64_t neighbor_requests_accepted = 0;  // our NEIGHBOR requests that filled a slot
  uint64_t neighbor_timeouts = 0;           // NEIGHBOR requests unanswered in neighbor_timeout
  uint64_t repair_rounds_failed = 0;        // repair rounds that ended without success
  uint64_t shuffle_replies_sent = 0;        // SHUFFLE walks that ended here
  uint64_t stray_disconnects = 0;           // DISCONNECT to a non-member that sent a walk step
  // Plumtree.
  uint64_t gossip_received = 0;       // GOSSIP messages received (new and duplicate)
  uint64_t gossip_duplicates = 0;     // of which carried an id already received
  uint64_t grafts_sent = 0;           // GRAFT messages sent
  uint64_t prunes_sent = 0;           // PRUNE messages sent
  uint64_t ihaves_sent = 0;           // IHAVE messages sent (each a batch of entries)
  uint64_t broadcasts_delivered = 0;  // BroadcastDelivered events, own broadcasts included
  // Liveness.
  uint64_t probes_sent = 0;            // PROBE messages sent after a lost link
  uint64_t probes_skipped = 0;         // lost links not probed (limits::kProbesMax in flight)
  uint64_t suspicions_raised = 0;      // suspicions raised here (broadcast if news: liveness.h)
  uint64_t refutations_sent = 0;       // ALIVE claims this node broadcast about itself
  uint64_t members_declared_dead = 0;  // records that turned dead here
  uint64_t claims_rejected = 0;        // malformed liveness claims (dropped, counted)
  // Registry and anti-entropy.
  uint64_t registry_deltas_applied = 0;   // registry deltas joined (broadcast or sync)
  uint64_t registry_deltas_rejected = 0;  // malformed deltas (dropped, state unchanged)
  uint64_t sync_digests_sent = 0;
  uint64_t sync_digests_rejected = 0;  // malformed digests (dropped, state unchanged)
  uint64_t sync_deltas_sent = 0;
  uint64_t own_entries_restored = 0;  // own entries removed by others and re-added
};

class Node {
 public:
  // A Node named `self` (interned in `names`), with `config` and an Rng
  // seeded by `seed`. Its boot incarnation comes from its HLC at `boot_wall_us`
  // (the host's wall clock in microseconds; 0 means now.us()): a restarted
  // node must boot with a larger value than its previous life's, so a host
  // whose `now` is not a wall clock passes one here. Returns kInvalidArgument
  // if the config does not validate or `self` is not a handle of `names`.
  static Result<std::unique_ptr<Node>> create(const NodeConfig& config, NameTable& names,
                                              NodeId self, uint64_t seed, Instant now,
                                              uint64_t boot_wall_us = 0);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  // Moves the whole node (its state stays where it is: a host may keep a
  // Node by value). A moved-from Node may only be destroyed or assigned to.
  Node(Node&&) noexcept;
  Node& operator=(Node&&) noexcept;

  NodeId self() const;
  const NodeConfig& config() const;

  // --- API -----------------------------------------------------------------

  // Joins the cluster through `contact`: sends JOIN, and resends it every
  // contact_retry, cycling through every contact given so far, while the
  // active view is empty or no contact has answered (JOIN_ACCEPT) since this
  // call — so a node never stays the head of an island its contact never
  // heard of. Cancels a previous leave().
  // Effects: Send(JOIN) (the link opens when the contact's JOIN_ACCEPT
  // arrives). Returns kInvalidArgument (contact invalid, self or not a handle
  // of the table) or kLimitExceeded (limits::kContactsMax distinct contacts
  // already); on error nothing changes.
  Status join(Instant now, NodeId contact);

  // Leaves the cluster: DISCONNECT{leaving} to every active member (which
  // move us to their passive view), views cleared, timers and contact retries
  // stopped. Final until the next join(); while left, every message is
  // ignored except that a JOIN_ACCEPT (or an accepting NEIGHBOR_REPLY) is
  // answered by DISCONNECT{leaving} and a NEIGHBOR by a rejection.
  // Effects: Send(DISCONNECT), CloseLink, Emit(PeerDown{kLocalLeave}).
  void leave(Instant now);
  bool has_left() const;

  // Broadcasts `payload` to the cluster (Plumtree): draws a new MessageId
  // from the Node's Rng, delivers it here at once (Emit(BroadcastDelivered)
  // with hops 0) and pushes it along the broadcast tree. Every node that
  // stays connected delivers it exactly once.
  // Effects: Emit(BroadcastDelivered), Send(GOSSIP) to the eager peers;
  // IHAVEs to the lazy peers follow within lazy_flush_period.
  // Returns kInvalidArgument (payload above limits::kBroadcastPayloadBytesMax)
  // or kFailedPrecondition (the node has left); on error nothing changes.
  Result<MessageId> broadcast(Instant now, std::span<const uint8_t> payload);

  // --- Service registry (an add-wins OR-Map replicated by Plumtree deltas and
  // anti-entropy; DESIGN.md §2) ---------------------------------------------

  // Registers service `name` for the local `endpoint`, with `metadata`. Every
  // node's lookup(name) then shows it, once the delta has spread.
  // Effects: Emit(ServiceRegistered) here, Send(GOSSIP) of the delta.
  // Returns kAlreadyExists (this node already has `name`: the same name twice
  // on one node is refused; several nodes may each have it), kInvalidArgument
  // (empty or too long name, metadata beyond its bounds), kLimitExceeded
  // (limits::kLocalServicesMax local services, or the registry is full),
  // kFailedPrecondition (the node has left). On error nothing changes.
  Status register_service(Instant now, std::string_view name, EndpointId endpoint,
                          const Metadata& metadata);

  // Removes this node's instance of `name`. Effects: Emit(ServiceUnregistered)
  // here, Send(GOSSIP) of the delta. Returns kNotFound if it has none.
  Status unregister_service(Instant now, std::string_view name);

  // The local `endpoint` closed: every service it registered goes, with
  // ServiceDown{kEndpointClosed} here and on every node. No-op if it has none.
  void close_endpoint(Instant now, EndpointId endpoint);

  // Every live instance of `name` this node knows, sorted by (node, endpoint);
  // empty if none. Instances of nodes this node considers dead are never
  // returned.
  std::vector<ServiceInstance> lookup(std::string_view name) const;
  // One instance of `name`: the local one if there is one, else one of the
  // others chosen by a hash of this node's name (stable for this node, spread
  // across callers). nullopt if none.
  std::optional<ServiceInstance> whereis(std::string_view name) const;
  // The names with at least one instance, sorted.
  std::vector<std::string> list_services() const;

  // --- Liveness ---------------------------------------------------------------

  // This node's boot incarnation (from its HLC at create()) and its current
  // liveness incarnation (boot, raised by each refutation).
  uint64_t boot_incarnation() const;
  uint64_t incarnation() const;
  // What this node believes of `node`, or nullopt if it has no record.
  std::optional<MemberInfo> member(std::string_view node) const;
  // Every record that is not alive (suspect or dead), sorted by name.
  std::vector<MemberInfo> suspect_and_dead_members() const;

  // The views, in insertion order. Valid until the next input.
  std::span<const NodeId> active_view() const;
  std::span<const NodeId> passive_view() const;
  // A number that changes whenever either view changes, and only grows;
  // never 0. A host that checks the views after every input (the simulator)
  // may skip a check when it has not changed.
  uint64_t views_version() const;

  // --- Inputs from the host --------------------------------------------------

  // A message `from` a peer (the authenticated far end of a connection).
  // Returns kProtocolViolation for a message that is well formed but makes no
  // sense (from ourselves or an unknown handle, naming an invalid or unknown
  // handle, a TTL above limits::kWalkLengthMax, more than
  // limits::kShuffleNodesMax nodes, an IHAVE above limits::kIHaveEntriesMax
  // entries, a GOSSIP payload above limits::kBroadcastPayloadBytesMax); the
  // message is then dropped, the state is unchanged and stats count it.
  // While left, Plumtree messages are ignored (OK, no effect).
  Status deliver(Instant now, NodeId from, const Message& msg);

  // The monitored link to `peer` broke (after OpenLink). The peer leaves the
  // active view and a passive member is asked to replace it.
  void on_link_down(Instant now, NodeId peer);

  // A connection to `peer` could not be opened, or a Send to it was dropped.
  // The peer leaves both views; a pending NEIGHBOR to it counts as rejected.
  void on_link_failed(Instant now, NodeId peer);

  // Runs every timer due at or before `now`. Harmless to call early.
  void handle_timers(Instant now);

  // The earliest instant handle_timers() has work, or Instant::never().
  Instant next_deadline() const;

  // --- Output ----------------------------------------------------------------

  // Moves the queued effects, in order, to the end of *out.
  void drain_effects(std::vector<Effect>* out);

  const NodeStats& stats() const;

  // The node's fixed-size state (not what its containers point to): a host
  // feeding inputs to many nodes in turn (the simulator, 10^5 of them) may
  // prefetch it before the next input, to overlap the cache misses of
  // reaching a node with the work on the one before. Stable for the Node's
  // life; reading it is never needed for correctness.
  std::span<const std::byte> hot_state() const;

 private:
  struct Impl;
  explicit Node(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace barrel
