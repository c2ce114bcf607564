// tls_material.cpp — self-signed certificates with GnuTLS's X.509 API.
#include "barrel/transport/tls_material.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <array>
#include <ctime>
#include <memory>
#include <string>

namespace barrel::transport {
namespace {

struct PrivkeyDeleter {
  void operator()(gnutls_x509_privkey_t k) const { gnutls_x509_privkey_deinit(k); }
};
struct CrtDeleter {
  void operator()(gnutls_x509_crt_t c) const { gnutls_x509_crt_deinit(c); }
};
using Privkey = std::unique_ptr<std::remove_pointer_t<gnutls_x509_privkey_t>, PrivkeyDeleter>;
using Crt = std::unique_ptr<std::remove_pointer_t<gnutls_x509_crt_t>, CrtDeleter>;

Status gnutls_failed(std::string_view what, int rv) {
  return Status(Code::kInternal, std::string(what) + ": " + gnutls_strerror(rv));
}

// Moves a gnutls_datum_t's bytes into a string and frees it (wiping key bytes).
std::string take(gnutls_datum_t d) {
  std::string s(reinterpret_cast<const char*>(d.data), d.size);
  gnutls_memset(d.data, 0, d.size);
  gnutls_free(d.data);
  return s;
}

}  // namespace

Result<TlsMaterial> generate_self_signed(const TlsMaterialOptions& o) {
  if (o.common_name.empty() || o.common_name.size() > 255)
    return Status::invalid_argument("certificate common name must be 1..255 bytes");
  if (o.days == 0 || o.days > 36500)
    return Status::invalid_argument("certificate validity must be 1..36500 days");
  if (o.rsa_key_bits != 0 && (o.rsa_key_bits < 2048 || o.rsa_key_bits > 16384))
    return Status::invalid_argument("RSA key bits must be 2048..16384 (or 0 for Ed25519)");

  gnutls_x509_privkey_t raw_key = nullptr;
  if (int rv = gnutls_x509_privkey_init(&raw_key); rv < 0)
    return gnutls_failed("gnutls_x509_privkey_init", rv);
  Privkey key(raw_key);
  int rv = o.rsa_key_bits == 0
               ? gnutls_x509_privkey_generate(key.get(), GNUTLS_PK_EDDSA_ED25519,
                                              GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED25519), 0)
               : gnutls_x509_privkey_generate(key.get(), GNUTLS_PK_RSA, o.rsa_key_bits, 0);
  if (rv < 0)
    return gnutls_failed("generating the TLS key", rv);

  gnutls_x509_crt_t raw_crt = nullptr;
  if (rv = gnutls_x509_crt_init(&raw_crt); rv < 0)
    return gnutls_failed("gnutls_x509_crt_init", rv);
  Crt crt(raw_crt);
  std::array<uint8_t, 16> serial{};
  if (rv = gnutls_rnd(GNUTLS_RND_NONCE, serial.data(), serial.size()); rv < 0)
    return gnutls_failed("gnutls_rnd", rv);
  serial[0] &= 0x7f;  // a positive INTEGER
  const time_t now = std::time(nullptr);
  const unsigned usage = o.rsa_key_bits == 0
                             ? GNUTLS_KEY_DIGITAL_SIGNATURE
                             : GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT;
  if ((rv = gnutls_x509_crt_set_version(crt.get(), 3)) < 0 ||
      (rv = gnutls_x509_crt_set_serial(crt.get(), serial.data(), serial.size())) < 0 ||
      (rv = gnutls_x509_crt_set_activation_time(crt.get(), now - 60)) < 0 ||
      (rv = gnutls_x509_crt_set_expiration_time(crt.get(),
                                                now + static_cast<time_t>(o.days) * 86400)) < 0 ||
      (rv = gnutls_x509_crt_set_dn_by_oid(crt.get(), GNUTLS_OID_X520_COMMON_NAME, 0,
                                          o.common_name.data(),
                                          static_cast<unsigned>(o.common_name.size()))) < 0 ||
      (rv = gnutls_x509_crt_set_key(crt.get(), key.get())) < 0 ||
      (rv = gnutls_x509_crt_set_basic_constraints(crt.get(), 0, -1)) < 0 ||
      (rv = gnutls_x509_crt_set_key_usage(crt.get(), usage)) < 0)
    return gnutls_failed("building the certificate", rv);
  // GnuTLS accepts Ed25519 only with SHA-512 named (EdDSA hashes internally).
  const gnutls_digest_algorithm_t dig = o.rsa_key_bits == 0 ? GNUTLS_DIG_SHA512 : GNUTLS_DIG_SHA256;
  if (rv = gnutls_x509_crt_sign2(crt.get(), crt.get(), key.get(), dig, 0); rv < 0)
    return gnutls_failed("self-signing the certificate", rv);

  gnutls_datum_t cert_pem{};
  if (rv = gnutls_x509_crt_export2(crt.get(), GNUTLS_X509_FMT_PEM, &cert_pem); rv < 0)
    return gnutls_failed("exporting the certificate", rv);
  TlsMaterial out;
  out.cert_pem = take(cert_pem);
  gnutls_datum_t key_pem{};
  if (rv = gnutls_x509_privkey_export2_pkcs8(key.get(), GNUTLS_X509_FMT_PEM, nullptr,
                                             GNUTLS_PKCS_PLAIN, &key_pem);
      rv < 0)
    return gnutls_failed("exporting the TLS key", rv);
  out.key_pem = take(key_pem);
  return out;
}

