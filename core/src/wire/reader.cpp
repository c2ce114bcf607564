// reader.cpp — the bounds-checked big-endian Reader (reader.h).
#include "wire/reader.h"

#include <string>

#include "barrel/assert.h"
#include "barrel/ids.h"

namespace barrel::wire {

Status Reader::need(size_t n) const {
  BARREL_ASSERT(offset_ <= in_.size());
  // Compared as remaining() < n, never offset_ + n > size: n comes from the
  // input and the sum could wrap.
  if (remaining() >= n)
    return Status::ok();
  return {Code::kTruncated, "needs " + std::to_string(n) + " bytes at offset " +
                                std::to_string(offset_) + ", " + std::to_string(remaining()) +
                                " left"};
}

uint64_t Reader::take_be(size_t n) {
  BARREL_ASSERT(n >= 1 && n <= 8);
  BARREL_ASSERT(remaining() >= n);
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i)
    v = (v << 8) | in_[offset_ + i];
  offset_ += n;
  return v;
}

Result<uint8_t> Reader::u8() {
  if (Status s = need(1); !s.is_ok())
    return s;
  return static_cast<uint8_t>(take_be(1));
}

Result<uint16_t> Reader::u16() {
  if (Status s = need(2); !s.is_ok())
    return s;
  return static_cast<uint16_t>(take_be(2));
}

Result<uint32_t> Reader::u32() {
  if (Status s = need(4); !s.is_ok())
    return s;
  return static_cast<uint32_t>(take_be(4));
}

Result<uint64_t> Reader::u64() {
  if (Status s = need(8); !s.is_ok())
    return s;
  return take_be(8);
}

Result<std::span<const uint8_t>> Reader::bytes(size_t n) {
  if (Status s = need(n); !s.is_ok())
    return s;
  std::span<const uint8_t> out = in_.subspan(offset_, n);
  offset_ += n;
  BARREL_ASSERT(offset_ <= in_.size());
  return out;
}

Result<std::string_view> Reader::node_name() {
  const size_t start = offset_;
  Result<uint8_t> len = u8();
  if (!len.is_ok())
    return len.status();
  if (*len == 0) {
    offset_ = start;
    return Status(Code::kMalformed, "name length 0 at offset " + std::to_string(start));
  }
  Result<std::span<const uint8_t>> raw = bytes(*len);
  if (!raw.is_ok()) {
    offset_ = start;
    return raw.status();
  }
  const std::string_view name(reinterpret_cast<const char*>(raw->data()), raw->size());
  if (Status s = validate_node_name(name); !s.is_ok()) {
    offset_ = start;
    return Status(Code::kBadName, std::string(s.message()) + " at offset " + std::to_string(start));
  }
  BARREL_ASSERT(offset_ == start + 1 + name.size());
  return name;
}

}  // namespace barrel::wire
