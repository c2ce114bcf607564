// credentials.cpp — see credentials.h for the layout and the start rules.
#include "barrel/transport/credentials.h"

#include <sodium.h>

#include <array>
#include <string>

#include "barrel/ids.h"
#include "barrel/transport/secure_file.h"

namespace barrel::transport {
namespace {

constexpr mode_t kDirMode = 0700;
constexpr mode_t kSecretMode = 0600;
constexpr mode_t kPublicMode = 0644;
// A PEM certificate or key is a few KiB even for RSA-16384; a bound keeps a
// wrong path (a log file, a device) from being read whole.
constexpr size_t kPemBytesMax = 64 * 1024;

Status with_context(const Status& s, std::string_view context) {
  return Status(s.code(), std::string(context) + ": " + std::string(s.message()));
}

// Reads a file that must hold exactly `size` raw bytes.
Result<std::string> read_exact(const std::string& path, size_t size, std::string_view what) {
  auto bytes = read_file(path, size);
  if (!bytes.is_ok() && bytes.status().code() != Code::kOversized)
    return bytes.status();
  if (!bytes.is_ok() || bytes->size() != size) {
    const std::string got = bytes.is_ok() ? std::to_string(bytes->size()) + " bytes" : "longer";
    if (bytes.is_ok())
      sodium_memzero(bytes->data(), bytes->size());
    return Status(Code::kMalformed, path + " must be exactly " + std::to_string(size) + " bytes (" +
                                        std::string(what) + "), it is " + got);
  }
  return bytes;
}

Status write_public_key(const CredentialPaths& p, const NodeIdentity& id,
                        std::vector<std::string>& written) {
  const PublicKey& pk = id.public_key();
  if (Status s = write_file_atomic(p.node_pub, std::span<const uint8_t>(pk), kPublicMode);
      !s.is_ok())
    return s;
  written.push_back(p.node_pub);
  return Status::ok();
}

Result<NodeIdentity> create_node_key(const CredentialPaths& p, std::vector<std::string>& written) {
  auto id = NodeIdentity::generate();
  if (!id.is_ok())
    return id.status();
  std::array<uint8_t, kSeedBytes> seed{};
  id->export_seed(seed);
  // kNoReplace: a second process starting on the same directory at the same
  // moment must not end up with a different identity than the file holds.
  Status s = write_file_atomic(p.node_key, std::span<const uint8_t>(seed), kSecretMode,
                               Overwrite::kNoReplace);
  sodium_memzero(seed.data(), seed.size());
  if (!s.is_ok())
    return s;
  written.push_back(p.node_key);
  if (s = write_public_key(p, *id, written); !s.is_ok())
    return s;
  return id;
}

Result<NodeIdentity> load_node_key(const CredentialPaths& p, bool pub_exists,
                                   std::vector<std::string>& written) {
  if (Status s = check_private(p.node_key); !s.is_ok())
    return s;
  auto seed = read_exact(p.node_key, kSeedBytes, "a raw Ed25519 seed");
  if (!seed.is_ok())
    return seed.status();
  auto id = NodeIdentity::from_seed(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(seed->data()), seed->size()));
  sodium_memzero(seed->data(), seed->size());
  if (!id.is_ok())
    return id.status();
  if (!pub_exists) {
    if (Status s = write_public_key(p, *id, written); !s.is_ok())
      return s;
    return id;
  }
  auto pub = read_exact(p.node_pub, kPublicKeyBytes, "a raw Ed25519 public key");
  if (!pub.is_ok())
    return pub.status();
  const PublicKey& pk = id->public_key();
  if (!std::equal(pk.begin(), pk.end(), reinterpret_cast<const uint8_t*>(pub->data())))
    return Status(Code::kMalformed, "key pair does not match: " + p.node_pub +
                                        " is not the public key of " + p.node_key +
                                        " (restore the right pair; never edit one alone)");
  return id;
}

Result<NodeIdentity> load_or_create_node_key(const CredentialPaths& p,
                                             std::vector<std::string>& written) {
  auto key_exists = file_exists(p.node_key);
  auto pub_exists = file_exists(p.node_pub);
  if (!key_exists.is_ok())
    return key_exists.status();
  if (!pub_exists.is_ok())
    return pub_exists.status();
  if (*key_exists)
    return load_node_key(p, *pub_exists, written);
  if (*pub_exists)
    return Status::failed_precondition(p.node_pub + " exists but " + p.node_key +
                                       " is missing: this node's identity is lost. Restore " +
                                       p.node_key + ", or delete " + p.node_pub +
                                       " to start as a new identity (peers that pinned the " +
                                       "old key will refuse the new one)");
  return create_node_key(p, written);
}

Result<TlsMaterial> create_tls(const CredentialPaths& p, std::string_view node_name,
                               const CredentialsOptions& o, std::vector<std::string>& written) {
  auto m = generate_self_signed(
      {.common_name = std::string(node_name), .days = o.days, .rsa_key_bits = o.rsa_key_bits});
  if (!m.is_ok())
    return m.status();
  // The certificate first: a crash between the two writes leaves a
  // certificate without a key, which the next start regenerates; the other
  // order would leave a secret the next start must refuse to discard.
  if (Status s = write_file_atomic(p.tls_cert, m->cert_pem, kPublicMode); !s.is_ok())
    return s;
  written.push_back(p.tls_cert);
  if (Status s = write_file_atomic(p.tls_key, m->key_pem, kSecretMode); !s.is_ok())
    return s;
  written.push_back(p.tls_key);
  return m;
}

Result<TlsMaterial> load_tls(const CredentialPaths& p) {
  if (Status s = check_private(p.tls_key); !s.is_ok())
    return s;
  auto cert = read_file(p.tls_cert, kPemBytesMax);
  if (!cert.is_ok())
    return cert.status();
  auto key = read_file(p.tls_key, kPemBytesMax);
  if (!key.is_ok())
    return key.status();
  TlsMaterial m{.cert_pem = std::move(*cert), .key_pem = std::move(*key)};
  if (Status s = check_tls_pair(m); !s.is_ok()) {
    sodium_memzero(m.key_pem.data(), m.key_pem.size());
    return Status(Code::kMalformed, p.tls_cert + " and " + p.tls_key +
                                        " are not a certificate and its key (" +
                                        std::string(s.message()) +
                                        "); restore the pair, or delete both to generate new ones");
  }
  return m;
}

Result<TlsMaterial> load_or_create_tls(const CredentialPaths& p, std::string_view node_name,
                                       const CredentialsOptions& o,
                                       std::vector<std::string>& written) {
  auto cert_exists = file_exists(p.tls_cert);
  auto key_exists = file_exists(p.tls_key);
  if (!cert_exists.is_ok())
    return cert_exists.status();
  if (!key_exists.is_ok())
    return key_exists.status();
  if (*key_exists && *cert_exists)
    return load_tls(p);
  if (*key_exists)
    return Status::failed_precondition(
        p.tls_key + " exists but " + p.tls_cert + " is missing: restore the certificate, or " +
        "delete " + p.tls_key + " to generate new TLS material (or run barrel-gen-cert)");
  return create_tls(p, node_name, o, written);
}

}  // namespace

