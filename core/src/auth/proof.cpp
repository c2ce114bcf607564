// proof.cpp — the transcript, binding and cookie proof (proof.h).
#include "auth/proof.h"

#include <string_view>

#include "barrel/assert.h"
#include "barrel/ids.h"
#include "wire/writer.h"

namespace barrel::auth {
namespace {

// Domain-separation labels: a signature or hash made for one purpose (or a
// later protocol version) is never valid for another.
constexpr std::string_view kTranscriptLabel = "barrel-p2p/auth/v1";
constexpr std::string_view kCookieLabel = "barrel-p2p/cookie/v1";

std::span<const uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

std::vector<uint8_t> transcript(const TranscriptFields& f) {
  BARREL_ASSERT(validate_node_name(f.signer_name).is_ok());
  BARREL_ASSERT(validate_node_name(f.verifier_name).is_ok());
  std::vector<uint8_t> out;
  out.reserve(kTranscriptLabel.size() + 1 + 2 * (1 + f.signer_name.size()) + kPublicKeyBytes +
              2 * kAuthNonceBytes + kKeyedHashBytes);
  wire::Writer w(&out);
  w.bytes(as_bytes(kTranscriptLabel));
  w.u8(f.signer_role);
  w.node_name(f.signer_name);
  w.node_name(f.verifier_name);
  w.bytes(f.signer_key);
  w.bytes(f.echoed_verifier_nonce);
  w.bytes(f.signer_nonce);
  w.bytes(f.binding);
  BARREL_ASSERT(out.size() == kTranscriptLabel.size() + 1 + 1 + f.signer_name.size() + 1 +
                                  f.verifier_name.size() + kPublicKeyBytes + 2 * kAuthNonceBytes +
                                  kKeyedHashBytes);
  return out;
}

KeyedHash binding(const AuthCrypto& crypto, const TlsExporter& exporter) {
  return crypto.keyed_hash({}, exporter);
}

KeyedHash cookie_proof(const AuthCrypto& crypto, std::string_view cookie, uint8_t signer_role,
                       const TlsExporter& exporter) {
  const KeyedHash cookie_key = crypto.keyed_hash({}, as_bytes(cookie));
  std::vector<uint8_t> msg;
  msg.reserve(kCookieLabel.size() + 1 + exporter.size());
  wire::Writer w(&msg);
  w.bytes(as_bytes(kCookieLabel));
  w.u8(signer_role);
  w.bytes(exporter);
  return crypto.keyed_hash(cookie_key, msg);
}

bool equal_constant_time(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size())
    return false;
  // volatile keeps the compiler from turning the loop into an early-exit
  // memcmp; every byte is read whatever the earlier ones were.
  volatile uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i)
    diff = static_cast<uint8_t>(diff | (a[i] ^ b[i]));
  return diff == 0;
}

}  // namespace barrel::auth
