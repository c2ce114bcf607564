// frame.cpp — decode / encode of the auth stream's frames (frame.h).
//
// The grammar (all integers big-endian; barrel/auth.h repeats it with the
// exchange around it):
//
//   frame      := header body
//   header     := version:u8 type:u8 body_len:u16               (kHeaderBytes = 4)
//   version    := 1                                             else kBadVersion
//   type       := 1 HELLO | 2 PROOF | 3 OK | 4 REJECT           else kUnknownType
//   body_len   := 0..limits::kAuthFrameBodyBytesMax (1024)      else kOversized
//   body       := body_len bytes, by type:
//     1 HELLO  := role:u8 name public_key:32 nonce:32
//     2 PROOF  := signature:64 echoed_nonce:32 binding:32 cookie_proof:32
//     3 OK     := (empty)
//     4 REJECT := reason:u8                                     (any value)
//   role       := 'C' (0x43) | 'S' (0x53)                       else kMalformed
//   name       := len:u8 (1..255) bytes[len]                    len 0: kMalformed
//                 bytes that validate_node_name() accepts       else kBadName
//
// A body must be exactly its content: bytes left over are kTrailingBytes, a
// body that ends inside its content is kMalformed (the frame is whole, so
// waiting would not help). AuthSession maps kBadVersion to the reason
// unsupported_version and every other error to malformed.
//
// The header is checked as it arrives — the version on the first byte, type
// and body_len on the fourth — so a stream never buffers a body it will
// refuse. Each frame has one encoding (no padding, exact lengths).
#include "auth/frame.h"

#include <algorithm>
#include <string>

#include "barrel/assert.h"
#include "barrel/ids.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace barrel::auth {
namespace {

// Copies the next N bytes of `r` into `out`. A short body is kMalformed.
template <size_t N>
Status read_array(wire::Reader& r, std::array<uint8_t, N>* out, const char* what) {
  Result<std::span<const uint8_t>> b = r.bytes(N);
  if (!b.is_ok())
    return {Code::kMalformed, std::string("body ends inside ") + what};
  std::copy(b->begin(), b->end(), out->begin());
  return Status::ok();
}

Status check_end(const wire::Reader& r, const char* frame) {
  if (r.empty())
    return Status::ok();
  return {Code::kTrailingBytes, std::string(frame) + " body has " + std::to_string(r.remaining()) +
                                    " bytes after its content"};
}

void put_header(FrameType type, size_t body_len, std::vector<uint8_t>* out) {
  BARREL_ASSERT(body_len <= limits::kAuthFrameBodyBytesMax);
  wire::Writer w(out);
  w.u8(kVersion);
  w.u8(static_cast<uint8_t>(type));
  w.u16(static_cast<uint16_t>(body_len));
}

}  // namespace

Status check_version(uint8_t version) {
  if (version == kVersion)
    return Status::ok();
  return {Code::kBadVersion, "auth frame version " + std::to_string(version) + ", expected " +
                                 std::to_string(kVersion)};
}

Result<Header> decode_header(std::span<const uint8_t> in) {
  BARREL_ASSERT(in.size() >= kHeaderBytes);
  wire::Reader r(in.first(kHeaderBytes));
  const uint8_t version = *r.u8();
  const uint8_t type = *r.u8();
  const uint16_t body_len = *r.u16();
  if (Status s = check_version(version); !s.is_ok())
    return s;
  if (type < static_cast<uint8_t>(FrameType::kHello) ||
      type > static_cast<uint8_t>(FrameType::kReject))
    return Status(Code::kUnknownType, "auth frame type " + std::to_string(type));
  if (body_len > limits::kAuthFrameBodyBytesMax)
    return Status(Code::kOversized, "auth frame body_len " + std::to_string(body_len) + " above " +
                                        std::to_string(limits::kAuthFrameBodyBytesMax));
  Header h;
  h.type = static_cast<FrameType>(type);
  h.body_len = body_len;
  return h;
}

