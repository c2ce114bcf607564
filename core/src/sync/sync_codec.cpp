// sync_codec.cpp — encode / decode of the anti-entropy bodies (grammar in
// sync_codec.h).
#include "sync/sync_codec.h"

#include <algorithm>
#include <string>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "liveness/claim_codec.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace barrel::sync {
namespace {

Status with_field(const char* field, const Status& s) {
  return {s.code(), std::string("sync: ") + field + ": " + std::string(s.message())};
}

// Reads version and kind; kBadVersion / kUnknownType naming what came.
Status read_header(wire::Reader& r, uint8_t kind) {
  Result<uint8_t> version = r.u8();
  if (!version.is_ok())
    return with_field("version", version.status());
  if (*version != kSyncCodecVersion) {
    return {Code::kBadVersion, "sync: version " + std::to_string(*version) +
                                   ", this codec speaks " + std::to_string(kSyncCodecVersion)};
  }
  Result<uint8_t> k = r.u8();
  if (!k.is_ok())
    return with_field("kind", k.status());
  if (*k != kind) {
    return {Code::kUnknownType,
            "sync: kind " + std::to_string(*k) + ", expected " + std::to_string(kind)};
  }
  return Status::ok();
}

std::span<const uint8_t> rest(std::span<const uint8_t> in, const wire::Reader& r) {
  return in.subspan(r.offset());
}

}  // namespace

namespace {

// Encodes the header and claims, with room reserved for them and for
// `then` more bytes: one allocation per body instead of one per doubling.
void encode_digest_header(const DigestBody& body, size_t then, std::vector<uint8_t>* out) {
  BARREL_ASSERT(out != nullptr);
  BARREL_ASSERT(body.claims.size() <= limits::kSyncClaimsMax);
  BARREL_ASSERT(body.incarnation >= body.boot);
  size_t need = 2 + 8 + 8 + 1 + 1 + then;  // version, kind, boot, incarnation, flags, count
  for (const liveness::Claim& c : body.claims)
    need += liveness::kClaimFixedBytes + c.node.size();
  out->reserve(out->size() + need);
  wire::Writer w(out);
  w.u8(kSyncCodecVersion);
  w.u8(kKindDigestBody);
  w.u64(body.boot);
  w.u64(body.incarnation);
  w.u8(body.want_reply ? 1 : 0);
  w.u8(static_cast<uint8_t>(body.claims.size()));
  for (const liveness::Claim& c : body.claims)
    liveness::write_claim(w, c);
}

}  // namespace

void encode_digest_body(const DigestBody& body, std::vector<uint8_t>* out) {
  encode_digest_header(body, 0, out);
  ormap::encode_digest(body.digest, out);
}

void encode_digest_body(const DigestBody& body, std::span<const uint8_t> encoded_digest,
                        std::vector<uint8_t>* out) {
  encode_digest_header(body, encoded_digest.size(), out);
  out->insert(out->end(), encoded_digest.begin(), encoded_digest.end());
}

Result<DigestBody> decode_digest_body(std::span<const uint8_t> in, const ormap::DotCheck& check,
                                      std::span<const uint8_t> ours) {
  wire::Reader r(in);
  if (Status s = read_header(r, kKindDigestBody); !s.is_ok())
    return s;
  DigestBody body;
  Result<uint64_t> boot = r.u64();
  if (!boot.is_ok())
    return with_field("boot", boot.status());
  Result<uint64_t> inc = r.u64();
  if (!inc.is_ok())
    return with_field("incarnation", inc.status());
  if (*inc < *boot)
    return Status(Code::kMalformed, "sync: incarnation below boot");
  body.boot = *boot;
  body.incarnation = *inc;
  Result<uint8_t> flags = r.u8();
  if (!flags.is_ok())
    return with_field("flags", flags.status());
  if ((*flags & ~1u) != 0)
    return Status(Code::kMalformed, "sync: flags " + std::to_string(*flags) + " (only bit 0)");
  body.want_reply = (*flags & 1u) != 0;
  Result<uint8_t> count = r.u8();
  if (!count.is_ok())
    return with_field("claim_count", count.status());
  if (*count > limits::kSyncClaimsMax) {
    return Status(Code::kOversized, "sync: " + std::to_string(*count) + " claims, limit " +
                                        std::to_string(limits::kSyncClaimsMax));
  }
  body.claims.reserve(*count);
  for (size_t i = 0; i < *count; ++i) {
    Result<liveness::Claim> c = liveness::read_claim(r);
    if (!c.is_ok()) {
      return Status(c.status().code(), "sync: claim " + std::to_string(i + 1) + ": " +
                                           std::string(c.status().message()));
    }
    body.claims.push_back(std::move(*c));
  }
  const std::span<const uint8_t> encoded = rest(in, r);
  if (!ours.empty() && std::equal(encoded.begin(), encoded.end(), ours.begin(), ours.end())) {
    body.same_digest = true;  // our own digest's bytes: valid by construction
    return body;
  }
  Result<ormap::Digest> digest = ormap::decode_digest(encoded, check);
  if (!digest.is_ok())
    return with_field("digest", digest.status());
  body.digest = std::move(*digest);
  return body;
}

Status encode_delta_body(const ormap::Delta& delta, std::vector<uint8_t>* out) {
  BARREL_ASSERT(out != nullptr);
  const size_t before = out->size();
  wire::Writer w(out);
  w.u8(kSyncCodecVersion);
  w.u8(kKindDeltaBody);
  if (Status s = ormap::encode_delta(delta, out); !s.is_ok()) {
    out->resize(before);
    return s;
  }
  return Status::ok();
}

Result<ormap::Delta> decode_delta_body(std::span<const uint8_t> in, const ormap::DotCheck& check) {
  wire::Reader r(in);
  if (Status s = read_header(r, kKindDeltaBody); !s.is_ok())
    return s;
  Result<ormap::Delta> d = ormap::decode_delta(rest(in, r), check);
  if (!d.is_ok())
    return with_field("delta", d.status());
  return d;
}

}  // namespace barrel::sync
