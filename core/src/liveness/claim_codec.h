// claim_codec.h — binary encoding of one liveness claim.
//
// Grammar (integers big-endian, built on wire/reader.h and wire/writer.h):
//
//   payload  := version:u8 claim             (a kLiveness broadcast's payload)
//   version  := 1                                              else kBadVersion
//   claim    := state:u8 boot:u64 incarnation:u64 node      (in-stream form,
//               embedded as is in the anti-entropy digest)
//   state    := 1 (alive) | 2 (suspect) | 3 (dead)             else kMalformed
//   boot     := <= incarnation (claim.h)                       else kMalformed
//   node     := len:u8 (1..255) bytes[len], a valid node name
//               (len 0: kMalformed; invalid name: kBadName)
//
// An input that ends early is kTruncated; bytes after the claim in a payload
// are kTrailingBytes. Every error message names the field ("claim state: 7").
// 19 + len(node) bytes in-stream, one more as a payload.
//
// Decoding builds a fresh Claim and touches no state, so a rejected claim
// changes nothing; the Node counts it (NodeStats::claims_rejected).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "barrel/result.h"
#include "liveness/claim.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace barrel::liveness {

inline constexpr uint8_t kClaimCodecVersion = 1;
// Bytes of the in-stream form without the name: state, boot, incarnation,
// name length.
inline constexpr size_t kClaimFixedBytes = 1 + 8 + 8 + 1;

// Appends the payload form (version byte, then the claim) to *out.
// REQUIRES: out != nullptr; validate_claim(c) is OK.
void encode_claim(const Claim& c, std::vector<uint8_t>* out);

// Decodes a payload occupying all of `in`. Returns the claim, or one of the
// codes in the grammar above.
Result<Claim> decode_claim(std::span<const uint8_t> in);

// The in-stream form (no version byte). REQUIRES: validate_claim(c) is OK.
void write_claim(wire::Writer& w, const Claim& c);

// Reads one in-stream claim. On error the reader's position is unspecified
// (the enclosing message is rejected whole).
Result<Claim> read_claim(wire::Reader& r);

}  // namespace barrel::liveness
