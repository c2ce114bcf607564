// tls_material.h — a self-signed X.509 certificate and its private key, PEM.
//
// The TLS certificate only secures the QUIC session: a node's identity is its
// Ed25519 node key (data/keys/node.key), proven after the handshake by a
// signature bound to this session's TLS exporter (core/ auth.h). So the TLS
// key is its own key, made once and kept in data/quic/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "barrel/result.h"

namespace barrel::transport {

struct TlsMaterial {
  std::string cert_pem;  // "-----BEGIN CERTIFICATE-----" ...
  std::string key_pem;   // PKCS#8, unencrypted: a secret
};

struct TlsMaterialOptions {
  std::string common_name;  // the certificate's CN (the node's name)
  uint32_t days = 3650;     // validity from now
  // 0: an Ed25519 key (fast handshakes, the default). Otherwise an RSA key of
  // this many bits (2048..16384).
  uint32_t rsa_key_bits = 0;
};

// Generates a fresh key and a self-signed certificate for it.
// kInvalidArgument for an empty CN, 0 days or RSA bits out of range;
// kInternal if GnuTLS fails (its message included).
Result<TlsMaterial> generate_self_signed(const TlsMaterialOptions& options);

// OK iff `m.key_pem` is the private key of `m.cert_pem` and both parse (what
// GnuTLS checks when it loads them for a handshake). kMalformed with GnuTLS's
// message otherwise ("The certificate and the given key do not match" for a
// mismatched pair).
Status check_tls_pair(const TlsMaterial& m);

// SHA-256 of the certificate's DER encoding, lowercase hex (64 characters):
// what `openssl x509 -fingerprint -sha256` shows, without the colons.
// kMalformed if `cert_pem` does not parse.
Result<std::string> certificate_sha256_hex(std::string_view cert_pem);

}  // namespace barrel::transport
