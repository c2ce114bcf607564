// writer.h — the big-endian writer matching Reader (reader.h).
//
// Appends to a caller-owned byte vector. Writing cannot fail: the codec
// validates a message before it writes a byte (so a rejected message leaves
// the vector unchanged), and what the writer itself requires — a name of
// 1..255 bytes — is an invariant of our own code, checked by BARREL_ASSERT.
//
// Thread-safety: a plain value over a borrowed vector.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace barrel::wire {

class Writer {
 public:
  // REQUIRES: out is not null and outlives the Writer.
  explicit Writer(std::vector<uint8_t>* out);

  void u8(uint8_t v);
  void u16(uint16_t v);
  void u32(uint32_t v);
  void u64(uint64_t v);
  void bytes(std::span<const uint8_t> b);
  // len:u8 then the name's bytes. REQUIRES: 1 <= name.size() <= 255.
  void node_name(std::string_view name);

  // The bytes node_name(name) appends.
  static size_t node_name_size(std::string_view name) { return 1 + name.size(); }

  // Bytes appended since this Writer was made.
  size_t written() const { return out_->size() - start_; }

 private:
  void put_be(uint64_t v, size_t n);

  std::vector<uint8_t>* out_;
  size_t start_;
};

}  // namespace barrel::wire