Result<Hello> decode_hello(std::span<const uint8_t> body) {
  wire::Reader r(body);
  Hello h;
  Result<uint8_t> role = r.u8();
  if (!role.is_ok())
    return Status(Code::kMalformed, "HELLO body is empty");
  if (*role != kRoleClient && *role != kRoleServer)
    return Status(Code::kMalformed, "HELLO role byte " + std::to_string(*role));
  h.role = *role;
  Result<std::string_view> name = r.node_name();
  if (!name.is_ok()) {
    const Code c = name.status().code();
    // kTruncated inside a whole body means the body is short: malformed.
    return Status(c == Code::kTruncated ? Code::kMalformed : c,
                  "HELLO name: " + std::string(name.status().message()));
  }
  h.name = *name;
  if (Status s = read_array(r, &h.key, "HELLO public key"); !s.is_ok())
    return s;
  if (Status s = read_array(r, &h.nonce, "HELLO nonce"); !s.is_ok())
    return s;
  if (Status s = check_end(r, "HELLO"); !s.is_ok())
    return s;
  BARREL_ASSERT(r.offset() == body.size());
  return h;
}

Result<Proof> decode_proof(std::span<const uint8_t> body) {
  wire::Reader r(body);
  Proof p;
  if (Status s = read_array(r, &p.signature, "PROOF signature"); !s.is_ok())
    return s;
  if (Status s = read_array(r, &p.echoed_nonce, "PROOF echoed nonce"); !s.is_ok())
    return s;
  if (Status s = read_array(r, &p.binding, "PROOF binding"); !s.is_ok())
    return s;
  if (Status s = read_array(r, &p.cookie_proof, "PROOF cookie proof"); !s.is_ok())
    return s;
  if (Status s = check_end(r, "PROOF"); !s.is_ok())
    return s;
  BARREL_ASSERT(body.size() == kProofBodyBytes);
  return p;
}

Status decode_ok(std::span<const uint8_t> body) {
  wire::Reader r(body);
  return check_end(r, "OK");
}

Result<uint8_t> decode_reject(std::span<const uint8_t> body) {
  wire::Reader r(body);
  Result<uint8_t> reason = r.u8();
  if (!reason.is_ok())
    return Status(Code::kMalformed, "REJECT body is empty");
  if (Status s = check_end(r, "REJECT"); !s.is_ok())
    return s;
  return *reason;
}

void encode_hello(const Hello& hello, std::vector<uint8_t>* out) {
  BARREL_ASSERT(hello.role == kRoleClient || hello.role == kRoleServer);
  BARREL_ASSERT(validate_node_name(hello.name).is_ok());
  const size_t body_len =
      1 + wire::Writer::node_name_size(hello.name) + kPublicKeyBytes + kAuthNonceBytes;
  put_header(FrameType::kHello, body_len, out);
  wire::Writer w(out);
  w.u8(hello.role);
  w.node_name(hello.name);
  w.bytes(hello.key);
  w.bytes(hello.nonce);
  BARREL_ASSERT(w.written() == body_len);
}

void encode_proof(const Proof& proof, std::vector<uint8_t>* out) {
  put_header(FrameType::kProof, kProofBodyBytes, out);
  wire::Writer w(out);
  w.bytes(proof.signature);
  w.bytes(proof.echoed_nonce);
  w.bytes(proof.binding);
  w.bytes(proof.cookie_proof);
  BARREL_ASSERT(w.written() == kProofBodyBytes);
}

void encode_ok(std::vector<uint8_t>* out) {
  put_header(FrameType::kOk, 0, out);
}

void encode_reject(uint8_t reason, std::vector<uint8_t>* out) {
  put_header(FrameType::kReject, kRejectBodyBytes, out);
  wire::Writer w(out);
  w.u8(reason);
}

}  // namespace barrel::auth
