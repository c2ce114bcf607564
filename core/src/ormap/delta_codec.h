// delta_codec.h — binary encoding of OR-Map deltas and digests.
//
// Grammar (integers big-endian, built on wire/reader.h and wire/writer.h):
//
//   delta     := version:u8 kind:u8(=1) context store
//   digest    := version:u8 kind:u8(=2) context hashes
//   version   := 1                                         else kBadVersion
//   kind      := 1 (delta) | 2 (digest), as expected       else kUnknownType
//   context   := vv_count:u32 dot[vv_count] cloud_count:u32 dot[cloud_count]
//                vv dots are (replica, n): "(replica, 1..n) seen"
//   vv_count  := 0..limits::kOrMapReplicasMax                           else kOversized
//   cloud_count := 0..limits::kOrMapCloudDotsMax                        else kOversized
//   store     := key_count:u32 key_entries[key_count]
//   key_entries := key_len:u16 key[key_len] entry_count:u16 entry[entry_count]
//   entry     := dot value_len:u16 value[value_len]
//   hashes    := count:u32 (replica:u64 hash:u64)[count]
//   dot       := replica:u64 counter:u64
//
// Canonical, so decode followed by encode reproduces the input: vv replicas
// and hash replicas strictly ascending, cloud dots strictly ascending and
// compacted (causal_context.h), keys strictly ascending, 1..limits::kOrMapKeyBytesMax
// bytes, entry_count >= 1, dots strictly ascending within a key. Violations
// are kMalformed; counts and lengths above their bound are kOversized (checked
// before any allocation); total entries above limits::kOrMapDeltaEntriesMax is kOversized;
// an input that ends early is kTruncated; bytes after the value are
// kTrailingBytes. A dot with counter 0, an entry dot its own context does not
// cover, a dot twice, and a dot the caller's check calls "from the future"
// are kMalformed. A hash for a replica the context does not know is
// kMalformed.
//
// Decoding builds a fresh value and never touches the caller's state, so a
// rejected delta changes nothing; joining an accepted one is a separate step.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "barrel/result.h"
#include "barrel/status.h"
#include "ormap/delta.h"
#include "ormap/digest.h"

namespace barrel::ormap {

inline constexpr uint8_t kDeltaCodecVersion = 1;
inline constexpr uint8_t kKindDelta = 1;
inline constexpr uint8_t kKindDigest = 2;

// Returns true if `d` is plausible. The caller decides what "from the future"
// means (e.g. a counter far beyond anything the sender could have minted).
using DotCheck = std::function<bool(Dot d)>;

// Appends `delta` to *out. Returns kLimitExceeded (out unchanged) if it has
// more than limits::kOrMapDeltaEntriesMax entries: cut it with delta_since() instead.
// REQUIRES: out != nullptr.
Status encode_delta(const Delta& delta, std::vector<uint8_t>* out);

// Decodes one delta occupying all of `in`. `check` may be empty (no check).
// Returns the codes listed in the grammar above.
Result<Delta> decode_delta(std::span<const uint8_t> in, const DotCheck& check);

// Appends `digest` to *out. REQUIRES: out != nullptr.
void encode_digest(const Digest& digest, std::vector<uint8_t>* out);

// Decodes one digest occupying all of `in`.
Result<Digest> decode_digest(std::span<const uint8_t> in, const DotCheck& check);

}  // namespace barrel::ormap
