// credentials.h — a node's credentials on disk: loaded at start, created on
// the first start.
//
// Layout under the data directory (directories 0700):
//   quic/node.crt        self-signed TLS certificate, PEM (0644), CN = node name
//   quic/node.key        its private key, PKCS#8 PEM (0600, a secret)
//   keys/node.key        the Ed25519 seed, raw 32 bytes (0600, a secret): the identity
//   keys/node.pub        the Ed25519 public key, raw 32 bytes (0644)
//   keys/trusted/        pinned keys of other nodes (file_pin_store.h)
//
// Every file is written with write_file_atomic (secure_file.h): created with
// its final mode before the first byte, synced, renamed into place.
//
// What a start refuses, each with a message naming the file(s):
//   - a secret (keys/node.key, quic/node.key) that group or others may access
//     ("chmod 600 FILE");
//   - keys/node.key that is not exactly 32 bytes;
//   - keys/node.pub that is not the public key of keys/node.key ("key pair
//     does not match");
//   - keys/node.pub without keys/node.key (the identity others pinned would
//     be silently replaced; restore node.key, or delete node.pub to start
//     as a new identity);
//   - quic/node.key and quic/node.crt that are not a pair;
//   - quic/node.key without quic/node.crt (a secret is never discarded).
// What a start repairs, because no secret is lost by it:
//   - keys/node.pub missing next to keys/node.key: rewritten from the key
//     (it is derived data; a crash between the two writes of a first start
//     leaves exactly this);
//   - quic/node.crt without quic/node.key: both are generated anew (the
//     certificate is public and carries no identity: a node is known by its
//     Ed25519 key, not its TLS certificate; the first start writes the
//     certificate before the key, so this is what a crash there leaves).
//
// Thread-safety: one process owns a data directory; call this once at start.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/result.h"
#include "barrel/transport/identity.h"
#include "barrel/transport/tls_material.h"

namespace barrel::transport {

struct CredentialsOptions {
  uint32_t days = 3650;       // validity of a newly generated TLS certificate
  uint32_t rsa_key_bits = 0;  // 0: Ed25519 TLS key; else RSA of this many bits (2048..16384)
};

struct CredentialPaths {
  std::string data_dir;
  std::string quic_dir;     // data_dir/quic
  std::string keys_dir;     // data_dir/keys
  std::string trusted_dir;  // data_dir/keys/trusted
  std::string tls_cert;     // data_dir/quic/node.crt
  std::string tls_key;      // data_dir/quic/node.key
  std::string node_key;     // data_dir/keys/node.key
  std::string node_pub;     // data_dir/keys/node.pub

  static CredentialPaths under(std::string_view data_dir);
};

struct Credentials {
  NodeIdentity identity;
  TlsMaterial tls;  // the PEM strings of quic/node.crt and quic/node.key
  CredentialPaths paths;
  std::string fingerprint;  // fingerprint_hex(identity.public_key())
  // The files this start wrote (created or repaired), for the start-up log;
  // empty when everything was loaded as it was.
  std::vector<std::string> written;
};

// Loads the credentials under `data_dir`, creating what is missing (see the
// file comment). `node_name` must pass validate_node_name (kBadName): it is
// the CN of a new certificate. Errors: kFailedPrecondition for a secret that
// is not private or a file set that would need a secret discarded;
// kMalformed for a wrong size or a key pair that does not match; kIo for the
// file system; kInvalidArgument for bad options.
Result<Credentials> load_or_create_credentials(std::string_view data_dir,
                                               std::string_view node_name,
                                               const CredentialsOptions& options);

}  // namespace barrel::transport
