// frame_test — the auth frame codec (core/src/auth/frame.cpp) and the PROOF
// constructions (core/src/auth/proof.cpp).
//
// Method: encode each frame and decode it back; check the exact bytes of the
// header and each body against the grammar; check each decode error; check
// that every transcript field, the role, the exporter and the cookie each
// change what is signed or hashed (so none of them can be swapped unnoticed).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/frame.h"
#include "auth/proof.h"
#include "core/auth/auth_fakes.h"

namespace barrel::auth_test {
namespace {

using auth::FrameType;

TEST(AuthFrameTest, HelloRoundTripsWithTheGrammarsBytes) {
  auth::Hello h;
  h.role = auth::kRoleServer;
  h.name = "bob@host-b";
  h.key = seeded_bytes<32>(1);
  h.nonce = seeded_bytes<32>(2);
  Bytes out;
  auth::encode_hello(h, &out);
  const size_t body_len = 1 + 1 + h.name.size() + 32 + 32;
  ASSERT_EQ(out.size(), 4 + body_len);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], 1);
  EXPECT_EQ(out[2], 0);
  EXPECT_EQ(out[3], body_len);
  EXPECT_EQ(out[4], 'S');
  EXPECT_EQ(out[5], h.name.size());
  Result<auth::Header> header = auth::decode_header(out);
  ASSERT_TRUE(header.is_ok());
  EXPECT_EQ(header->type, FrameType::kHello);
  EXPECT_EQ(header->body_len, body_len);
  Result<auth::Hello> back = auth::decode_hello(std::span(out).subspan(4));
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->role, h.role);
  EXPECT_EQ(back->name, h.name);
  EXPECT_EQ(back->key, h.key);
  EXPECT_EQ(back->nonce, h.nonce);
}

TEST(AuthFrameTest, HelloWithTheLongestNameFits) {
  const std::string name = std::string(limits::kNodeNameBytesMax - 2, 'n') + "@h";
  auth::Hello h;
  h.role = auth::kRoleClient;
  h.name = name;
  Bytes out;
  auth::encode_hello(h, &out);
  EXPECT_EQ(out.size(), 4 + auth::kHelloBodyBytesMax);
  Result<auth::Hello> back = auth::decode_hello(std::span(out).subspan(4));
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(back->name, name);
}

TEST(AuthFrameTest, ProofOkRejectRoundTrip) {
  auth::Proof p;
  p.signature = seeded_bytes<64>(3);
  p.echoed_nonce = seeded_bytes<32>(4);
  p.binding = seeded_bytes<32>(5);
  p.cookie_proof = seeded_bytes<32>(6);
  Bytes out;
  auth::encode_proof(p, &out);
  ASSERT_EQ(out.size(), 4 + 160u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 4), (Bytes{1, 2, 0, 160}));
  Result<auth::Proof> back = auth::decode_proof(std::span(out).subspan(4));
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(back->signature, p.signature);
  EXPECT_EQ(back->echoed_nonce, p.echoed_nonce);
  EXPECT_EQ(back->binding, p.binding);
  EXPECT_EQ(back->cookie_proof, p.cookie_proof);

  Bytes ok;
  auth::encode_ok(&ok);
  EXPECT_EQ(ok, (Bytes{1, 3, 0, 0}));
  EXPECT_TRUE(auth::decode_ok({}).is_ok());
  Bytes reject;
  auth::encode_reject(6, &reject);
  EXPECT_EQ(reject, (Bytes{1, 4, 0, 1, 6}));
  Result<uint8_t> r = auth::decode_reject(std::span(reject).subspan(4));
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, 6);
}

TEST(AuthFrameTest, HeaderErrors) {
  EXPECT_EQ(auth::decode_header(Bytes{2, 1, 0, 0}).status().code(), Code::kBadVersion);
  EXPECT_EQ(auth::decode_header(Bytes{1, 0, 0, 0}).status().code(), Code::kUnknownType);
  EXPECT_EQ(auth::decode_header(Bytes{1, 5, 0, 0}).status().code(), Code::kUnknownType);
  EXPECT_EQ(auth::decode_header(Bytes{1, 1, 4, 1}).status().code(), Code::kOversized);  // 1025
  Result<auth::Header> at_limit = auth::decode_header(Bytes{1, 1, 4, 0});               // 1024
  ASSERT_TRUE(at_limit.is_ok());
  EXPECT_EQ(at_limit->body_len, limits::kAuthFrameBodyBytesMax);
  EXPECT_TRUE(auth::check_version(1).is_ok());
  EXPECT_EQ(auth::check_version(0).code(), Code::kBadVersion);
}

