// tls_context.h — the GnuTLS side of a QUIC endpoint: credentials, priority,
// and per-connection sessions wired to ngtcp2_crypto_gnutls.
//
// TLS 1.3 only; ALPN mandatory on both sides. Certificates are self-signed and
// never verified here: a peer's identity is proven above the transport by a
// signature bound to the session's exporter (DESIGN.md §2). The server does
// not request a client certificate.
//
// Thread-safety: a TlsContext is immutable after create(); sessions are owned
// by one connection each.
#pragma once

#include <gnutls/gnutls.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <memory>
#include <string>

#include "barrel/result.h"
#include "barrel/transport/quic_endpoint.h"

namespace barrel::transport::quic {

// Owns a gnutls_session_t.
struct SessionDeleter {
  void operator()(gnutls_session_t s) const { gnutls_deinit(s); }
};
using TlsSession = std::unique_ptr<std::remove_pointer_t<gnutls_session_t>, SessionDeleter>;

class TlsContext {
 public:
  // kInvalidArgument if the certificate/key PEM does not load or ALPN is
  // empty or longer than 255 bytes.
  static Result<std::unique_ptr<TlsContext>> create(const std::string& cert_pem,
                                                    const std::string& key_pem,
                                                    const std::string& alpn);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // A session for one connection. `conn_ref` must outlive the session: GnuTLS
  // hands it to ngtcp2_crypto's hooks (quic.md, gotcha 8).
  Result<TlsSession> new_session(bool server, ngtcp2_crypto_conn_ref* conn_ref) const;

  // The RFC 5705 exporter of a completed session (label
  // "EXPORTER-barrel-p2p-auth", empty context).
  static Result<Exporter> exporter(gnutls_session_t session);
  // True if the session negotiated exactly our ALPN.
  bool alpn_matches(gnutls_session_t session) const;

 private:
  TlsContext() = default;
  gnutls_certificate_credentials_t cred_ = nullptr;
  gnutls_priority_t priority_ = nullptr;
  std::string alpn_;
};

}  // namespace barrel::transport::quic
