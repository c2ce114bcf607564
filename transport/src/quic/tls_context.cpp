// tls_context.cpp — see tls_context.h.
#include "quic/tls_context.h"

#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#include <cstring>

namespace barrel::transport::quic {
namespace {

// TLS 1.3 only, X25519 preferred (plain NORMAL picks SECP256R1 first), no
// middlebox compatibility mode (meaningless in QUIC). quic.md, gotcha 9.
constexpr const char* kPriority =
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:"
    "+CHACHA20-POLY1305:+AES-128-CCM:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:"
    "+GROUP-SECP384R1:+GROUP-SECP521R1:%DISABLE_TLS13_COMPAT_MODE";

constexpr const char* kExporterLabel = "EXPORTER-barrel-p2p-auth";

gnutls_datum_t datum(const std::string& s) {
  // GnuTLS takes non-const data but only reads it here.
  return gnutls_datum_t{reinterpret_cast<unsigned char*>(const_cast<char*>(s.data())),
                        static_cast<unsigned int>(s.size())};
}

Status tls_error(std::string_view what, int rv) {
  return Status(Code::kInternal, std::string(what) + ": " + gnutls_strerror(rv));
}

}  // namespace

Result<std::unique_ptr<TlsContext>> TlsContext::create(const std::string& cert_pem,
                                                       const std::string& key_pem,
                                                       const std::string& alpn) {
  if (alpn.empty() || alpn.size() > 255)
    return Status::invalid_argument("ALPN must be 1..255 bytes");
  if (cert_pem.empty() || key_pem.empty())
    return Status::invalid_argument("QUIC endpoint needs a certificate and a key (PEM)");
  std::unique_ptr<TlsContext> ctx(new TlsContext());
  ctx->alpn_ = alpn;
  if (int rv = gnutls_certificate_allocate_credentials(&ctx->cred_); rv < 0)
    return tls_error("gnutls_certificate_allocate_credentials", rv);
  const gnutls_datum_t cert = datum(cert_pem);
  const gnutls_datum_t key = datum(key_pem);
  if (int rv = gnutls_certificate_set_x509_key_mem(ctx->cred_, &cert, &key, GNUTLS_X509_FMT_PEM);
      rv < 0)
    return Status::invalid_argument(std::string("TLS certificate/key: ") + gnutls_strerror(rv));
  if (int rv = gnutls_priority_init(&ctx->priority_, kPriority, nullptr); rv < 0)
    return tls_error("gnutls_priority_init", rv);
  return ctx;
}

TlsContext::~TlsContext() {
  if (priority_ != nullptr)
    gnutls_priority_deinit(priority_);
  if (cred_ != nullptr)
    gnutls_certificate_free_credentials(cred_);
}

Result<TlsSession> TlsContext::new_session(bool server, ngtcp2_crypto_conn_ref* conn_ref) const {
  gnutls_session_t raw = nullptr;
  const unsigned flags = (server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_NO_END_OF_EARLY_DATA;
  if (int rv = gnutls_init(&raw, flags); rv < 0)
    return tls_error("gnutls_init", rv);
  TlsSession s(raw);
  if (int rv = gnutls_priority_set(raw, priority_); rv < 0)
    return tls_error("gnutls_priority_set", rv);
  const int rv = server ? ngtcp2_crypto_gnutls_configure_server_session(raw)
                        : ngtcp2_crypto_gnutls_configure_client_session(raw);
  if (rv != 0)
    return Status(Code::kInternal, "ngtcp2_crypto_gnutls_configure_session failed");
  gnutls_session_set_ptr(raw, conn_ref);
  if (int r = gnutls_credentials_set(raw, GNUTLS_CRD_CERTIFICATE, cred_); r < 0)
    return tls_error("gnutls_credentials_set", r);
  const gnutls_datum_t proto = datum(alpn_);
  if (int r = gnutls_alpn_set_protocols(raw, &proto, 1, GNUTLS_ALPN_MANDATORY); r < 0)
    return tls_error("gnutls_alpn_set_protocols", r);
  return s;
}

Result<Exporter> TlsContext::exporter(gnutls_session_t session) {
  Exporter out{};
  const int rv = gnutls_prf_rfc5705(session, std::strlen(kExporterLabel), kExporterLabel, 0,
                                    nullptr, out.size(), reinterpret_cast<char*>(out.data()));
  if (rv < 0)
    return tls_error("gnutls_prf_rfc5705", rv);
  return out;
}

bool TlsContext::alpn_matches(gnutls_session_t session) const {
  gnutls_datum_t got{};
  if (gnutls_alpn_get_selected_protocol(session, &got) != 0)
    return false;
  return got.size == alpn_.size() && std::memcmp(got.data, alpn_.data(), got.size) == 0;
}

}  // namespace barrel::transport::quic
