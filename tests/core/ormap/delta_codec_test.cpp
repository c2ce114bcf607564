// delta_codec_test — the delta and digest encoding: round trips of random
// states and digests (decode ∘ encode = id, and encode ∘ decode reproduces
// the bytes), every truncation a typed error, random and mutated bytes never
// crash and never change a state, and each malformed case named in the
// grammar rejected with its code.
// Method: random Histories (harness.h) over many seeds; bounded loops. Run
// under -DBARREL_SANITIZE=ON as well.
#include "ormap/delta_codec.h"

#include <gtest/gtest.h>

#include <vector>

#include "barrel/limits.h"
#include "barrel/rng.h"
#include "core/ormap/harness.h"
#include "wire/writer.h"

namespace barrel::ormap {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes encode(const Delta& d) {
  Bytes out;
  EXPECT_TRUE(encode_delta(d, &out).is_ok());
  return out;
}

TEST(DeltaCodec, RoundTripsRandomStatesAndDeltas) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    Rng rng(seed);
    test::History h(rng, 4, 50);
    std::vector<const Delta*> values{&h.states[0], &h.deltas[rng.uniform(h.deltas.size())]};
    for (const Delta* d : values) {
      const Bytes bytes = encode(*d);
      Result<Delta> back = decode_delta(bytes, {});
      ASSERT_TRUE(back.is_ok()) << back.status().to_string() << " seed " << seed;
      ASSERT_EQ(*back, *d);
      back->check_invariants();
      ASSERT_EQ(encode(*back), bytes);
    }
    const Digest g = digest_of(h.states[1]);
    Bytes bytes;
    encode_digest(g, &bytes);
    Result<Digest> back = decode_digest(bytes, {});
    ASSERT_TRUE(back.is_ok()) << back.status().to_string();
    ASSERT_EQ(*back, g);
  }
}

TEST(DeltaCodec, EveryTruncationIsATypedError) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Rng rng(seed);
    test::History h(rng, 3, 30);
    const Bytes bytes = encode(h.states[0]);
    for (size_t n = 0; n < bytes.size(); ++n) {
      Result<Delta> r = decode_delta(std::span(bytes.data(), n), {});
      ASSERT_FALSE(r.is_ok()) << "prefix " << n;
      ASSERT_EQ(r.status().code(), Code::kTruncated) << r.status().to_string();
    }
    Bytes digest;
    encode_digest(digest_of(h.states[1]), &digest);
    for (size_t n = 0; n < digest.size(); ++n) {
      Result<Digest> r = decode_digest(std::span(digest.data(), n), {});
      ASSERT_FALSE(r.is_ok());
      ASSERT_EQ(r.status().code(), Code::kTruncated) << r.status().to_string();
    }
  }
}

// Decodes `bytes`; if accepted, joins into a copy of `state` (which must keep
// its invariants); if rejected, the code must be an input error.
void feed(const ORMap& state, const Bytes& bytes) {
  Result<Delta> d = decode_delta(bytes, {});
  if (!d.is_ok()) {
    ASSERT_TRUE(is_input_error(d.status().code())) << d.status().to_string();
    return;
  }
  d->check_invariants();
  ORMap copy = state;
  const ORMap before = copy;
  Status s = copy.join(*d);
  if (!s.is_ok()) {
    ASSERT_EQ(copy, before);
  }
  copy.check_invariants();
  Result<Digest> g = decode_digest(bytes, {});
  if (!g.is_ok()) {
    ASSERT_TRUE(is_input_error(g.status().code()));
  }
}

