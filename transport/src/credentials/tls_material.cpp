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

}  // namespace barrel::transport
