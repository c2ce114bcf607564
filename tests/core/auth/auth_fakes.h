// auth_fakes.h — deterministic stand-ins for the auth seam (trust.h) and a
// two-session pump, shared by the tests in tests/core/auth/.
//
// FakeCrypto is not cryptography: its keyed hash is FNV-1a mixed by
// splitmix64 (four lanes, 32 bytes), its "signature" a keyed hash of the
// message under the signer's secret, and verify() looks the secret up in a
// registry shared by the test's parties. That keeps the core's logic honest —
// a signature only verifies over exactly the bytes that were signed, under
// the key that signed them — without a crypto library in core tests.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "barrel/auth.h"
#include "barrel/rng.h"
#include "barrel/trust.h"

namespace barrel::auth_test {

using Bytes = std::vector<uint8_t>;

inline KeyedHash fake_hash(std::span<const uint8_t> key, std::span<const uint8_t> msg) {
  KeyedHash out{};
  for (uint64_t lane = 0; lane < 4; ++lane) {
    uint64_t h = 0xcbf29ce484222325ull ^ (lane * 0x9E3779B97F4A7C15ull);
    auto mix = [&h](uint8_t b) { h = (h ^ b) * 0x100000001b3ull; };
    for (int i = 0; i < 8; ++i)
      mix(static_cast<uint8_t>(key.size() >> (8 * i)));  // the key's length separates key and msg
    for (uint8_t b : key)
      mix(b);
    for (uint8_t b : msg)
      mix(b);
    uint64_t state = h;
    const uint64_t v = splitmix64(&state);
    for (size_t i = 0; i < 8; ++i)
      out[lane * 8 + i] = static_cast<uint8_t>(v >> (8 * i));
  }
  return out;
}

// Public key -> secret, for every FakeCrypto of one test.
using KeyRegistry = std::map<PublicKey, KeyedHash>;

class FakeCrypto : public AuthCrypto {
 public:
  FakeCrypto(KeyRegistry* registry, uint64_t seed) : registry_(registry) {
    uint64_t s = seed;
    for (size_t i = 0; i < secret_.size(); ++i)
      secret_[i] = static_cast<uint8_t>(splitmix64(&s));
    static constexpr uint8_t kPub[] = {'p', 'u', 'b'};
    public_key_ = fake_hash(kPub, secret_);
    (*registry_)[public_key_] = secret_;
  }

  const PublicKey& public_key() const override { return public_key_; }
  Signature sign(std::span<const uint8_t> msg) const override { return sign_with(secret_, msg); }
  bool verify(const PublicKey& key, std::span<const uint8_t> msg,
              const Signature& sig) const override {
    auto it = registry_->find(key);
    return it != registry_->end() && sign_with(it->second, msg) == sig;
  }
  KeyedHash keyed_hash(std::span<const uint8_t> key, std::span<const uint8_t> msg) const override {
    return fake_hash(key, msg);
  }

 private:
  static Signature sign_with(const KeyedHash& secret, std::span<const uint8_t> msg) {
    const KeyedHash a = fake_hash(secret, msg);
    const KeyedHash b = fake_hash(a, secret);
    Signature sig{};
    std::copy(a.begin(), a.end(), sig.begin());
    std::copy(b.begin(), b.end(), sig.begin() + 32);
    return sig;
  }

  KeyRegistry* registry_;
  KeyedHash secret_{};
  PublicKey public_key_{};
};

// Pins in memory, with switches to make each call fail.
class MemoryPinStore : public PinStore {
 public:
  Result<std::optional<PublicKey>> find(std::string_view name) const override {
    ++finds;
    if (fail_find)
      return Status(Code::kIo, "injected read failure");
    auto it = pins.find(name);
    if (it == pins.end())
      return std::optional<PublicKey>();
    return std::optional<PublicKey>(it->second);
  }
  Status pin(std::string_view name, const PublicKey& key) override {
    ++pin_calls;
    if (fail_pin)
      return {Code::kIo, "injected write failure"};
    if (race_key) {  // another session pinned this key since find()
      pins[std::string(name)] = *race_key;
    }
    auto it = pins.find(name);
    if (it != pins.end())
      return it->second == key ? Status::ok() : Status(Code::kAlreadyExists, "pinned");
    pins.emplace(std::string(name), key);
    return Status::ok();
  }
  Status remove(std::string_view name) override {
    auto it = pins.find(name);
    if (it == pins.end())
      return Status::not_found("no pin");
    pins.erase(it);
    return Status::ok();
  }
  Result<std::vector<std::pair<std::string, PublicKey>>> list() const override {
    return std::vector<std::pair<std::string, PublicKey>>(pins.begin(), pins.end());
  }

  std::map<std::string, PublicKey, std::less<>> pins;
  bool fail_find = false;
  bool fail_pin = false;
  std::optional<PublicKey> race_key;
  mutable int finds = 0;
  int pin_calls = 0;
};

template <size_t N>
std::array<uint8_t, N> seeded_bytes(uint64_t seed) {
  std::array<uint8_t, N> out{};
  uint64_t s = seed;
  for (uint8_t& b : out)
    b = static_cast<uint8_t>(splitmix64(&s));
  return out;
}
inline AuthNonce nonce_of(uint64_t seed) {
  return seeded_bytes<kAuthNonceBytes>(seed ^ 0x6e6f6e6365ull);
}
inline TlsExporter exporter_of(uint64_t seed) {
  return seeded_bytes<kTlsExporterBytes>(seed ^ 0x6578706f7274ull);
}

inline Bytes take(AuthSession& s) {
  Bytes out;
  s.take_output(&out);
  return out;
}

// Moves each side's output to the other, both directions per round (as two
// ends writing at once would), until neither has anything to send. Every
// byte delivered to a Running session must be consumed except after it
// finished. Returns the rounds used; bounded by rounds_max.
inline int pump(AuthSession& a, AuthSession& b, Instant now, int rounds_max = 16) {
  for (int round = 0; round < rounds_max; ++round) {
    const Bytes from_a = take(a);
    const Bytes from_b = take(b);
    if (from_a.empty() && from_b.empty())
      return round;
    b.on_bytes(now, from_a);
    a.on_bytes(now, from_b);
  }
  return rounds_max;
}

// One node's identity: its crypto, pins and name.
struct Party {
  Party(KeyRegistry* registry, uint64_t key_seed, std::string node_name)
      : crypto(registry, key_seed), name(std::move(node_name)) {}
  FakeCrypto crypto;
  MemoryPinStore pins;
  std::string name;
};

}  // namespace barrel::auth_test
