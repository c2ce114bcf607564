// ormap_limits.h — the bounds of the OR-Map, its deltas and digests.
//
// These belong in barrel/limits.h; they live here while other work edits that
// header, and move there when the registry integrates the OR-Map. Next to
// each bound: what happens when it is reached. No container grows past one.
#pragma once

#include <cstddef>
#include <cstdint>

#include "barrel/limits.h"

namespace barrel::ormap {

// Key (service name) bytes, 1..max. add() of a longer or empty key is
// kInvalidArgument; decoding one is kOversized / kMalformed.
inline constexpr size_t kKeyBytesMax = 255;

// Value blob bytes (the registry's serialised entry). add() of a longer value
// is kInvalidArgument; decoding one is kOversized.
inline constexpr size_t kValueBytesMax = 1024;

// Distinct keys in one map. add() or join() that would create more is
// rejected with kLimitExceeded and the map is unchanged.
inline constexpr size_t kKeysMax = 16384;

// Entries (dots) under one key. add() or join() that would put more under a
// key is rejected with kLimitExceeded and the map is unchanged.
inline constexpr size_t kEntriesPerKeyMax = 1024;

// Entries in one map in all. Same policy as kKeysMax.
inline constexpr size_t kEntriesMax = 65536;

// Replicas one causal context knows (version-vector entries plus replicas
// seen only in the cloud). Every replica id that ever added an entry stays
// in the context (no garbage collection of dead replicas yet), so this also
// bounds how many (node, incarnation) pairs may ever register. A join or
// insert that would exceed it is rejected with kLimitExceeded, unchanged.
inline constexpr size_t kReplicasMax = 16384;

// Dots in the cloud (dots not yet contiguous with the version vector: gaps
// from deltas received out of order, and the dots of a delta's context). A
// join or insert that would exceed it is rejected with kLimitExceeded,
// unchanged; anti-entropy (digest.h) then fills the gaps, which compacts the
// cloud into the version vector.
inline constexpr size_t kCloudDotsMax = 8192;

// Live entries one replica (a node incarnation) owns in a map. add() beyond
// it and join() that would pass it are rejected with kLimitExceeded, map
// unchanged. It lets anti-entropy send a replica's entries whole in one delta.
inline constexpr size_t kEntriesPerReplicaMax = 256;

// Entries carried by one delta. delta_since() cuts its answer into chunks of
// at most this many; encoding a delta with more is kLimitExceeded, decoding
// one is kOversized.
inline constexpr size_t kDeltaEntriesMax = 256;

// The largest encoded delta: context (vv and cloud at their bounds, 16 bytes
// a dot) plus kDeltaEntriesMax entries at their largest, plus headers.
inline constexpr size_t kDotBytes = 16;
inline constexpr size_t kEntryBytesMax = 2 + kKeyBytesMax + 2 + kDotBytes + 2 + kValueBytesMax;
inline constexpr size_t kDeltaBytesMax =
    16 + (kReplicasMax + kCloudDotsMax) * kDotBytes + kDeltaEntriesMax * kEntryBytesMax;

static_assert(kDeltaBytesMax <= barrel::limits::kFrameBodyBytesMax - 64,
              "a delta at its bounds must fit one wire frame");
static_assert(kEntriesPerReplicaMax <= kDeltaEntriesMax, "a replica fits one delta");
static_assert(kKeysMax * kEntriesPerKeyMax >= kEntriesMax, "kEntriesMax is the binding bound");
static_assert(kKeyBytesMax <= UINT16_MAX && kValueBytesMax <= UINT16_MAX, "u16 length prefixes");
static_assert(kEntriesPerKeyMax <= UINT16_MAX, "u16 entry counts");

}  // namespace barrel::ormap
