// identity.h — this node's Ed25519 identity (libsodium), the host side of
// barrel::AuthCrypto (core/include/barrel/trust.h).
//
// A node's identity is its Ed25519 key pair. On disk only the 32-byte seed is
// kept (data/keys/node.key); the pair is derived from it. The secret key
// lives in sodium_malloc'd memory (guard pages, no swap where mlock works)
// and is wiped when the NodeIdentity is destroyed.
//
// The fingerprint shown to operators is SHA-256 of the raw 32-byte public
// key, in lowercase hex (64 characters).
//
// Thread-safety: the const methods may be called from any thread; a
// NodeIdentity is move-only (copies of secrets are not made by accident).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "barrel/result.h"
#include "barrel/trust.h"

namespace barrel::transport {

inline constexpr size_t kSeedBytes = 32;  // crypto_sign_ed25519_SEEDBYTES

class NodeIdentity final : public AuthCrypto {
 public:
  // A fresh random identity. kInternal if libsodium cannot initialise or
  // allocate secure memory.
  static Result<NodeIdentity> generate();
  // The identity derived from a 32-byte seed (deterministic: the same seed
  // gives the same key pair). kInvalidArgument if `seed` is not 32 bytes.
  static Result<NodeIdentity> from_seed(std::span<const uint8_t> seed);

  NodeIdentity(NodeIdentity&&) noexcept = default;
  NodeIdentity& operator=(NodeIdentity&&) noexcept = default;
  NodeIdentity(const NodeIdentity&) = delete;
  NodeIdentity& operator=(const NodeIdentity&) = delete;
  ~NodeIdentity() override = default;

  // REQUIRES (all methods): *this was not moved from.
  const PublicKey& public_key() const override { return public_key_; }
  Signature sign(std::span<const uint8_t> msg) const override;
  // Ed25519 verification (crypto_sign_ed25519_verify_detached): false for a
  // bad signature, a tampered message, or a key that is not a valid point.
  bool verify(const PublicKey& key, std::span<const uint8_t> msg,
              const Signature& sig) const override;
  // BLAKE2b-256 (crypto_generichash) of `msg` keyed by `key`. libsodium takes
  // keys of 16..64 bytes or none, so: an empty key means an unkeyed hash; a
  // key of 16..64 bytes is used as it is; any other length is first hashed
  // (unkeyed BLAKE2b-256) to 32 bytes, which is then the key. Both sides of
  // a cookie proof run this same function, so they agree for every length.
  KeyedHash keyed_hash(std::span<const uint8_t> key, std::span<const uint8_t> msg) const override;

  // Copies the 32-byte seed (what data/keys/node.key holds) into `out`.
  // The caller wipes `out` after use (sodium_memzero).
  void export_seed(std::span<uint8_t, kSeedBytes> out) const;

  // This identity's fingerprint: fingerprint_hex(public_key()).
  std::string fingerprint() const;

 private:
  struct SecretFree {
    void operator()(uint8_t* p) const;  // sodium_free (wipes, then frees)
  };
  using SecretKey = std::unique_ptr<uint8_t, SecretFree>;  // 64 bytes: seed || pk

  NodeIdentity(SecretKey secret, const PublicKey& public_key)
      : secret_(std::move(secret)), public_key_(public_key) {}
  // The pair from `seed` (32 bytes), or from a random seed if it is empty.
  static Result<NodeIdentity> derive(std::span<const uint8_t> seed);

  SecretKey secret_;
  PublicKey public_key_{};
};

// SHA-256 of the 32-byte public key, lowercase hex: 64 characters.
std::string fingerprint_hex(const PublicKey& key);

// Lowercase hex of arbitrary bytes (used for fingerprints).
std::string to_hex(std::span<const uint8_t> bytes);

}  // namespace barrel::transport
