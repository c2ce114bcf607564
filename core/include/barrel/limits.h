// limits.h — every bound of the core, in one place.
//
// Each container the core keeps, and each length or count it decodes, has a
// bound here. Configuration values are checked against these in
// NodeConfig::validate(); decoders check every length and count against them
// before allocating. Next to each bound: what happens when it is reached.
#pragma once

#include <cstddef>
#include <cstdint>

namespace barrel::limits {

// Node names: "name@host", bytes. Longer names are rejected (kBadName).
inline constexpr size_t kNodeNameBytesMax = 255;

// HyParView views. The configured sizes (defaults 5 and 30) must not exceed
// these; a view at its configured size evicts a random member to admit one.
inline constexpr size_t kActiveViewSizeMax = 32;
inline constexpr size_t kPassiveViewSizeMax = 1024;
// NEIGHBOR requests one node has pending at once (HyParViewConfig::repair_parallel).
inline constexpr size_t kRepairPendingMax = 8;

// Random walk lengths (ARWL, PRWL) and the TTL carried by FORWARD_JOIN and
// SHUFFLE. A decoded TTL above this is rejected (kMalformed).
inline constexpr uint8_t kWalkLengthMax = 16;

// Node ids carried by one SHUFFLE or SHUFFLE_REPLY (1 + ka + kp). Decoding more
// is rejected (kOversized).
inline constexpr size_t kShuffleNodesMax = 64;

// Contact nodes remembered for join retries; join() beyond it returns
// kLimitExceeded.
inline constexpr size_t kContactsMax = 16;

// --- Plumtree ---------------------------------------------------------------

// Payload bytes of one broadcast. broadcast() beyond it returns
// kInvalidArgument; a GOSSIP carrying more is rejected (decode: kOversized;
// deliver: kProtocolViolation).
inline constexpr size_t kBroadcastPayloadBytesMax = 64 * 1024;

// Announcements in one IHAVE. A peer's lazy queue is flushed early when it
// reaches this many; decoding more is rejected (kOversized).
inline constexpr size_t kIHaveEntriesMax = 64;

// Broadcast ids a node remembers having received (to drop duplicates). When
// full, the oldest is forgotten (a very late duplicate may then be delivered
// twice; message_ttl normally expires ids long before).
inline constexpr size_t kMessageCacheMax = 16384;

// Payloads a node keeps to answer GRAFTs. When full, the oldest is dropped (a
// GRAFT for it goes unanswered and the grafter tries its next announcer).
inline constexpr size_t kPayloadCacheMax = 1024;

// Announced-but-missing ids tracked (each with its announcers and timer).
// When full, announcements of new ids are ignored: the eager path or a later
// IHAVE still brings them.
inline constexpr size_t kMissingMax = 4096;

// Announcers remembered per missing id. Further announcers are ignored.
inline constexpr size_t kAnnouncersMax = kActiveViewSizeMax;

// IHAVE entries queued for lazy peers, all peers together. Never reached: a
// peer's queue is flushed as soon as it holds kIHaveEntriesMax entries, and
// lazy peers are active members (static_assert below).
inline constexpr size_t kLazyQueueMax = 4096;

// Wire frames: bytes of one encoded message body. Larger frames are rejected
// (kOversized) before any allocation.
inline constexpr size_t kFrameBodyBytesMax = 1u << 20;

// Default bound of a host's NameTable.
inline constexpr size_t kNamesDefaultMax = 1u << 21;

// --- OR-Map (the registry's CRDT), its deltas and digests ---------------------

// Key (service name) bytes, 1..max. add() of a longer or empty key is
// kInvalidArgument; decoding one is kOversized / kMalformed.
inline constexpr size_t kOrMapKeyBytesMax = 255;

// Value blob bytes (the registry's serialised entry). add() of a longer value
// is kInvalidArgument; decoding one is kOversized.
inline constexpr size_t kOrMapValueBytesMax = 1024;

// Distinct keys in one map. add() or join() that would create more is
// rejected with kLimitExceeded and the map is unchanged.
inline constexpr size_t kOrMapKeysMax = 16384;

// Entries (dots) under one key. add() or join() that would put more under a
// key is rejected with kLimitExceeded and the map is unchanged.
inline constexpr size_t kOrMapEntriesPerKeyMax = 1024;

// Entries in one map in all. Same policy as kOrMapKeysMax.
inline constexpr size_t kOrMapEntriesMax = 65536;

// Replicas one causal context knows (version-vector entries plus replicas
// seen only in the cloud). Every replica id that ever added an entry stays
// in the context (no garbage collection of dead replicas yet), so this also
// bounds how many (node, incarnation) pairs may ever register. A join or
// insert that would exceed it is rejected with kLimitExceeded, unchanged.
inline constexpr size_t kOrMapReplicasMax = 16384;

// Dots in the cloud (dots not yet contiguous with the version vector: gaps
// from deltas received out of order, and the dots of a delta's context). A
// join or insert that would exceed it is rejected with kLimitExceeded,
// unchanged; anti-entropy (digest.h) then fills the gaps, which compacts the
// cloud into the version vector.
inline constexpr size_t kOrMapCloudDotsMax = 8192;

// Live entries one replica (a node incarnation) owns in a map. add() beyond
// it and join() that would pass it are rejected with kLimitExceeded, map
// unchanged. It lets anti-entropy send a replica's entries whole in one delta.
inline constexpr size_t kOrMapEntriesPerReplicaMax = 256;

// Entries carried by one delta. delta_since() cuts its answer into chunks of
// at most this many; encoding a delta with more is kLimitExceeded, decoding
// one is kOversized.
inline constexpr size_t kOrMapDeltaEntriesMax = 256;

// The largest encoded delta: context (vv and cloud at their bounds, 16 bytes
// a dot) plus kOrMapDeltaEntriesMax entries at their largest, plus headers.
inline constexpr size_t kOrMapDotBytes = 16;
inline constexpr size_t kOrMapEntryBytesMax =
    2 + kOrMapKeyBytesMax + 2 + kOrMapDotBytes + 2 + kOrMapValueBytesMax;
inline constexpr size_t kOrMapDeltaBytesMax =
    16 + (kOrMapReplicasMax + kOrMapCloudDotsMax) * kOrMapDotBytes +
    kOrMapDeltaEntriesMax * kOrMapEntryBytesMax;

// --- Service registry -----------------------------------------------------------

// Local registrations of one node. register_service() beyond it returns
// kLimitExceeded. Below kOrMapEntriesPerReplicaMax, so a node's entries always
// fit its replica.
inline constexpr size_t kLocalServicesMax = 128;
// Metadata of one registration: pairs, key bytes, value bytes, and the total
// encoded size (the entry must fit kOrMapValueBytesMax with the node name).
// register_service() beyond one returns kInvalidArgument; a decoded entry
// beyond one is rejected (kOversized).
inline constexpr size_t kMetadataPairsMax = 32;
inline constexpr size_t kMetadataKeyBytesMax = 64;
inline constexpr size_t kMetadataValueBytesMax = 255;
inline constexpr size_t kMetadataBytesMax = 640;
// Entries one anti-entropy answer carries (RegistryConfig::sync_entries_max).
inline constexpr size_t kRegistryDeltaEntriesMax = kOrMapDeltaEntriesMax;
// Registry events (service_registered / unregistered / down) one input may
// emit: a join adds or removes at most a delta's entries plus the entries of
// the replicas its context covers. Work beyond it (a purge of a dead node's
// entries) continues at the next handle_timers().
inline constexpr size_t kRegistryEventsPerInputMax = 1024;
// Bytes of an anti-entropy message body (SYNC_DIGEST / SYNC_DELTA). Decoding
// more is rejected (kOversized).
inline constexpr size_t kSyncBodyBytesMax = kFrameBodyBytesMax - 64;

// --- Liveness -------------------------------------------------------------------

// Member records a node keeps (alive, suspect, dead). When full, the
// least recently updated alive record is forgotten, then the oldest dead one;
// suspects are never forgotten (a SUSPECT that would pass the bound is ignored
// and counted: the suspect's other neighbours and the timers of the nodes that
// do hold it still decide).
inline constexpr size_t kMembersMax = 1u << 16;
// Probes in flight (one per peer whose link was lost). A link loss beyond it is
// not probed (another neighbour of that peer will be; counted).
inline constexpr size_t kProbesMax = 64;
// Claims carried by one SYNC_DIGEST (the suspect and dead records, newest
// first, the receiver's own record first). Decoding more is kOversized.
inline constexpr size_t kSyncClaimsMax = 64;

// Effects one input may produce. Exceeding it is a bug (assert): every handler
// emits O(active view) effects.
inline constexpr size_t kEffectsPerInputMax =
    4 * kActiveViewSizeMax + 64 + kRegistryEventsPerInputMax;

static_assert(kOrMapDeltaBytesMax <= kFrameBodyBytesMax - 64,
              "a delta at its bounds must fit one wire frame");
static_assert(kOrMapEntriesPerReplicaMax <= kOrMapDeltaEntriesMax, "a replica fits one delta");
static_assert(kOrMapKeysMax * kOrMapEntriesPerKeyMax >= kOrMapEntriesMax,
              "kOrMapEntriesMax is the binding bound");
static_assert(kOrMapKeyBytesMax <= UINT16_MAX && kOrMapValueBytesMax <= UINT16_MAX,
              "u16 length prefixes");
static_assert(kOrMapEntriesPerKeyMax <= UINT16_MAX, "u16 entry counts");

static_assert(kShuffleNodesMax >= 1 + 2 * 8, "default ka/kp must fit a shuffle");
static_assert(kActiveViewSizeMax >= 5 && kPassiveViewSizeMax >= 30, "paper defaults must fit");
static_assert(kIHaveEntriesMax >= 1 && kIHaveEntriesMax <= 255, "IHAVE count is a u8");
static_assert(kIHaveEntriesMax * kActiveViewSizeMax <= kLazyQueueMax,
              "per-peer early flush keeps the lazy queue within its bound");
static_assert(kPayloadCacheMax <= kMessageCacheMax, "a kept payload's id is remembered too");
static_assert(kBroadcastPayloadBytesMax + 1024 <= kFrameBodyBytesMax, "a GOSSIP fits a frame");
static_assert(kNodeNameBytesMax <= 255, "names are length-prefixed by one byte on the wire");

// --- Auth (auth.h) -------------------------------------------------------------

// Body bytes of one auth frame (HELLO, PROOF, OK, REJECT). A header announcing
// more is rejected (reason malformed) as soon as its four bytes arrive, so one
// AuthSession never buffers more than kAuthFrameHeaderBytes + this.
inline constexpr size_t kAuthFrameHeaderBytes = 4;
inline constexpr size_t kAuthFrameBodyBytesMax = 1024;
// The cluster cookie (AuthConfig::cookie), bytes. AuthConfig::validate()
// rejects a longer one (kInvalidArgument).
inline constexpr size_t kAuthCookieBytesMax = 1024;

static_assert(kAuthFrameBodyBytesMax <= UINT16_MAX, "auth body_len is a u16");
static_assert(1 + 1 + kNodeNameBytesMax + 32 + 32 <= kAuthFrameBodyBytesMax,
              "a HELLO with the longest name fits one auth frame");

}  // namespace barrel::limits
