// load_or_create_credentials: the first start creates every file with the
// right mode; a second start loads the same identity and writes nothing; and
// each damaged state the header lists is refused with a message naming the
// file, or repaired when no secret is lost. Method: a fresh data directory
// per test, files inspected with stat(2) and edited between starts.
#include "barrel/transport/credentials.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "temp_dir.h"

namespace barrel::transport {
namespace {

using test::mode_of;
using test::slurp;
using test::spit;
using test::TempDir;
using test::tree;

constexpr std::string_view kName = "node1@localhost";

Result<Credentials> start(const TempDir& dir) {
  return load_or_create_credentials(dir / "data", kName, {.days = 30});
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

TEST(Credentials, FirstStartCreatesEverythingWithTheRightModes) {
  TempDir dir;
  auto c = start(dir);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  const CredentialPaths& p = c->paths;
  EXPECT_EQ(p.node_key, dir / "data/keys/node.key");
  EXPECT_EQ(p.tls_cert, dir / "data/quic/node.crt");
  EXPECT_EQ(mode_of(dir / "data"), 0700);
  EXPECT_EQ(mode_of(p.quic_dir), 0700);
  EXPECT_EQ(mode_of(p.keys_dir), 0700);
  EXPECT_EQ(mode_of(p.trusted_dir), 0700);
  EXPECT_EQ(mode_of(p.node_key), 0600);
  EXPECT_EQ(mode_of(p.tls_key), 0600);
  EXPECT_EQ(mode_of(p.node_pub), 0644);
  EXPECT_EQ(mode_of(p.tls_cert), 0644);
  EXPECT_EQ(slurp(p.node_key).size(), 32u);
  const std::string pub = slurp(p.node_pub);
  ASSERT_EQ(pub.size(), 32u);
  EXPECT_TRUE(std::equal(pub.begin(), pub.end(), c->identity.public_key().begin(),
                         [](char a, uint8_t b) { return static_cast<uint8_t>(a) == b; }));
  EXPECT_EQ(slurp(p.tls_cert), c->tls.cert_pem);
  EXPECT_EQ(slurp(p.tls_key), c->tls.key_pem);
  EXPECT_TRUE(check_tls_pair(c->tls).is_ok());
  EXPECT_EQ(c->fingerprint, fingerprint_hex(c->identity.public_key()));
  EXPECT_EQ(c->written.size(), 4u);
  // No temp file survives (they would be ".node.key.tmp.*").
  EXPECT_EQ(tree(dir / "data"),
            (std::vector<std::string>{"keys", "keys/node.key", "keys/node.pub", "keys/trusted",
                                      "quic", "quic/node.crt", "quic/node.key"}));
}

TEST(Credentials, SecondStartLoadsTheSameIdentityAndWritesNothing) {
  TempDir dir;
  auto first = start(dir);
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  const std::string key_before = slurp(first->paths.node_key);
  auto second = start(dir);
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_EQ(second->identity.public_key(), first->identity.public_key());
  EXPECT_EQ(second->fingerprint, first->fingerprint);
  EXPECT_EQ(second->tls.cert_pem, first->tls.cert_pem);
  EXPECT_EQ(second->tls.key_pem, first->tls.key_pem);
  EXPECT_TRUE(second->written.empty());
  EXPECT_EQ(slurp(second->paths.node_key), key_before);
  // The loaded key signs what the first one verifies.
  const uint8_t msg[] = {1, 2, 3};
  EXPECT_TRUE(
      first->identity.verify(first->identity.public_key(), msg, second->identity.sign(msg)));
}

TEST(Credentials, TamperedPublicKeyIsRefusedNamingBothFiles) {
  TempDir dir;
  auto first = start(dir);
  ASSERT_TRUE(first.is_ok());
  std::string pub = slurp(first->paths.node_pub);
  pub[5] ^= 1;
  spit(first->paths.node_pub, pub);
  auto again = start(dir);
  ASSERT_FALSE(again.is_ok());
  const std::string_view m = again.status().message();
  EXPECT_EQ(again.status().code(), Code::kMalformed);
  EXPECT_TRUE(contains(m, "key pair does not match")) << m;
  EXPECT_TRUE(contains(m, first->paths.node_pub)) << m;
  EXPECT_TRUE(contains(m, first->paths.node_key)) << m;
}

TEST(Credentials, NodeKeyReadableByOthersIsRefusedNamingTheFile) {
  TempDir dir;
  auto first = start(dir);
  ASSERT_TRUE(first.is_ok());
  ASSERT_EQ(::chmod(first->paths.node_key.c_str(), 0644), 0);
  auto again = start(dir);
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(contains(again.status().message(), "chmod 600 " + first->paths.node_key))
      << again.status().to_string();
}

TEST(Credentials, TlsKeyReadableByOthersIsRefused) {
  TempDir dir;
  auto first = start(dir);
  ASSERT_TRUE(first.is_ok());
  ASSERT_EQ(::chmod(first->paths.tls_key.c_str(), 0640), 0);
  auto again = start(dir);
  ASSERT_FALSE(again.is_ok());
  EXPECT_TRUE(contains(again.status().message(), first->paths.tls_key))
      << again.status().to_string();
}

TEST(Credentials, NodeKeyOfWrongSizeIsRefused) {
  TempDir dir;
  auto first = start(dir);
  ASSERT_TRUE(first.is_ok());
  for (const std::string& bad : {std::string(31, 'k'), std::string(33, 'k'), std::string()}) {
    spit(first->paths.node_key, bad);
    ASSERT_EQ(::chmod(first->paths.node_key.c_str(), 0600), 0);
    auto again = start(dir);
    ASSERT_FALSE(again.is_ok()) << bad.size();
    EXPECT_EQ(again.status().code(), Code::kMalformed);
    EXPECT_TRUE(contains(again.status().message(), first->paths.node_key));
    EXPECT_TRUE(contains(again.status().message(), "exactly 32 bytes"))
        << again.status().to_string();
  }
}

TEST(Credentials, TlsKeyAndCertificateThatDoNotMatchAreRefused) {
  TempDir dir;
  auto first = start(dir);
  ASSERT_TRUE(first.is_ok());
  auto other = generate_self_signed({.common_name = std::string(kName), .days = 30});
  ASSERT_TRUE(other.is_ok());
  spit(first->paths.tls_cert, other->cert_pem);  // someone else's certificate
  auto again = start(dir);
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().code(), Code::kMalformed);
  EXPECT_TRUE(contains(again.status().message(), first->paths.tls_cert));
  EXPECT_TRUE(contains(again.status().message(), first->paths.tls_key))
      << again.status().to_string();
  // The refused files are left as they were.
  EXPECT_EQ(slurp(first->paths.tls_key), first->tls.key_pem);
}

TEST(Credentials, MissingPublicKeyIsRewrittenFromTheSecret) {
  TempDir dir;
  auto first = start(dir);
  ASSERT_TRUE(first.is_ok());
  ASSERT_EQ(::unlink(first->paths.node_pub.c_str()), 0);
  auto again = start(dir);
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again->identity.public_key(), first->identity.public_key());
  EXPECT_EQ(again->written, std::vector<std::string>{first->paths.node_pub});
  EXPECT_EQ(slurp(first->paths.node_pub).size(), 32u);
}

TEST(Credentials, PublicKeyWithoutItsSecretIsRefused) {
  TempDir dir;
  auto first = start(dir);
  ASSERT_TRUE(first.is_ok());
  ASSERT_EQ(::unlink(first->paths.node_key.c_str()), 0);
  auto again = start(dir);
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(contains(again.status().message(), first->paths.node_key + " is missing"))
      << again.status().to_string();
  EXPECT_FALSE(std::filesystem::exists(first->paths.node_key));  // no new identity made
}

TEST(Credentials, TlsKeyWithoutCertificateIsRefusedButCertificateAloneIsRegenerated) {
  TempDir dir;
  auto first = start(dir);
  ASSERT_TRUE(first.is_ok());
  ASSERT_EQ(::unlink(first->paths.tls_cert.c_str()), 0);
  auto refused = start(dir);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(slurp(first->paths.tls_key), first->tls.key_pem);  // the secret is kept

  // Certificate without key: what a crash in the first start leaves.
  spit(first->paths.tls_cert, first->tls.cert_pem);
  ASSERT_EQ(::unlink(first->paths.tls_key.c_str()), 0);
  auto repaired = start(dir);
  ASSERT_TRUE(repaired.is_ok()) << repaired.status().to_string();
  EXPECT_NE(repaired->tls.key_pem, first->tls.key_pem);
  EXPECT_TRUE(check_tls_pair(repaired->tls).is_ok());
  EXPECT_EQ(repaired->identity.public_key(), first->identity.public_key());
  EXPECT_EQ(mode_of(first->paths.tls_key), 0600);
}

TEST(Credentials, RsaTlsKeyOnRequest) {
  TempDir dir;
  auto c = load_or_create_credentials(dir / "data", kName, {.days = 30, .rsa_key_bits = 2048});
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_TRUE(check_tls_pair(c->tls).is_ok());
  auto again = load_or_create_credentials(dir / "data", kName, {.days = 30});
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again->tls.key_pem, c->tls.key_pem);  // options only shape new material
}

TEST(Credentials, BadNodeNameIsRefusedBeforeTouchingTheDisk) {
  TempDir dir;
  auto c = load_or_create_credentials(dir / "data", "no-at-sign", {});
  EXPECT_EQ(c.status().code(), Code::kBadName);
  EXPECT_FALSE(std::filesystem::exists(dir / "data"));
}

}  // namespace
}  // namespace barrel::transport
