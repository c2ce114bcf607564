// trust.h — the seam between the core's authentication and its host.
//
// The core decides who a peer is (auth.h: the challenge-response bound to the
// TLS session, then the trust decision); it never touches a key file or a
// crypto library. The host gives it two things:
//   - AuthCrypto: this node's Ed25519 key (sign) and verification, plus a
//     keyed hash for the cookie proof (transport/: libsodium);
//   - PinStore: the pinned public keys by node name (transport/: one file
//     per name under data/keys/trusted/; tests: in memory).
// Both are called synchronously from core handlers and must not call back
// into the core.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "barrel/result.h"
#include "barrel/status.h"

namespace barrel {

inline constexpr size_t kPublicKeyBytes = 32;  // Ed25519
inline constexpr size_t kSignatureBytes = 64;  // Ed25519, detached
inline constexpr size_t kKeyedHashBytes = 32;

using PublicKey = std::array<uint8_t, kPublicKeyBytes>;
using Signature = std::array<uint8_t, kSignatureBytes>;
using KeyedHash = std::array<uint8_t, kKeyedHashBytes>;

// tofu: a name's key is pinned on first contact and any other key for that
// name is refused forever after. strict: only keys pinned beforehand pass.
// In both modes a changed key is refused and reported, never re-pinned.
enum class TrustMode : uint8_t { kTofu = 1, kStrict = 2 };

class AuthCrypto {
 public:
  virtual ~AuthCrypto() = default;
  // This node's Ed25519 public key.
  virtual const PublicKey& public_key() const = 0;
  // A detached Ed25519 signature of `msg` with this node's secret key.
  virtual Signature sign(std::span<const uint8_t> msg) const = 0;
  // True iff `sig` is a valid signature of `msg` under `key`.
  virtual bool verify(const PublicKey& key, std::span<const uint8_t> msg,
                      const Signature& sig) const = 0;
  // A 32-byte keyed hash of `msg` under `key` (any length, may be empty).
  virtual KeyedHash keyed_hash(std::span<const uint8_t> key,
                               std::span<const uint8_t> msg) const = 0;
};

class PinStore {
 public:
  virtual ~PinStore() = default;
  // The key pinned for `name`, nullopt if none; kIo if the store cannot be read.
  virtual Result<std::optional<PublicKey>> find(std::string_view name) const = 0;
  // Pins `key` for `name`, durably, before returning. kAlreadyExists if a
  // different key is pinned (pins are never silently replaced), kIo on failure.
  virtual Status pin(std::string_view name, const PublicKey& key) = 0;
  // Removes the pin of `name`; kNotFound if none.
  virtual Status remove(std::string_view name) = 0;
  // Every pin, sorted by name.
  virtual Result<std::vector<std::pair<std::string, PublicKey>>> list() const = 0;
};

}  // namespace barrel
