// The self-signed TLS material loads back into GnuTLS as a matching pair.
#include "barrel/transport/tls_material.h"

#include <gnutls/gnutls.h>
#include <gtest/gtest.h>

namespace barrel::transport {
namespace {

bool loads_as_pair(const TlsMaterial& m) {
  gnutls_certificate_credentials_t cred = nullptr;
  if (gnutls_certificate_allocate_credentials(&cred) < 0)
    return false;
  gnutls_datum_t cert{reinterpret_cast<unsigned char*>(const_cast<char*>(m.cert_pem.data())),
                      static_cast<unsigned>(m.cert_pem.size())};
  gnutls_datum_t key{reinterpret_cast<unsigned char*>(const_cast<char*>(m.key_pem.data())),
                     static_cast<unsigned>(m.key_pem.size())};
  // Fails with GNUTLS_E_CERTIFICATE_KEY_MISMATCH if the key is not the cert's.
  int rv = gnutls_certificate_set_x509_key_mem(cred, &cert, &key, GNUTLS_X509_FMT_PEM);
  gnutls_certificate_free_credentials(cred);
  return rv >= 0;
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
