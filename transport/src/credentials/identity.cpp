// identity.cpp — see identity.h.
#include "barrel/transport/identity.h"

#include <sodium.h>

#include "barrel/assert.h"
#include "credentials/sodium_init.h"

namespace barrel::transport {

static_assert(kSeedBytes == crypto_sign_ed25519_SEEDBYTES);
static_assert(kPublicKeyBytes == crypto_sign_ed25519_PUBLICKEYBYTES);
static_assert(kSignatureBytes == crypto_sign_ed25519_BYTES);
static_assert(kKeyedHashBytes >= crypto_generichash_BYTES_MIN &&
              kKeyedHashBytes <= crypto_generichash_BYTES_MAX);

void NodeIdentity::SecretFree::operator()(uint8_t* p) const {
  sodium_free(p);
}

Result<NodeIdentity> NodeIdentity::derive(std::span<const uint8_t> seed) {
  if (!sodium_ready())
    return Status(Code::kInternal, "libsodium failed to initialise (sodium_init)");
  SecretKey sk(static_cast<uint8_t*>(sodium_malloc(crypto_sign_ed25519_SECRETKEYBYTES)));
  if (!sk)
    return Status(Code::kInternal, "sodium_malloc failed for the node's secret key");
  PublicKey pk{};
  const int rv = seed.empty() ? crypto_sign_ed25519_keypair(pk.data(), sk.get())
                              : crypto_sign_ed25519_seed_keypair(pk.data(), sk.get(), seed.data());
  if (rv != 0)
    return Status(Code::kInternal, "libsodium failed to derive an Ed25519 key pair");
  return NodeIdentity(std::move(sk), pk);
}

Result<NodeIdentity> NodeIdentity::generate() {
  return derive({});
}

Result<NodeIdentity> NodeIdentity::from_seed(std::span<const uint8_t> seed) {
  if (seed.size() != kSeedBytes)
    return Status::invalid_argument("an Ed25519 seed is 32 bytes, got " +
                                    std::to_string(seed.size()));
  return derive(seed);
}

Signature NodeIdentity::sign(std::span<const uint8_t> msg) const {
  BARREL_ASSERT(secret_ != nullptr);
  Signature sig{};
  const int rv =
      crypto_sign_ed25519_detached(sig.data(), nullptr, msg.data(), msg.size(), secret_.get());
  BARREL_ASSERT(rv == 0);  // cannot fail for a valid secret key
  return sig;
}

bool NodeIdentity::verify(const PublicKey& key, std::span<const uint8_t> msg,
                          const Signature& sig) const {
  return crypto_sign_ed25519_verify_detached(sig.data(), msg.data(), msg.size(), key.data()) == 0;
}

KeyedHash NodeIdentity::keyed_hash(std::span<const uint8_t> key,
                                   std::span<const uint8_t> msg) const {
  KeyedHash out{};
  std::array<uint8_t, 32> derived{};
  const uint8_t* k = key.data();
  size_t k_len = key.size();
  if (k_len != 0 &&
      (k_len < crypto_generichash_KEYBYTES_MIN || k_len > crypto_generichash_KEYBYTES_MAX)) {
    const int rv =
        crypto_generichash(derived.data(), derived.size(), key.data(), key.size(), nullptr, 0);
    BARREL_ASSERT(rv == 0);
    k = derived.data();
    k_len = derived.size();
  }
  const int rv = crypto_generichash(out.data(), out.size(), msg.data(), msg.size(),
                                    k_len == 0 ? nullptr : k, k_len);
  BARREL_ASSERT(rv == 0);
  sodium_memzero(derived.data(), derived.size());
  return out;
}

void NodeIdentity::export_seed(std::span<uint8_t, kSeedBytes> out) const {
  BARREL_ASSERT(secret_ != nullptr);
  const int rv = crypto_sign_ed25519_sk_to_seed(out.data(), secret_.get());
  BARREL_ASSERT(rv == 0);
}

std::string NodeIdentity::fingerprint() const {
  return fingerprint_hex(public_key_);
}

std::string fingerprint_hex(const PublicKey& key) {
  std::array<uint8_t, crypto_hash_sha256_BYTES> digest{};
  // SHA-256 has no runtime-selected implementation: no sodium_init needed.
  const int rv = crypto_hash_sha256(digest.data(), key.data(), key.size());
  BARREL_ASSERT(rv == 0);
  return to_hex(digest);
}

std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 15]);
  }
  return s;
}

}  // namespace barrel::transport
