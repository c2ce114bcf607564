// byte_io.h — big-endian appends and a bounds-checked cursor for the record
// format (record.h). The cursor never reads past its span; its first failure
// is kept (with the absolute byte offset) and every later read fails too, so
// a decoder may read a whole record and check once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/status.h"

namespace barrel::record {

inline void put_u8(std::vector<uint8_t>* out, uint8_t v) {
  out->push_back(v);
}
inline void put_u16(std::vector<uint8_t>* out, uint16_t v) {
  out->push_back(static_cast<uint8_t>(v >> 8));
  out->push_back(static_cast<uint8_t>(v));
}
inline void put_u32(std::vector<uint8_t>* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out->push_back(static_cast<uint8_t>(v >> shift));
}
inline void put_u64(std::vector<uint8_t>* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out->push_back(static_cast<uint8_t>(v >> shift));
}
inline void put_bytes(std::vector<uint8_t>* out, std::span<const uint8_t> b) {
  put_u32(out, static_cast<uint32_t>(b.size()));
  out->insert(out->end(), b.begin(), b.end());
}
inline void put_str(std::vector<uint8_t>* out, std::string_view s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out->insert(out->end(), s.begin(), s.end());
}

class Cursor {
 public:
  // `base`: the absolute offset of in[0] in the file, for error messages.
  Cursor(std::span<const uint8_t> in, size_t base) : in_(in), base_(base) {}

  bool ok() const { return status_.is_ok(); }
  const Status& status() const { return status_; }
  size_t offset() const { return base_ + pos_; }
  size_t remaining() const { return in_.size() - pos_; }
  std::span<const uint8_t> rest() const { return in_.subspan(pos_); }
  void skip(size_t n) { pos_ += n <= remaining() ? n : remaining(); }

  // Records the first failure; later ones are ignored.
  void fail(Code code, std::string_view what) { fail_at(offset(), code, what); }
  void fail_at(size_t at, Code code, std::string_view what) {
    if (status_.is_ok())
      status_ = Status(code, std::string(what) + " at byte " + std::to_string(at));
  }

  uint64_t uint(size_t bytes, std::string_view what) {
    if (!ok())
      return 0;
    if (remaining() < bytes) {
      fail(Code::kTruncated, "record ends inside " + std::string(what));
      return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; ++i)
      v = (v << 8) | in_[pos_ + i];
    pos_ += bytes;
    return v;
  }
  uint8_t u8(std::string_view what) { return static_cast<uint8_t>(uint(1, what)); }
  uint16_t u16(std::string_view what) { return static_cast<uint16_t>(uint(2, what)); }
  uint32_t u32(std::string_view what) { return static_cast<uint32_t>(uint(4, what)); }
  uint64_t u64(std::string_view what) { return uint(8, what); }

  // A length-prefixed byte string, at most `max` bytes.
  std::span<const uint8_t> bytes(size_t max, std::string_view what) {
    const size_t len = u32(what);
    if (!ok())
      return {};
    if (len > max) {
      fail(Code::kOversized, std::string(what) + " of " + std::to_string(len) + " bytes");
      return {};
    }
    if (len > remaining()) {
      fail(Code::kTruncated, "record ends inside " + std::string(what));
      return {};
    }
    std::span<const uint8_t> b = in_.subspan(pos_, len);
    pos_ += len;
    return b;
  }
  std::string str(size_t max, std::string_view what) {
    std::span<const uint8_t> b = bytes(max, what);
    return std::string(b.begin(), b.end());
  }

 private:
  std::span<const uint8_t> in_;
  size_t base_;
  size_t pos_ = 0;
  Status status_;
};

}  // namespace barrel::record
