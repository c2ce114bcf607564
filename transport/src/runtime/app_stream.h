// app_stream.h — the application stream: bytes between endpoints of nodes.
//
// Each connection carries, besides its control stream, at most one
// application stream per direction, opened by the sender on its first
// application message. Grammar (integers big-endian):
//
//   stream := magic frame*
//   magic  := "BAP" 0x01                 (type and version of the stream)
//   frame  := to:u64 from:u64 len:u32 bytes[len]
//
// `to` and `from` are endpoint ids (service.h) on the receiving and the
// sending node. One stream per direction keeps messages from one node to
// another in order. The reader keeps at most one incomplete frame.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "barrel/result.h"
#include "barrel/service.h"

namespace barrel::transport {

inline constexpr std::array<uint8_t, 4> kAppStreamMagic{'B', 'A', 'P', 1};
inline constexpr size_t kAppFrameHeaderBytes = 8 + 8 + 4;

std::vector<uint8_t> encode_app_frame(EndpointId to, EndpointId from,
                                      std::span<const uint8_t> bytes);

struct AppFrame {
  EndpointId to = 0;
  EndpointId from = 0;
  std::vector<uint8_t> bytes;
};

class AppReader {
 public:
  void push(std::span<const uint8_t> bytes);
  // The next whole frame; nullopt if more bytes are needed. kBadVersion for a
  // stream that does not start with the magic, kOversized for a frame above
  // `max_bytes`: the stream is then unusable.
  Result<std::optional<AppFrame>> next(size_t max_bytes);

 private:
  std::vector<uint8_t> buf_;
  size_t start_ = 0;
  bool magic_seen_ = false;
};

}  // namespace barrel::transport
