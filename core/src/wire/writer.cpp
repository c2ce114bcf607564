// writer.cpp — the big-endian Writer (writer.h).
#include "wire/writer.h"

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::wire {

Writer::Writer(std::vector<uint8_t>* out) : out_(out), start_(out ? out->size() : 0) {
  BARREL_ASSERT(out != nullptr);
}

void Writer::put_be(uint64_t v, size_t n) {
  BARREL_ASSERT(n >= 1 && n <= 8);
  const size_t before = out_->size();
  out_->resize(before + n);  // one size check, not one per byte
  uint8_t* p = out_->data() + before;
  for (size_t i = 0; i < n; ++i)
    p[i] = static_cast<uint8_t>(v >> (8 * (n - 1 - i)));
}

void Writer::u8(uint8_t v) {
  out_->push_back(v);
}

void Writer::u16(uint16_t v) {
  put_be(v, 2);
}

void Writer::u32(uint32_t v) {
  put_be(v, 4);
}

void Writer::u64(uint64_t v) {
  put_be(v, 8);
}

void Writer::bytes(std::span<const uint8_t> b) {
  out_->insert(out_->end(), b.begin(), b.end());
}

void Writer::node_name(std::string_view name) {
  BARREL_ASSERT(!name.empty());
  BARREL_ASSERT(name.size() <= limits::kNodeNameBytesMax);
  u8(static_cast<uint8_t>(name.size()));
  out_->insert(out_->end(), name.begin(), name.end());
}

}  // namespace barrel::wire
