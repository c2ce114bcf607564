// frame_reader.h — reassembles core wire frames from a stream's bytes.
//
// QUIC hands a stream's bytes over in pieces of any size; a frame (codec.h)
// may span several pieces and a piece may hold several frames. The reader
// keeps at most one incomplete frame (header + limits::kFrameBodyBytesMax),
// so a peer cannot make it buffer more.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "barrel/codec.h"
#include "barrel/ids.h"
#include "barrel/result.h"

namespace barrel::transport {

class FrameReader {
 public:
  // Appends `bytes`. Then call next() until it returns nothing.
  void push(std::span<const uint8_t> bytes);

  // The next complete frame, decoded; nullopt-like kTruncated when it needs
  // more bytes (not an error). Any other error is the peer's fault: the
  // stream is then unusable (the caller closes the connection).
  Result<Message> next(NameTable& names);

  size_t buffered() const { return buf_.size() - start_; }

 private:
  std::vector<uint8_t> buf_;
  size_t start_ = 0;  // bytes of buf_ already decoded
};

}  // namespace barrel::transport
