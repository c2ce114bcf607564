// reader.h — a bounds-checked big-endian reader over a byte span.
//
// The decoding half of the wire codec's primitives (writer.h is the other).
// Every read checks the bytes left before touching them and returns a Status
// or Result: a short input is kTruncated, never an out-of-bounds read, and a
// failed read consumes nothing, so the caller can report where it stopped.
// The reader never allocates: bytes() and node_name() return views into the
// input, which the caller must keep alive while it uses them.
//
// Thread-safety: a plain value over borrowed bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "barrel/result.h"
#include "barrel/status.h"

namespace barrel::wire {

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> in) : in_(in) {}

  // Each returns the value and advances, or kTruncated (nothing consumed).
  Result<uint8_t> u8();
  Result<uint16_t> u16();
  Result<uint32_t> u32();
  Result<uint64_t> u64();
  // The next `n` bytes, as a view into the input.
  Result<std::span<const uint8_t>> bytes(size_t n);

  // A node name: len:u8 then len bytes, checked by validate_node_name().
  // Returns a view into the input, or kTruncated (the input ends inside the
  // name), kMalformed (len is 0) or kBadName (the bytes are no valid name).
  // Nothing is consumed on error.
  Result<std::string_view> node_name();

  size_t offset() const { return offset_; }
  size_t remaining() const { return in_.size() - offset_; }
  bool empty() const { return remaining() == 0; }

 private:
  // OK if `n` more bytes are present, else kTruncated naming the offset.
  Status need(size_t n) const;
  // The value of the next `n` (<= 8) bytes, big-endian, and advance.
  // REQUIRES: need(n) is OK.
  uint64_t take_be(size_t n);

  std::span<const uint8_t> in_;
  size_t offset_ = 0;
};

}  // namespace barrel::wire