TEST(DeltaCodec, RandomAndMutatedBytesNeverCrash) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    Rng rng(seed);
    test::History h(rng, 3, 30);
    const ORMap& state = h.states[0];
    // Pure noise, sometimes behind a valid header.
    Bytes noise(rng.uniform(200));
    for (uint8_t& b : noise)
      b = static_cast<uint8_t>(rng.next());
    if (noise.size() >= 2 && rng.chance(kPpmOne / 2)) {
      noise[0] = kDeltaCodecVersion;
      noise[1] = kKindDelta;
    }
    feed(state, noise);
    // A valid encoding with a few bytes flipped.
    Bytes bytes = encode(h.states[1]);
    for (int i = 0; i < 20; ++i) {
      Bytes m = bytes;
      const uint64_t flips = 1 + rng.uniform(3);
      for (uint64_t f = 0; f < flips; ++f)
        m[rng.uniform(m.size())] = static_cast<uint8_t>(rng.next());
      feed(state, m);
    }
  }
}

// A delta with one key, built by hand: context vv = {(1, n)}.
Bytes hand_delta(uint64_t vv_counter, uint64_t entry_counter, uint8_t version = 1) {
  Bytes out;
  wire::Writer w(&out);
  w.u8(version);
  w.u8(kKindDelta);
  w.u32(1);
  w.u64(1);
  w.u64(vv_counter);
  w.u32(0);  // cloud
  w.u32(1);  // keys
  w.u16(3);
  w.bytes({reinterpret_cast<const uint8_t*>("web"), 3});
  w.u16(1);
  w.u64(1);
  w.u64(entry_counter);
  w.u16(0);
  return out;
}

TEST(DeltaCodec, MalformedCasesHaveTheirCodes) {
  ASSERT_TRUE(decode_delta(hand_delta(2, 2), {}).is_ok());
  EXPECT_EQ(decode_delta(hand_delta(2, 2, 9), {}).status().code(), Code::kBadVersion);
  EXPECT_EQ(decode_delta(hand_delta(0, 1), {}).status().code(), Code::kMalformed);  // counter 0
  EXPECT_EQ(decode_delta(hand_delta(2, 0), {}).status().code(), Code::kMalformed);  // counter 0
  // An entry its own context does not cover.
  EXPECT_EQ(decode_delta(hand_delta(2, 3), {}).status().code(), Code::kMalformed);
  // A dot from the future, per the caller's check.
  auto plausible = [](Dot d) { return d.counter < 1000; };
  EXPECT_TRUE(decode_delta(hand_delta(999, 5), plausible).is_ok());
  EXPECT_EQ(decode_delta(hand_delta(5000, 5), plausible).status().code(), Code::kMalformed);
  // Trailing bytes.
  Bytes trailing = hand_delta(2, 2);
  trailing.push_back(0);
  EXPECT_EQ(decode_delta(trailing, {}).status().code(), Code::kTrailingBytes);
  // A digest is not a delta.
  Bytes digest;
  encode_digest(Digest{}, &digest);
  EXPECT_EQ(decode_delta(digest, {}).status().code(), Code::kUnknownType);
  // A count above its bound is kOversized before anything is read for it.
  Bytes big;
  wire::Writer w(&big);
  w.u8(1);
  w.u8(kKindDelta);
  w.u32(static_cast<uint32_t>(limits::kOrMapReplicasMax + 1));
  EXPECT_EQ(decode_delta(big, {}).status().code(), Code::kOversized);
  // A count the input cannot hold is truncation, found before allocating.
  Bytes short_count;
  wire::Writer w2(&short_count);
  w2.u8(1);
  w2.u8(kKindDelta);
  w2.u32(1000);
  EXPECT_EQ(decode_delta(short_count, {}).status().code(), Code::kTruncated);
}

TEST(DeltaCodec, OversizedDeltaIsNotEncoded) {
  ORMap m;
  for (size_t i = 0; i <= limits::kOrMapDeltaEntriesMax; ++i)
    ASSERT_TRUE(
        add(&m, 1 + i / limits::kOrMapEntriesPerReplicaMax, "k" + std::to_string(i), "v").is_ok());
  Bytes out{7};
  EXPECT_EQ(encode_delta(m, &out).code(), Code::kLimitExceeded);
  EXPECT_EQ(out, Bytes{7});
}

}  // namespace
}  // namespace barrel::ormap
