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
static_assert(kNodeNameBytesMax <= 255, "names are length-prefixed by one byte on the wire");

}  // namespace barrel::limits
