// sync_codec.h — the bodies of SYNC_DIGEST and SYNC_DELTA (anti-entropy).
//
// The wire codec carries these bodies as opaque bytes (codec.h); this file
// gives them their grammar, versioned on their own so the registry's state
// format can evolve without a new frame type. Integers big-endian:
//
//   digest_body := version:u8(=1) kind:u8(=1) boot:u64 incarnation:u64
//                  flags:u8 claim_count:u8 claim[claim_count] ormap_digest
//   delta_body  := version:u8(=1) kind:u8(=2) ormap_delta
//   flags       := bit 0 want_reply; other bits 0                else kMalformed
//   claim_count := 0..limits::kSyncClaimsMax                      else kOversized
//   claim       := liveness/claim_codec.h, in-stream form (no version byte)
//   ormap_digest, ormap_delta := ormap/delta_codec.h, to the end of the body
//   incarnation >= boot                                           else kMalformed
//
// Errors name the field; a rejected body changes nothing (decoding builds
// fresh values). `check` is handed to the OR-Map decoder (dots from the
// future, see delta_codec.h).
//
// Thread-safety: plain functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "barrel/result.h"
#include "barrel/status.h"
#include "liveness/claim.h"
#include "ormap/delta_codec.h"
#include "ormap/digest.h"

namespace barrel::sync {

inline constexpr uint8_t kSyncCodecVersion = 1;
inline constexpr uint8_t kKindDigestBody = 1;
inline constexpr uint8_t kKindDeltaBody = 2;

struct DigestBody {
  uint64_t boot = 0;         // the sender's boot incarnation
  uint64_t incarnation = 0;  // the sender's liveness incarnation
  bool want_reply = false;   // the receiver should answer with its own digest if they differ
  std::vector<liveness::Claim> claims;
  ormap::Digest digest;
  // Set by decode_digest_body() when the digest's bytes equal `ours`: the
  // peer's digest is ours, and `digest` was left empty (not decoded).
  bool same_digest = false;
};

// Appends the encoded body to *out. REQUIRES: claims.size() <= kSyncClaimsMax,
// incarnation >= boot.
void encode_digest_body(const DigestBody& body, std::vector<uint8_t>* out);
// The same with the digest given already encoded (Registry::digest_bytes());
// body.digest is ignored. The bytes are the same as the form above.
void encode_digest_body(const DigestBody& body, std::span<const uint8_t> encoded_digest,
                        std::vector<uint8_t>* out);
// `ours`, if not empty, is our own encoded digest: when the body's digest is
// byte for byte the same, it is not decoded (same_digest = true) — the
// steady state of anti-entropy, where decoding was most of the cost.
Result<DigestBody> decode_digest_body(std::span<const uint8_t> in, const ormap::DotCheck& check,
                                      std::span<const uint8_t> ours = {});

// Appends the encoded delta body to *out; kLimitExceeded (out unchanged) if
// the delta is above the codec's bounds.
Status encode_delta_body(const ormap::Delta& delta, std::vector<uint8_t>* out);
Result<ormap::Delta> decode_delta_body(std::span<const uint8_t> in, const ormap::DotCheck& check);

}  // namespace barrel::sync
