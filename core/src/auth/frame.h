// frame.h — the auth stream's frames: decode and encode (grammar in frame.cpp).
//
// Pure functions over bytes, no state: auth_session.cpp decides what a frame
// means. Decoding never trusts its input and never allocates (names come back
// as views into the input, already checked by validate_node_name()); encoding
// takes values our own code built and asserts what the decoder would check.
//
// Thread-safety: free functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "barrel/auth.h"
#include "barrel/limits.h"
#include "barrel/result.h"
#include "barrel/status.h"
#include "barrel/trust.h"

namespace barrel::auth {

inline constexpr uint8_t kVersion = 1;
inline constexpr size_t kHeaderBytes = limits::kAuthFrameHeaderBytes;
inline constexpr size_t kFrameBytesMax = kHeaderBytes + limits::kAuthFrameBodyBytesMax;

enum class FrameType : uint8_t { kHello = 1, kProof = 2, kOk = 3, kReject = 4 };

inline constexpr uint8_t kRoleClient = 'C';
inline constexpr uint8_t kRoleServer = 'S';

struct Header {
  FrameType type = FrameType::kHello;
  uint16_t body_len = 0;
};

struct Hello {
  uint8_t role = 0;
  std::string_view name;  // a view into the decoded input (or the encoder's caller)
  PublicKey key{};
  AuthNonce nonce{};
};

struct Proof {
  Signature signature{};
  AuthNonce echoed_nonce{};
  KeyedHash binding{};
  KeyedHash cookie_proof{};
};

inline constexpr size_t kProofBodyBytes =
    kSignatureBytes + kAuthNonceBytes + kKeyedHashBytes + kKeyedHashBytes;
inline constexpr size_t kHelloBodyBytesMax =
    1 + 1 + limits::kNodeNameBytesMax + kPublicKeyBytes + kAuthNonceBytes;
inline constexpr size_t kRejectBodyBytes = 1;
// Every frame a session ever sends, once each: HELLO, PROOF, OK, REJECT.
inline constexpr size_t kOutputBytesMax =
    4 * kHeaderBytes + kHelloBodyBytesMax + kProofBodyBytes + kRejectBodyBytes;
static_assert(kHelloBodyBytesMax <= limits::kAuthFrameBodyBytesMax);
static_assert(kProofBodyBytes <= limits::kAuthFrameBodyBytesMax);

// The version byte: OK or kBadVersion. Checked on the first byte of a frame,
// before the rest of its header arrives.
Status check_version(uint8_t version);

// The header at the start of `in`. REQUIRES: in.size() >= kHeaderBytes.
// Returns kBadVersion, kUnknownType, or kOversized (body_len above
// limits::kAuthFrameBodyBytesMax).
Result<Header> decode_header(std::span<const uint8_t> in);

// Each decodes a whole body (exactly body_len bytes). Errors: kMalformed (the
// body ends inside its content, a role that is neither 'C' nor 'S', a name
// of length 0), kBadName (a name validate_node_name() refuses),
// kTrailingBytes (the body is longer than its content).
Result<Hello> decode_hello(std::span<const uint8_t> body);
Result<Proof> decode_proof(std::span<const uint8_t> body);
Status decode_ok(std::span<const uint8_t> body);
// The reason byte, whatever its value (a newer peer may send reasons we do
// not know; they are kept, not refused).
Result<uint8_t> decode_reject(std::span<const uint8_t> body);

// Each appends one whole frame to *out. REQUIRES: out is not null; the
// HELLO's role is 'C' or 'S' and its name validates.
void encode_hello(const Hello& hello, std::vector<uint8_t>* out);
void encode_proof(const Proof& proof, std::vector<uint8_t>* out);
void encode_ok(std::vector<uint8_t>* out);
void encode_reject(uint8_t reason, std::vector<uint8_t>* out);

}  // namespace barrel::auth