CredentialPaths CredentialPaths::under(std::string_view data_dir) {
  CredentialPaths p;
  p.data_dir = std::string(data_dir);
  while (p.data_dir.size() > 1 && p.data_dir.back() == '/')
    p.data_dir.pop_back();
  p.quic_dir = p.data_dir + "/quic";
  p.keys_dir = p.data_dir + "/keys";
  p.trusted_dir = p.keys_dir + "/trusted";
  p.tls_cert = p.quic_dir + "/node.crt";
  p.tls_key = p.quic_dir + "/node.key";
  p.node_key = p.keys_dir + "/node.key";
  p.node_pub = p.keys_dir + "/node.pub";
  return p;
}

Result<Credentials> load_or_create_credentials(std::string_view data_dir,
                                               std::string_view node_name,
                                               const CredentialsOptions& options) {
  if (data_dir.empty())
    return Status::invalid_argument("empty data directory");
  if (Status s = validate_node_name(node_name); !s.is_ok())
    return s;
  const CredentialPaths p = CredentialPaths::under(data_dir);
  for (const std::string* dir : {&p.data_dir, &p.quic_dir, &p.keys_dir, &p.trusted_dir}) {
    if (Status s = ensure_directory(*dir, kDirMode); !s.is_ok())
      return s;
  }
  std::vector<std::string> written;
  auto identity = load_or_create_node_key(p, written);
  if (!identity.is_ok())
    return with_context(identity.status(), "node key");
  auto tls = load_or_create_tls(p, node_name, options, written);
  if (!tls.is_ok())
    return with_context(tls.status(), "TLS credentials");
  std::string fingerprint = identity->fingerprint();
  return Credentials{.identity = std::move(*identity),
                     .tls = std::move(*tls),
                     .paths = p,
                     .fingerprint = std::move(fingerprint),
                     .written = std::move(written)};
}

}  // namespace barrel::transport
