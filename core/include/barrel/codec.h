// codec.h — the binary wire codec for Message.
//
// Frame grammar (all integers big-endian; the full grammar of every body is
// at the top of core/src/wire/codec.cpp and in docs/wire.md):
//
//   frame    := version:u8 type:u8 body_len:u32 body[body_len]
//   version  := 1 (kProtocolVersion)
//   type     := a MessageType value
//   node     := len:u8 (1..255) bytes[len]      a name that validate_node_name() accepts
//
// Decoding never trusts its input: every length and count is checked against
// the bytes present and against limits.h before anything is allocated; the
// whole frame is validated before any name is interned, so a rejected frame
// leaves the NameTable unchanged (except when the table itself is full).
//
// Thread-safety: free functions; the NameTable rule of ids.h applies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/result.h"
#include "barrel/status.h"

namespace barrel::wire {

inline constexpr uint8_t kProtocolVersion = 1;
inline constexpr size_t kHeaderBytes = 6;

// Appends one frame encoding `msg` to *out; on error *out is unchanged.
// REQUIRES: every NodeId in msg is a handle of `names`.
// Returns kOversized (a list above its limit, a body above
// limits::kFrameBodyBytesMax) or kMalformed (a field out of its domain, e.g. a
// TTL above limits::kWalkLengthMax). The encoder checks what the decoder
// checks, so whatever encodes also decodes.
Status encode(const Message& msg, const NameTable& names, std::vector<uint8_t>* out);

// The size encode() would append, without encoding. For a message encode()
// rejects, the size it would have had.
size_t encoded_size(const Message& msg, const NameTable& names);

struct Decoded {
  Message message;
  size_t frame_bytes = 0;  // bytes of `in` the frame used (header + body)
};

// Decodes the frame at the start of `in` (bytes after it are left alone: a
// stream reader calls again on the rest). Returns:
//   kTruncated      `in` holds less than a whole frame: wait for more bytes
//                   (or, on a datagram, reject). A header field that is
//                   already wrong is reported at once, even before the
//                   frame is whole (a bad version on the first byte);
//   kBadVersion     version byte is not kProtocolVersion;
//   kUnknownType    type byte is no MessageType;
//   kOversized      body_len above limits::kFrameBodyBytesMax, or a count
//                   above its limit;
//   kMalformed      a field out of its domain (a bool byte not 0/1, a TTL
//                   above kWalkLengthMax, a zero-length name), or a whole
//                   body that ends inside its content;
//   kBadName        a node name that does not validate;
//   kTrailingBytes  the body is longer than its content;
//   kLimitExceeded  the NameTable is full.
Result<Decoded> decode(std::span<const uint8_t> in, NameTable& names);

}  // namespace barrel::wire