TEST(AuthFrameTest, BodyErrors) {
  EXPECT_EQ(auth::decode_hello(Bytes{}).status().code(), Code::kMalformed);
  EXPECT_EQ(auth::decode_hello(Bytes{'Z', 3, 'a', '@', 'b'}).status().code(), Code::kMalformed);
  EXPECT_EQ(auth::decode_hello(Bytes{'C', 0}).status().code(), Code::kMalformed);
  EXPECT_EQ(auth::decode_hello(Bytes{'C', 3, 'a', '@', 'b'}).status().code(),
            Code::kMalformed);  // the key is missing
  EXPECT_EQ(auth::decode_hello(Bytes{'C', 3, 'a', 'b', 'c'}).status().code(), Code::kBadName);
  EXPECT_EQ(auth::decode_hello(Bytes{'C', 9, 'a', '@', 'b'}).status().code(), Code::kMalformed);
  Bytes hello = {'C', 3, 'a', '@', 'b'};
  hello.resize(hello.size() + 64 + 1);
  EXPECT_EQ(auth::decode_hello(hello).status().code(), Code::kTrailingBytes);
  hello.pop_back();
  EXPECT_TRUE(auth::decode_hello(hello).is_ok());
  EXPECT_EQ(auth::decode_proof(Bytes(159)).status().code(), Code::kMalformed);
  EXPECT_EQ(auth::decode_proof(Bytes(161)).status().code(), Code::kTrailingBytes);
  EXPECT_EQ(auth::decode_ok(Bytes{0}).code(), Code::kTrailingBytes);
  EXPECT_EQ(auth::decode_reject(Bytes{}).status().code(), Code::kMalformed);
  EXPECT_EQ(auth::decode_reject(Bytes{1, 1}).status().code(), Code::kTrailingBytes);
  EXPECT_TRUE(auth::decode_reject(Bytes{250}).is_ok());  // unknown reasons are kept
}

auth::TranscriptFields base_fields() {
  auth::TranscriptFields f;
  f.signer_role = auth::kRoleClient;
  f.signer_name = "alice@a";
  f.verifier_name = "bob@b";
  f.signer_key = seeded_bytes<32>(10);
  f.echoed_verifier_nonce = seeded_bytes<32>(11);
  f.signer_nonce = seeded_bytes<32>(12);
  f.binding = seeded_bytes<32>(13);
  return f;
}

TEST(AuthProofTest, TranscriptLayout) {
  const auth::TranscriptFields f = base_fields();
  const Bytes t = auth::transcript(f);
  const std::string label = "barrel-p2p/auth/v1";
  ASSERT_EQ(t.size(), label.size() + 1 + 1 + 7 + 1 + 5 + 32 * 4);
  EXPECT_EQ(std::string(t.begin(), t.begin() + 18), label);
  EXPECT_EQ(t[18], 'C');
  EXPECT_EQ(t[19], 7);
  EXPECT_EQ(t[27], 5);
  EXPECT_EQ(Bytes(t.end() - 32, t.end()), Bytes(f.binding.begin(), f.binding.end()));
}

TEST(AuthProofTest, EveryTranscriptFieldChangesTheTranscript) {
  const Bytes base = auth::transcript(base_fields());
  std::vector<auth::TranscriptFields> variants(7, base_fields());
  variants[0].signer_role = auth::kRoleServer;
  variants[1].signer_name = "alice@x";
  variants[2].verifier_name = "bob@x";
  variants[3].signer_key[31] ^= 1;
  variants[4].echoed_verifier_nonce[0] ^= 1;
  variants[5].signer_nonce[7] ^= 1;
  variants[6].binding[3] ^= 1;
  for (size_t i = 0; i < variants.size(); ++i)
    EXPECT_NE(auth::transcript(variants[i]), base) << "field " << i;
  // The names are length-prefixed: moving a byte between them is a change.
  auth::TranscriptFields shifted = base_fields();
  shifted.signer_name = "alice@ab";
  shifted.verifier_name = "ob@b";
  auth::TranscriptFields plain = base_fields();
  plain.signer_name = "alice@a";
  plain.verifier_name = "bbob@b";
  EXPECT_NE(auth::transcript(shifted), auth::transcript(plain));
}

TEST(AuthProofTest, CookieProofDependsOnCookieRoleAndExporter) {
  KeyRegistry registry;
  FakeCrypto crypto(&registry, 1);
  const TlsExporter e = exporter_of(1);
  const KeyedHash base = auth::cookie_proof(crypto, "cookie", auth::kRoleClient, e);
  EXPECT_EQ(auth::cookie_proof(crypto, "cookie", auth::kRoleClient, e), base);
  EXPECT_NE(auth::cookie_proof(crypto, "cookiE", auth::kRoleClient, e), base);
  EXPECT_NE(auth::cookie_proof(crypto, "cookie", auth::kRoleServer, e), base);
  EXPECT_NE(auth::cookie_proof(crypto, "cookie", auth::kRoleClient, exporter_of(2)), base);
  EXPECT_NE(auth::cookie_proof(crypto, "", auth::kRoleClient, e), base);
  EXPECT_NE(auth::binding(crypto, e), auth::binding(crypto, exporter_of(2)));
  EXPECT_EQ(auth::binding(crypto, e), crypto.keyed_hash({}, e));
}

TEST(AuthProofTest, ConstantTimeEquality) {
  const Bytes a = {1, 2, 3, 4};
  EXPECT_TRUE(auth::equal_constant_time(a, Bytes{1, 2, 3, 4}));
  EXPECT_FALSE(auth::equal_constant_time(a, Bytes{1, 2, 3, 5}));
  EXPECT_FALSE(auth::equal_constant_time(a, Bytes{0, 2, 3, 4}));
  EXPECT_FALSE(auth::equal_constant_time(a, Bytes{1, 2, 3}));
  EXPECT_TRUE(auth::equal_constant_time(Bytes{}, Bytes{}));
}

}  // namespace
}  // namespace barrel::auth_test
