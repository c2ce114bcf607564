// claim_codec_test — the encoding of one liveness claim: golden bytes, round
// trips of random claims (decode ∘ encode = id, encode ∘ decode reproduces
// the bytes), every truncation and every malformed field rejected with its
// code and a message naming the field, random bytes never crash.
// Method: a hand-written golden claim; random claims and bytes from seeded
// Rngs in bounded loops.
#include "liveness/claim_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "barrel/rng.h"

namespace barrel::liveness {
namespace {

using Bytes = std::vector<uint8_t>;

const Claim kGolden{MemberState::kSuspect, "a@h", 0x0102030405060708ull, 0x1112131415161718ull};
const Bytes kGoldenBytes{
    0x01,                                            // version
    0x02,                                            // state: suspect
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,  // boot
    0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,  // incarnation
    0x03, 'a',  '@',  'h',                           // node
};

Bytes encode(const Claim& c) {
  Bytes out;
  encode_claim(c, &out);
  return out;
}

void expect_error(const Bytes& in, Code code, const std::string& field) {
  Result<Claim> r = decode_claim(in);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), code) << r.status().to_string();
  EXPECT_NE(r.status().message().find(field.empty() ? "claim:" : "claim " + field),
            std::string_view::npos)
      << r.status().to_string();
}

std::string random_name(Rng& rng) {
  static constexpr char kChars[] = "abcxyz019_.-";
  std::string s;
  const size_t left = 1 + rng.uniform(20);
  for (size_t i = 0; i < left; ++i)
    s += kChars[rng.uniform(sizeof(kChars) - 1)];
  s += '@';
  const size_t right = 1 + rng.uniform(20);
  for (size_t i = 0; i < right; ++i)
    s += kChars[rng.uniform(sizeof(kChars) - 1)];
  return s;
}

Claim random_claim(Rng& rng) {
  Claim c;
  c.state = static_cast<MemberState>(1 + rng.uniform(3));
  c.node = random_name(rng);
  c.boot = rng.chance(100'000) ? 0 : rng.next() >> 1;
  c.incarnation = c.boot + (rng.chance(300'000) ? 0 : rng.uniform(1000));
  return c;
}

TEST(ClaimCodec, GoldenBytes) {
  EXPECT_EQ(encode(kGolden), kGoldenBytes);
  Result<Claim> back = decode_claim(kGoldenBytes);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, kGolden);
  EXPECT_EQ(kGoldenBytes.size(), 1 + kClaimFixedBytes + kGolden.node.size());
}

TEST(ClaimCodec, RoundTripsRandomClaims) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    Rng rng(seed);
    const Claim c = random_claim(rng);
    ASSERT_TRUE(validate_claim(c).is_ok());
    const Bytes bytes = encode(c);
    Result<Claim> back = decode_claim(bytes);
    ASSERT_TRUE(back.is_ok()) << back.status().to_string() << " seed " << seed;
    ASSERT_EQ(*back, c);
    ASSERT_EQ(encode(*back), bytes);
  }
}

TEST(ClaimCodec, InStreamFormHasNoVersionAndChains) {
  const Claim second{MemberState::kAlive, "node-2@host.example", 5, 9};
  Bytes out;
  wire::Writer w(&out);
  write_claim(w, kGolden);
  write_claim(w, second);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 21),
            Bytes(kGoldenBytes.begin() + 1, kGoldenBytes.end()));
  wire::Reader r(out);
  Result<Claim> a = read_claim(r);
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_EQ(*a, kGolden);
  Result<Claim> b = read_claim(r);
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  EXPECT_EQ(*b, second);
  EXPECT_TRUE(r.empty());
  Result<Claim> c = read_claim(r);
  ASSERT_FALSE(c.is_ok());
  EXPECT_EQ(c.status().code(), Code::kTruncated);
}

