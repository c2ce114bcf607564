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

// Effects one input may produce. Exceeding it is a bug (assert): every handler
// emits O(active view) effects.
inline constexpr size_t kEffectsPerInputMax = 4 * kActiveViewSizeMax + 64;

// Wire frames: bytes of one encoded message body. Larger frames are rejected
// (kOversized) before any allocation.
inline constexpr size_t kFrameBodyBytesMax = 1u << 20;

// Default bound of a host's NameTable.
inline constexpr size_t kNamesDefaultMax = 1u << 21;

static_assert(kShuffleNodesMax >= 1 + 2 * 8, "default ka/kp must fit a shuffle");
static_assert(kActiveViewSizeMax >= 5 && kPassiveViewSizeMax >= 30, "paper defaults must fit");
static_assert(kIHaveEntriesMax >= 1 && kIHaveEntriesMax <= 255, "IHAVE count is a u8");
static_assert(kIHaveEntriesMax * kActiveViewSizeMax <= kLazyQueueMax,
              "per-peer early flush keeps the lazy queue within its bound");
static_assert(kPayloadCacheMax <= kMessageCacheMax, "a kept payload's id is remembered too");
static_assert(kBroadcastPayloadBytesMax + 1024 <= kFrameBodyBytesMax, "a GOSSIP fits a frame");
static_assert(kNodeNameBytesMax <= 255, "names are length-prefixed by one byte on the wire");

}  // namespace barrel::limits
