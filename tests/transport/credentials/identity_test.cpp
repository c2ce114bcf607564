// NodeIdentity: Ed25519 against the RFC 8032 test vector, sign/verify and
// its failures, the keyed hash against BLAKE2b values computed independently
// (Python hashlib), and the fingerprint against an independent SHA-256.
#include "barrel/transport/identity.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace barrel::transport {
namespace {

std::vector<uint8_t> unhex(std::string_view h) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

std::span<const uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// RFC 8032 section 7.1, TEST 1 (empty message).
constexpr std::string_view kSeed =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr std::string_view kPublic =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr std::string_view kSignature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b"
    "46bd25bf5f0595bbe24655141438e7a100b";
// hashlib.sha256(bytes.fromhex(kPublic)).hexdigest()
constexpr std::string_view kPublicSha256 =
    "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";

NodeIdentity rfc_identity() {
  auto seed = unhex(kSeed);
  auto id = NodeIdentity::from_seed(seed);
  EXPECT_TRUE(id.is_ok()) << id.status().to_string();
  return std::move(id).value();
}

TEST(NodeIdentity, FromSeedMatchesRfc8032) {
  NodeIdentity id = rfc_identity();
  EXPECT_EQ(to_hex(id.public_key()), kPublic);
  const Signature sig = id.sign({});
  EXPECT_EQ(to_hex(sig), kSignature);
  EXPECT_TRUE(id.verify(id.public_key(), {}, sig));
  std::array<uint8_t, kSeedBytes> seed{};
  id.export_seed(seed);
  EXPECT_EQ(to_hex(seed), kSeed);
}

TEST(NodeIdentity, FingerprintIsSha256OfThePublicKeyIn64Hex) {
  NodeIdentity id = rfc_identity();
  EXPECT_EQ(id.fingerprint(), kPublicSha256);
  EXPECT_EQ(fingerprint_hex(id.public_key()), kPublicSha256);
  auto fresh = NodeIdentity::generate();
  ASSERT_TRUE(fresh.is_ok());
  const std::string fp = fresh->fingerprint();
  EXPECT_EQ(fp.size(), 64u);
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(NodeIdentity, VerifyRejectsTamperedMessageSignatureAndWrongKey) {
  auto a = NodeIdentity::generate();
  auto b = NodeIdentity::generate();
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_NE(a->public_key(), b->public_key());
  const std::string msg = "challenge bound to the TLS exporter";
  Signature sig = a->sign(bytes(msg));
  EXPECT_TRUE(b->verify(a->public_key(), bytes(msg), sig));  // any instance verifies
  std::string tampered = msg;
  tampered[0] ^= 1;
  EXPECT_FALSE(a->verify(a->public_key(), bytes(tampered), sig));
  EXPECT_FALSE(a->verify(b->public_key(), bytes(msg), sig));
  Signature bad = sig;
  bad[10] ^= 0x40;
  EXPECT_FALSE(a->verify(a->public_key(), bytes(msg), bad));
  PublicKey zero{};
  EXPECT_FALSE(a->verify(zero, bytes(msg), sig));
}

TEST(NodeIdentity, FromSeedRejectsWrongLengthAndIsDeterministic) {
  std::vector<uint8_t> short_seed(31, 1);
  EXPECT_EQ(NodeIdentity::from_seed(short_seed).status().code(), Code::kInvalidArgument);
  std::vector<uint8_t> seed(32, 7);
  auto x = NodeIdentity::from_seed(seed);
  auto y = NodeIdentity::from_seed(seed);
  ASSERT_TRUE(x.is_ok() && y.is_ok());
  EXPECT_EQ(x->public_key(), y->public_key());
  // A moved identity keeps the key (the secret moves with it).
  NodeIdentity moved = std::move(x).value();
  EXPECT_TRUE(moved.verify(y->public_key(), bytes("m"), moved.sign(bytes("m"))));
}

TEST(NodeIdentity, KeyedHashMatchesBlake2bForEveryKeyLength) {
  NodeIdentity id = rfc_identity();
  // hashlib.blake2b(b'hello', digest_size=32[, key=...]).hexdigest()
  EXPECT_EQ(to_hex(id.keyed_hash({}, bytes("hello"))),
            "324dcf027dd4a30a932c441f365a25e86b173defa4b8e58948253471b81b72cf");
  std::vector<uint8_t> key16;
  for (uint8_t i = 0; i < 16; ++i)
    key16.push_back(i);
  EXPECT_EQ(to_hex(id.keyed_hash(key16, bytes("hello"))),
            "75e86aeec75d7a70a51258b25cc325dc9a6299fe534f0040df202ebf0e6e98d4");
  // A 6-byte key is outside 16..64: the key is blake2b-256("cookie").
  EXPECT_EQ(to_hex(id.keyed_hash(bytes("cookie"), bytes("hello"))),
            "4c606124480f035a2fc5c99d4052ed8ec31c1536bf981dbdfc5e5bbcb76172a3");
  // Over 64 bytes is hashed too, and differs from a 64-byte prefix.
  std::vector<uint8_t> key65(65, 3);
  std::vector<uint8_t> key64(64, 3);
  EXPECT_NE(id.keyed_hash(key65, bytes("hello")), id.keyed_hash(key64, bytes("hello")));
  EXPECT_NE(id.keyed_hash(key16, bytes("hello")), id.keyed_hash(key16, bytes("hellO")));
}

}  // namespace
}  // namespace barrel::transport