// Each prefix ends inside one field, which the message names.
TEST(ClaimCodec, EveryTruncationIsTypedAndNamesTheField) {
  for (size_t n = 0; n < kGoldenBytes.size(); ++n) {
    const std::string field = n < 1    ? "version"
                              : n < 2  ? "state"
                              : n < 10 ? "boot"
                              : n < 18 ? "incarnation"
                                       : "node";
    SCOPED_TRACE("prefix " + std::to_string(n));
    expect_error(Bytes(kGoldenBytes.begin(), kGoldenBytes.begin() + n), Code::kTruncated, field);
  }
}

TEST(ClaimCodec, MalformedFieldsAreRejectedWithTheirCode) {
  Bytes b = kGoldenBytes;
  b[0] = 2;
  expect_error(b, Code::kBadVersion, "version");
  b[0] = 0;
  expect_error(b, Code::kBadVersion, "version");

  for (uint8_t state : {0, 4, 255}) {
    b = kGoldenBytes;
    b[1] = state;
    expect_error(b, Code::kMalformed, "state");
  }

  b = kGoldenBytes;
  b[2] = 0x12;  // boot 0x12.. > incarnation 0x11..
  expect_error(b, Code::kMalformed, "boot");

  b = kGoldenBytes;
  b.resize(18);
  b.push_back(0);  // name length 0
  expect_error(b, Code::kMalformed, "node");

  b = kGoldenBytes;
  b[20] = '#';  // "a#h": no '@'
  expect_error(b, Code::kBadName, "node");

  b = kGoldenBytes;
  b.push_back(0);
  expect_error(b, Code::kTrailingBytes, "");
}

TEST(ClaimCodec, BootEqualToIncarnationAndZeroAreValid) {
  for (const Claim& c :
       {Claim{MemberState::kAlive, "a@h", 7, 7}, Claim{MemberState::kDead, "a@h", 0, 0},
        Claim{MemberState::kSuspect, "a@h", 0, UINT64_MAX}}) {
    Result<Claim> back = decode_claim(encode(c));
    ASSERT_TRUE(back.is_ok()) << back.status().to_string();
    EXPECT_EQ(*back, c);
  }
}

TEST(ClaimCodec, ValidateClaimMatchesTheDecoder) {
  EXPECT_TRUE(validate_claim(kGolden).is_ok());
  EXPECT_EQ(validate_claim(Claim{MemberState::kAlive, "nohost", 1, 1}).code(), Code::kBadName);
  EXPECT_EQ(validate_claim(Claim{MemberState::kAlive, "", 1, 1}).code(), Code::kBadName);
  EXPECT_EQ(validate_claim(Claim{static_cast<MemberState>(4), "a@h", 1, 1}).code(),
            Code::kMalformed);
  EXPECT_EQ(validate_claim(Claim{MemberState::kAlive, "a@h", 2, 1}).code(), Code::kMalformed);
}

// Total on random input: never crashes; whatever decodes re-encodes to the
// same bytes (the encoding is canonical).
TEST(ClaimCodec, RandomBytesNeverCrashAndAcceptedOnesAreCanonical) {
  size_t accepted = 0;
  for (uint64_t seed = 1; seed <= 2000; ++seed) {
    Rng rng(seed);
    Bytes b;
    if (rng.chance(500'000)) {
      b = encode(random_claim(rng));
      b[rng.uniform(b.size())] ^= static_cast<uint8_t>(1 + rng.uniform(255));
    } else {
      b.resize(rng.uniform(40));
      for (uint8_t& x : b)
        x = static_cast<uint8_t>(rng.next());
    }
    Result<Claim> r = decode_claim(b);
    if (r.is_ok()) {
      ++accepted;
      EXPECT_TRUE(validate_claim(*r).is_ok());
      EXPECT_EQ(encode(*r), b);
    } else {
      EXPECT_TRUE(is_input_error(r.status().code())) << r.status().to_string();
    }
  }
  EXPECT_GT(accepted, 0u);  // mutations of the boot/incarnation bytes often stay valid
}

}  // namespace
}  // namespace barrel::liveness
