// registry.h — the service registry: an add-wins OR-Map of service instances.
//
// Key = service name; each instance is one OR-Map entry (one dot) whose value
// is an encoded RegistryEntry (entry_codec.h). This node's replica is
// replica_id(self name, boot) (replica_id.h): a restart is a new replica.
//
// Inputs: the API (register/unregister/close_endpoint/unregister_all, which
// the Node forwards; node.h is the user-facing contract), remote state
// (on_broadcast for kRegistry broadcast payloads, apply_sync_delta for
// anti-entropy answers) and liveness hooks (purge_node, restore_own).
// Outputs: events through the EffectSink, and payloads to broadcast
// (take_broadcasts), which the Node sends as BroadcastKind::kRegistry.
//
// Events: every entry a change adds or removes is reported once:
//   added                      -> ServiceRegistered{service, node}
//   removed by unregister      -> ServiceUnregistered
//   removed, endpoint closed   -> ServiceDown{kEndpointClosed}
//   removed, node dead/restart -> ServiceDown{kNodeDead}
// Entries that never became visible here get no event: a remote entry the
// judge already calls dead, or one of a previous life of this node, is
// removed in the same join that brought it. This node's own instances are
// shown from its local registrations, so a peer removing one of them (it
// declared us dead) makes no event here: own_entries_lost() turns true and
// restore_own() re-adds it, silently.
//
// Budget: registry events stop once the current input has produced
// limits::kRegistryEventsPerInputMax effects (EffectSink::produced(), reset by
// the Node's begin_input()). The rest wait in a FIFO of pending events, and
// purges wait in a FIFO of nodes; both continue at handle_timers(), and
// next_deadline() is the last `now` while any is pending.
//
// Determinism: every container is ordered by content (names, dots); events
// follow dot or (key, dot) order.
//
// Thread-safety: none (owned by one Node). Not movable (its DotCheck
// captures `this`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/config.h"
#include "barrel/event.h"
#include "barrel/limits.h"
#include "barrel/message.h"
#include "barrel/node.h"
#include "barrel/service.h"
#include "barrel/status.h"
#include "barrel/time.h"
#include "hyparview/effect_sink.h"
#include "ormap/delta.h"
#include "ormap/delta_codec.h"
#include "ormap/digest.h"
#include "ormap/ormap.h"
#include "registry/broadcast_batch.h"
#include "registry/broadcast_codec.h"
#include "registry/entry_codec.h"
#include "registry/join_diff.h"

namespace barrel::registry {

// Events waiting for a later input's budget. Joins are refused (kLimitExceeded,
// unchanged: anti-entropy brings them again) when they would pass it, and so
// is register_service(); unregistrations and endpoint closes always proceed,
// which can pass it by at most limits::kLocalServicesMax.
inline constexpr size_t kPendingEventsMax = 2 * limits::kOrMapEntriesMax;
// Dots one removal delta (a previous life's cleanup, a filter) carries: 16 KiB
// of context, well within a broadcast payload.
inline constexpr size_t kRemovalDotsMax = 1024;
// Nodes waiting for their purge to continue. Beyond it purge_node() does not
// queue the node (lookup() still hides its dead entries; a later purge_node()
// about it queues it again).
inline constexpr size_t kPurgeQueueMax = limits::kOrMapReplicasMax;

class Registry {
 public:
  // Is an entry of `node` at (boot, incarnation) dead or superseded?
  // (Liveness decides; the Node wires it to liveness::Liveness::entry_is_dead.)
  using DeadJudge = std::function<bool(std::string_view node, uint64_t boot, uint64_t incarnation)>;

  // REQUIRES: self_name is a valid node name; config validated; sink and
  // stats outlive the Registry.
  Registry(const RegistryConfig& config, std::string self_name, uint64_t boot,
           hyparview::EffectSink& sink, NodeStats& stats);
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Default judge: nothing is ever dead.
  void set_dead_judge(DeadJudge judge);

  // --- API (node.h has the contract) -----------------------------------------

  // Emits ServiceRegistered here and queues a broadcast (reason 0).
  // Returns kAlreadyExists, kInvalidArgument (name or metadata), or
  // kLimitExceeded (local services, map bounds, pending events). On error
  // nothing changes.
  Status register_service(Instant now, std::string_view name, EndpointId endpoint,
                          const Metadata& md, uint64_t incarnation);
  // ServiceUnregistered here, broadcast (reason 0). kNotFound if none.
  Status unregister_service(Instant now, std::string_view name);
  // Every local service of `endpoint`: ServiceDown{kEndpointClosed}, one
  // broadcast (reason 1). No-op if none.
  void close_endpoint(Instant now, EndpointId endpoint);
  // Graceful leave: every local service goes, ServiceUnregistered, broadcast.
  void unregister_all(Instant now);

  // Live instances of `name`, sorted by (node, endpoint); judge-dead excluded.
  std::vector<ServiceInstance> lookup(std::string_view name) const;
  // The local instance, else one of lookup() picked by a hash of (self name,
  // service name): stable for this node, spread across nodes.
  std::optional<ServiceInstance> whereis(std::string_view name) const;
  // Names with at least one live instance, sorted.
  std::vector<std::string> list_services() const;

  // --- Remote state ------------------------------------------------------------

  // A kRegistry broadcast payload (broadcast_codec.h). Malformed (bad reason,
  // bad delta, a dot of our replica we never minted, an entry that does not
  // decode or whose (node, boot) is not its dot's replica) → that code, state
  // unchanged, stats.registry_deltas_rejected++. kLimitExceeded (a bound
  // would be passed) likewise. OK → stats.registry_deltas_applied++.
  Status on_broadcast(Instant now, std::span<const uint8_t> payload);

