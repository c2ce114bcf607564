// sync_codec_test — the anti-entropy digest body (sync/sync_codec.h): it
// round-trips; the form that takes an already-encoded digest writes the same
// bytes; a digest byte-equal to ours is recognised without being decoded,
// and any other is decoded (and checked) as before.
#include "sync/sync_codec.h"

#include <gtest/gtest.h>

#include <vector>

namespace barrel::sync {
namespace {

ormap::Digest sample_digest(uint64_t counter) {
  const std::vector<ormap::Dot> vv = {{7, counter}, {9, 2}};
  const std::vector<ormap::Dot> cloud = {{9, 5}};
  Result<ormap::CausalContext> ctx = ormap::CausalContext::from_canonical(vv, cloud);
  EXPECT_TRUE(ctx.is_ok()) << ctx.status().to_string();
  ormap::Digest d;
  d.context = std::move(ctx).value();
  d.live_hash = {{7, 0x1234}, {9, 0xabcdef}};
  return d;
}

DigestBody sample_body(uint64_t counter) {
  DigestBody b;
  b.boot = 3;
  b.incarnation = 5;
  b.want_reply = true;
  b.claims.push_back(liveness::Claim{MemberState::kSuspect, "n2@h", 1, 4});
  b.digest = sample_digest(counter);
  return b;
}

const ormap::DotCheck kAny = [](ormap::Dot) { return true; };

TEST(SyncCodec, DigestBodyRoundTrips) {
  const DigestBody in = sample_body(4);
  std::vector<uint8_t> bytes;
  encode_digest_body(in, &bytes);
  Result<DigestBody> out = decode_digest_body(bytes, kAny);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->boot, 3u);
  EXPECT_EQ(out->incarnation, 5u);
  EXPECT_TRUE(out->want_reply);
  EXPECT_EQ(out->claims, in.claims);
  EXPECT_EQ(out->digest, in.digest);
  EXPECT_FALSE(out->same_digest);
}

TEST(SyncCodec, PreEncodedDigestGivesTheSameBytes) {
  const DigestBody in = sample_body(4);
  std::vector<uint8_t> whole, encoded, parts;
  encode_digest_body(in, &whole);
  ormap::encode_digest(in.digest, &encoded);
  DigestBody header = in;
  header.digest = ormap::Digest{};  // ignored by the second form
  encode_digest_body(header, encoded, &parts);
  EXPECT_EQ(parts, whole);
}

TEST(SyncCodec, OurOwnDigestIsRecognisedWithoutDecoding) {
  const DigestBody in = sample_body(4);
  std::vector<uint8_t> bytes, ours;
  encode_digest_body(in, &bytes);
  ormap::encode_digest(in.digest, &ours);
  // A check that refuses everything: not consulted when the bytes are ours.
  const ormap::DotCheck refuse = [](ormap::Dot) { return false; };
  Result<DigestBody> same = decode_digest_body(bytes, refuse, ours);
  ASSERT_TRUE(same.is_ok()) << same.status().to_string();
  EXPECT_TRUE(same->same_digest);
  EXPECT_EQ(same->digest, ormap::Digest{});
  EXPECT_EQ(same->claims, in.claims);  // the rest of the body is decoded as ever

  // One counter apart: decoded, and checked.
  std::vector<uint8_t> other;
  ormap::encode_digest(sample_digest(6), &other);
  Result<DigestBody> differs = decode_digest_body(bytes, kAny, other);
  ASSERT_TRUE(differs.is_ok());
  EXPECT_FALSE(differs->same_digest);
  EXPECT_EQ(differs->digest, in.digest);
  EXPECT_FALSE(decode_digest_body(bytes, refuse, other).is_ok());

  // Our bytes as a prefix of a longer (malformed) digest are not "ours".
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0);
  Result<DigestBody> bad = decode_digest_body(longer, kAny, ours);
  EXPECT_FALSE(bad.is_ok());
}

}  // namespace
}  // namespace barrel::sync
