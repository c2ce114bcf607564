// The self-signed TLS material loads back into GnuTLS as a matching pair.
#include "barrel/transport/tls_material.h"

#include <gtest/gtest.h>

namespace barrel::transport {
namespace {

// GnuTLS's own load, plus the comparison of the certificate's key with the
// private key that GnuTLS 3.7.9 skips for Ed25519 (tls_material.h).
bool loads_as_pair(const TlsMaterial& m) {
  return check_tls_pair(m).is_ok();
}

TEST(TlsMaterial, Ed25519CertificateAndKeyLoadAsAPair) {
  auto m = generate_self_signed({.common_name = "node1@localhost", .days = 30});
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_NE(m->cert_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_NE(m->key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_TRUE(loads_as_pair(*m));
}

TEST(TlsMaterial, TwoCallsGiveDifferentKeys) {
  auto a = generate_self_signed({.common_name = "a@h"});
  auto b = generate_self_signed({.common_name = "a@h"});
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_NE(a->key_pem, b->key_pem);
}

TEST(TlsMaterial, RejectsBadOptions) {
  EXPECT_EQ(generate_self_signed({.common_name = ""}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(generate_self_signed({.common_name = "a@h", .days = 0}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(generate_self_signed({.common_name = "a@h", .rsa_key_bits = 1024}).status().code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace barrel::transport