  // The check for decoding a peer's delta or digest: rejects a dot of our
  // replica above the last counter we minted ("a dot from the future").
  ormap::DotCheck dot_check() const;

  // Anti-entropy pieces (the Node's sync module frames them).
  const ormap::Digest& digest();  // cached; recomputed after a change
  // digest() encoded (ormap::encode_digest), cached likewise: what a digest
  // body carries, and what a peer's digest is compared to byte for byte (the
  // encoding is canonical, so equal bytes mean equal digests).
  std::span<const uint8_t> digest_bytes();
  ormap::Delta delta_for(const ormap::Digest& peer);  // non-const: uses the cached digest()
  // Validates and joins an anti-entropy answer, as on_broadcast (no reason:
  // removals are ServiceUnregistered, or ServiceDown{kNodeDead} if judged dead).
  Status apply_sync_delta(Instant now, const ormap::Delta& d);

  // --- Liveness hooks -------------------------------------------------------------

  // Removes the entries of `node` the judge calls dead, locally (no new dot:
  // the context keeps them removed, and anti-entropy spreads the removal),
  // with ServiceDown{kNodeDead}; beyond the budget, continues at
  // handle_timers(). Ignored for this node's own name.
  void purge_node(Instant now, std::string_view node);
  // The largest incarnation among `node`'s entries (0 if none).
  uint64_t max_incarnation_of(std::string_view node) const;
  // Distinct nodes with entries (a cluster-size estimate).
  size_t node_count() const { return by_node_.size(); }
  // Whether a join removed one of our local registrations' entries.
  bool own_entries_lost() const;
  // Re-adds the lost ones with fresh dots at `incarnation`, broadcast
  // (reason 0); stats.own_entries_restored counts each entry restored.
  void restore_own(Instant now, uint64_t incarnation);

  void handle_timers(Instant now);
  Instant next_deadline() const;

  // Moves the queued payloads, in order, to the end of *out.
  void take_broadcasts(std::vector<Payload>* out);

  const ormap::ORMap& map() const { return map_; }
  ormap::ReplicaId replica() const { return replica_; }
  size_t pending_events() const { return pending_events_.size(); }

  // Asserts the mirror matches the map, local registrations match their
  // entries, and the bounds. O(entries).
  void check_invariants() const;

 private:
  struct LocalService {
    EndpointId endpoint = 0;
    Metadata metadata;
    uint64_t incarnation = 0;
    ormap::Dot dot;  // its entry's dot (absent from the map while lost)
  };
  struct Known {  // a decoded map entry
    std::string service;
    RegistryEntry entry;
  };
  // How a join reports removals.
  enum class Cause : uint8_t { kSync, kPlain, kEndpointClosed, kOwnerRestart };

  // registry.cpp
  void begin(Instant now) { last_now_ = now; }
  RegistryEntry own_entry(const LocalService& s) const;
  ServiceInstance instance_of(const Known& k) const;
  bool visible(const RegistryEntry& e) const;
  bool is_own(const RegistryEntry& e) const { return e.node == self_name_ && e.boot == boot_; }
  void remember(const ormap::Entry& e);
  void forget(ormap::Dot d);
  // Removes our own entry `dot` of `service`; its delta goes to *batch.
  void remove_own(const std::string& service, ormap::Dot dot, BroadcastBatch* batch);
  uint64_t minted() const { return map_.context().max_counter(replica_); }

  // registry_remote.cpp
  Status join_remote(const ormap::Delta& d, Cause cause);
  Status validate_remote(const ormap::Delta& d) const;
  void report_removal(const ormap::Entry& e, Cause cause);
  std::vector<ormap::Entry> filter_added(const std::vector<ormap::Entry>& added);
  ormap::Delta remove_dots(const std::set<ormap::Dot>& dots);
  void run_purges();

  // registry_events.cpp
  size_t room() const;
  void emit(Event event);
  void drain_pending();

  RegistryConfig config_;
  std::string self_name_;
  uint64_t boot_;
  ormap::ReplicaId replica_;
  hyparview::EffectSink& sink_;
  NodeStats& stats_;
  DeadJudge judge_;

  ormap::ORMap map_;
  // Mirror of map_: every entry decoded, and the dots of each node.
  std::map<ormap::Dot, Known> known_;
  std::map<std::string, std::set<ormap::Dot>, std::less<>> by_node_;
  // This node's registrations (at most limits::kLocalServicesMax).
  std::map<std::string, LocalService, std::less<>> local_;

  ormap::Digest digest_;
  bool digest_dirty_ = true;
  std::vector<uint8_t> digest_bytes_;  // valid while !digest_dirty_ && !digest_bytes_dirty_
  bool digest_bytes_dirty_ = true;
  // The digest's live hashes, kept up to date by remember() / forget() (every
  // entry of the map passes through them), with each replica's live count:
  // digest() then copies O(replicas) instead of walking every entry.
  std::map<ormap::ReplicaId, std::pair<uint64_t, uint32_t>> live_hash_;

  std::deque<Event> pending_events_;  // see kPendingEventsMax
  // Nodes whose purge continues at handle_timers(), oldest first, no
  // duplicates; at most kPurgeQueueMax.
  std::deque<std::string> purge_queue_;
  std::vector<Payload> outbox_;  // drained by the Node after every input
  // The delta group of registrations lingering until linger_until_
  // (RegistryConfig::register_linger); null when none is open.
  std::unique_ptr<BroadcastBatch> linger_;
  Instant linger_until_ = Instant::never();
  void flush_linger() {
    linger_.reset();  // the destructor flushes into outbox_
    linger_until_ = Instant::never();
  }
  Instant last_now_;
};

}  // namespace barrel::registry
