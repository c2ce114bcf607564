// check_tls_pair and certificate_sha256_hex (tls_material.h): a pair is
// accepted, a key from another pair is refused for Ed25519 as well as RSA
// (GnuTLS 3.7.9's own load check misses the Ed25519 case), garbage is
// refused, and the fingerprint is the SHA-256 of the certificate's DER.
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gtest/gtest.h>

#include "barrel/transport/tls_material.h"

namespace barrel::transport {
namespace {

TlsMaterial make(uint32_t bits) {
  auto m = generate_self_signed({.common_name = "a@h", .days = 30, .rsa_key_bits = bits});
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return std::move(m).value();
}

TEST(TlsPair, MatchingPairsPassAndForeignKeysAreRefused) {
  for (uint32_t bits : {0u, 2048u}) {
    const TlsMaterial a = make(bits);
    const TlsMaterial b = make(bits);
    EXPECT_TRUE(check_tls_pair(a).is_ok()) << bits;
    Status s = check_tls_pair({.cert_pem = a.cert_pem, .key_pem = b.key_pem});
    EXPECT_EQ(s.code(), Code::kMalformed) << bits;
    EXPECT_NE(s.message().find("do not match"), std::string_view::npos) << s.to_string();
  }
  const TlsMaterial ed = make(0);
  const TlsMaterial rsa = make(2048);
  EXPECT_FALSE(check_tls_pair({.cert_pem = ed.cert_pem, .key_pem = rsa.key_pem}).is_ok());
  EXPECT_FALSE(check_tls_pair({.cert_pem = "garbage", .key_pem = ed.key_pem}).is_ok());
  EXPECT_FALSE(check_tls_pair({.cert_pem = ed.cert_pem, .key_pem = "garbage"}).is_ok());
}

TEST(TlsPair, CertificateFingerprintIsSha256OfTheDer) {
  const TlsMaterial m = make(0);
  auto fp = certificate_sha256_hex(m.cert_pem);
  ASSERT_TRUE(fp.is_ok()) << fp.status().to_string();
  ASSERT_EQ(fp->size(), 64u);
  // Independently: PEM -> DER with GnuTLS's base64 decoder, then SHA-256.
  gnutls_datum_t pem{reinterpret_cast<unsigned char*>(const_cast<char*>(m.cert_pem.data())),
                     static_cast<unsigned>(m.cert_pem.size())};
  gnutls_datum_t der{};
  ASSERT_EQ(gnutls_pem_base64_decode2("CERTIFICATE", &pem, &der), 0);
  unsigned char digest[32];
  ASSERT_EQ(gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data, der.size, digest), 0);
  gnutls_free(der.data);
  std::string hex;
  for (unsigned char c : digest) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 15]);
  }
  EXPECT_EQ(*fp, hex);
  EXPECT_EQ(certificate_sha256_hex("not a certificate").status().code(), Code::kMalformed);
}

}  // namespace
}  // namespace barrel::transport