namespace {

gnutls_datum_t datum_of(std::string_view s) {
  // GnuTLS's import functions take a non-const datum but only read it.
  return gnutls_datum_t{reinterpret_cast<unsigned char*>(const_cast<char*>(s.data())),
                        static_cast<unsigned>(s.size())};
}

struct CredDeleter {
  void operator()(gnutls_certificate_credentials_t c) const {
    gnutls_certificate_free_credentials(c);
  }
};
using Cred = std::unique_ptr<std::remove_pointer_t<gnutls_certificate_credentials_t>, CredDeleter>;

}  // namespace

Status check_tls_pair(const TlsMaterial& m) {
  gnutls_certificate_credentials_t raw = nullptr;
  if (int rv = gnutls_certificate_allocate_credentials(&raw); rv < 0)
    return gnutls_failed("gnutls_certificate_allocate_credentials", rv);
  Cred cred(raw);
  const gnutls_datum_t cert = datum_of(m.cert_pem);
  const gnutls_datum_t key = datum_of(m.key_pem);
  // Parses both and fails with GNUTLS_E_CERTIFICATE_KEY_MISMATCH if the key
  // is not the certificate's.
  if (int rv = gnutls_certificate_set_x509_key_mem(cred.get(), &cert, &key, GNUTLS_X509_FMT_PEM);
      rv < 0)
    return Status(Code::kMalformed, gnutls_strerror(rv));
  // GnuTLS 3.7.9 does that check for RSA but lets an Ed25519 key pass with
  // another Ed25519 key's certificate (seen in tests/transport/credentials),
  // so compare the two public keys ourselves: the SHA-256 key ids of the
  // certificate's SubjectPublicKeyInfo and of the private key's.
  gnutls_x509_crt_t raw_crt = nullptr;
  if (int rv = gnutls_x509_crt_init(&raw_crt); rv < 0)
    return gnutls_failed("gnutls_x509_crt_init", rv);
  Crt crt(raw_crt);
  gnutls_x509_privkey_t raw_key = nullptr;
  if (int rv = gnutls_x509_privkey_init(&raw_key); rv < 0)
    return gnutls_failed("gnutls_x509_privkey_init", rv);
  Privkey pkey(raw_key);
  if (int rv = gnutls_x509_crt_import(crt.get(), &cert, GNUTLS_X509_FMT_PEM); rv < 0)
    return Status(Code::kMalformed, std::string("certificate: ") + gnutls_strerror(rv));
  if (int rv = gnutls_x509_privkey_import2(pkey.get(), &key, GNUTLS_X509_FMT_PEM, nullptr,
                                           GNUTLS_PKCS_PLAIN);
      rv < 0)
    return Status(Code::kMalformed, std::string("private key: ") + gnutls_strerror(rv));
  std::array<unsigned char, 32> crt_id{};
  std::array<unsigned char, 32> key_id{};
  size_t crt_id_size = crt_id.size();
  size_t key_id_size = key_id.size();
  if (int rv = gnutls_x509_crt_get_key_id(crt.get(), GNUTLS_KEYID_USE_SHA256, crt_id.data(),
                                          &crt_id_size);
      rv < 0)
    return Status(Code::kMalformed, std::string("certificate key id: ") + gnutls_strerror(rv));
  if (int rv = gnutls_x509_privkey_get_key_id(pkey.get(), GNUTLS_KEYID_USE_SHA256, key_id.data(),
                                              &key_id_size);
      rv < 0)
    return Status(Code::kMalformed, std::string("private key id: ") + gnutls_strerror(rv));
  if (crt_id_size != key_id_size || crt_id != key_id)
    return Status(Code::kMalformed, gnutls_strerror(GNUTLS_E_CERTIFICATE_KEY_MISMATCH));
  return Status::ok();
}

Result<std::string> certificate_sha256_hex(std::string_view cert_pem) {
  gnutls_x509_crt_t raw = nullptr;
  if (int rv = gnutls_x509_crt_init(&raw); rv < 0)
    return gnutls_failed("gnutls_x509_crt_init", rv);
  Crt crt(raw);
  const gnutls_datum_t pem = datum_of(cert_pem);
  if (int rv = gnutls_x509_crt_import(crt.get(), &pem, GNUTLS_X509_FMT_PEM); rv < 0)
    return Status(Code::kMalformed, std::string("certificate: ") + gnutls_strerror(rv));
  std::array<unsigned char, 32> digest{};
  size_t size = digest.size();
  if (int rv = gnutls_x509_crt_get_fingerprint(crt.get(), GNUTLS_DIG_SHA256, digest.data(), &size);
      rv < 0 || size != digest.size())
    return gnutls_failed("certificate fingerprint", rv < 0 ? rv : GNUTLS_E_INTERNAL_ERROR);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

}  // namespace barrel::transport
