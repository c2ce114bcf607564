// control_protocol.h — the framing between barrel-ctl and a node's control
// socket (a Unix stream socket, control_server.h).
//
// Wire format (all integers big-endian):
//
//   frame   := length:u32 body                 length = bytes of body, 2..kFrameBytesMax
//   body    := version:u8 kind:u8 count:u16 field{count}
//   field   := length:u32 bytes{length}        any bytes (not necessarily UTF-8)
//
// version is kProtocolVersion; a peer speaking another version is garbage.
// kind is one of FrameKind. A conversation on one connection:
//
//   client  Request [command, arg...]
//   server  Row [field...]*  then exactly one of  Ok []  |  Error [code, message]
//
// Requests are answered in order, one at a time. The streaming commands
// (`events`, `recv NAME`) answer Ok and then send Record frames until the
// connection closes; the client sends nothing more on it. Row/Record field
// layouts per command are listed in control_server.h.
//
// The decoder is total: any byte string either yields frames or a Status
// (kTruncated never: it waits for more bytes; kOversized, kBadVersion,
// kUnknownType, kMalformed, kTrailingBytes) after which the stream is dead.
// No JSON here: barrel-ctl formats --json itself (json_quote below).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/result.h"
#include "barrel/status.h"

namespace barrel::node {

inline constexpr uint8_t kProtocolVersion = 1;
// A frame's body is at most 1 MiB + room for the fields' headers, so an
// application message of the runtime's default maximum fits in one field.
inline constexpr size_t kFrameBytesMax = (1 << 20) + 4096;
inline constexpr size_t kFieldsMax = 1024;

enum class FrameKind : uint8_t {
  kRequest = 1,  // client -> server: [command, arg...]
  kRow = 2,      // server -> client: one row of a reply
  kOk = 3,       // server -> client: the reply succeeded (no fields)
  kError = 4,    // server -> client: [code, message]; the reply failed
  kRecord = 5,   // server -> client: one streamed record (events, recv)
};
std::string_view to_string(FrameKind k);

struct Frame {
  FrameKind kind = FrameKind::kRequest;
  std::vector<std::string> fields;
  bool operator==(const Frame&) const = default;
};

// The frame's bytes, length prefix included. kOversized if it would exceed
// kFrameBytesMax or kFieldsMax (nothing is encoded then).
Result<std::vector<uint8_t>> encode_frame(const Frame& frame);

// Incremental decoder for one direction of one connection. Buffers at most
// two frames' worth (2 * (kFrameBytesMax + 4) bytes).
class FrameDecoder {
 public:
  // Appends received bytes. REQUIRES: the caller drains next() after every
  // feed and feeds chunks of at most one frame; kOversized if the buffer
  // would exceed two frames anyway. The decoder is then failed.
  Status feed(std::span<const uint8_t> bytes);
  // The next complete frame, nullopt if more bytes are needed, or the error
  // that made this stream undecodable (sticky: every later call returns it).
  Result<std::optional<Frame>> next();
  // Bytes buffered and not yet returned as a frame.
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::vector<uint8_t> buf_;
  size_t pos_ = 0;
  Status failed_;
};

// Decodes one body (without the length prefix); exposed for tests.
Result<Frame> decode_body(std::span<const uint8_t> body);

// Error codes on the wire are Status code names (to_string(Code)); the
// client maps them back for messages and exit codes.
Frame ok_frame();
Frame error_frame(const Status& s);
Frame row_frame(std::vector<std::string> fields);

// `s` as a JSON string literal, quotes included: ", \ and control characters
// escaped; valid UTF-8 passes through, each byte of an invalid sequence
// becomes U+FFFD (so the output is always valid JSON/UTF-8).
std::string json_quote(std::string_view s);

}  // namespace barrel::node
