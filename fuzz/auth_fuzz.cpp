// auth_fuzz — libFuzzer target for the auth exchange (core/src/auth/).
//
// The first input byte picks the session (client or server, auth enabled or
// not, tofu or strict, a pre-pinned peer or none) and the chunk size; the
// rest is fed to one AuthSession as the peer's stream, in chunks. The crypto
// is trivial on purpose — every hash is zero and a signature verifies iff it
// is all zeros, the session's own nonce is zero — so the fuzzer can forge a
// valid PROOF and reach every state, Accepted included. Aborts if:
//   - on_bytes() consumes more than it was given, or less while Running;
//   - a finished session consumes anything;
//   - the session's output exceeds one frame of each type.
// Memory errors are the sanitizers' (address, undefined) to report.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "auth/frame.h"
#include "barrel/auth.h"

namespace {

class ZeroCrypto : public barrel::AuthCrypto {
 public:
  const barrel::PublicKey& public_key() const override { return key_; }
  barrel::Signature sign(std::span<const uint8_t>) const override { return {}; }
  bool verify(const barrel::PublicKey&, std::span<const uint8_t>,
              const barrel::Signature& sig) const override {
    return sig == barrel::Signature{};
  }
  barrel::KeyedHash keyed_hash(std::span<const uint8_t>, std::span<const uint8_t>) const override {
    return {};
  }

 private:
  barrel::PublicKey key_{};
};

class MapPins : public barrel::PinStore {
 public:
  barrel::Result<std::optional<barrel::PublicKey>> find(std::string_view name) const override {
    auto it = pins.find(std::string(name));
    if (it == pins.end())
      return std::optional<barrel::PublicKey>();
    return std::optional<barrel::PublicKey>(it->second);
  }
  barrel::Status pin(std::string_view name, const barrel::PublicKey& key) override {
    pins[std::string(name)] = key;
    return barrel::Status::ok();
  }
  barrel::Status remove(std::string_view name) override {
    return pins.erase(std::string(name)) ? barrel::Status::ok() : barrel::Status::not_found("");
  }
  barrel::Result<std::vector<std::pair<std::string, barrel::PublicKey>>> list() const override {
    return std::vector<std::pair<std::string, barrel::PublicKey>>(pins.begin(), pins.end());
  }
  std::map<std::string, barrel::PublicKey> pins;
};

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "auth_fuzz: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  const uint8_t mode = data[0];
  std::span<const uint8_t> rest(data + 1, size - 1);
  ZeroCrypto crypto;
  MapPins pins;
  barrel::AuthConfig config;
  config.enabled = (mode & 2) == 0;
  config.trust = (mode & 4) ? barrel::TrustMode::kStrict : barrel::TrustMode::kTofu;
  if (mode & 8)
    pins.pins["peer@h"] = barrel::PublicKey{};
  const barrel::Instant now = barrel::Instant::from_us(1);
  barrel::Result<barrel::AuthSession> made =
      (mode & 1)
          ? barrel::AuthSession::client(config, crypto, pins, "self@h", "peer@h", {}, {}, now)
          : barrel::AuthSession::server(config, crypto, pins, "self@h", {}, {}, now);
  if (!made.is_ok())
    fail("construction failed");
  barrel::AuthSession& s = made.value();
  const size_t chunk_max = 1 + (mode >> 4) * 17;
  // Bounded: every pass advances through `rest` or stops.
  while (!rest.empty()) {
    const size_t n = rest.size() < chunk_max ? rest.size() : chunk_max;
    const bool running = s.state() == barrel::AuthState::kRunning;
    const size_t used = s.on_bytes(now, rest.first(n));
    if (used > n)
      fail("consumed more than given");
    if (!running && used != 0)
      fail("a finished session consumed bytes");
    if (s.state() == barrel::AuthState::kRunning && used != n)
      fail("a running session left bytes");
    if (s.state() != barrel::AuthState::kRunning)
      break;
    rest = rest.subspan(n);
  }
  s.on_stream_end(now);
  std::vector<uint8_t> out;
  s.take_output(&out);
  if (out.size() > barrel::auth::kOutputBytesMax)
    fail("output above one frame of each type");
  return 0;
}
