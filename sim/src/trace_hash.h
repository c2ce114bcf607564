// trace_hash.h — the run's trace hash: 64-bit FNV-1a over what happened.
//
// The simulator feeds every processed event (time, sequence, kind, node, peer
// and message fields) and every effect a node emitted for it (kind and fields)
// into one TraceHash. Two runs of the same scenario and seed must produce the
// same value; any divergence in ordering, timing or content changes it. Every
// integer is fed as its fixed-width little-endian bytes, so the value does not
// depend on the platform's struct layout or endianness.
//
// Thread-safety: plain value.
#pragma once

#include <cstdint>
#include <string_view>

#include "barrel/effect.h"
#include "barrel/message.h"

namespace barrel::sim {

class TraceHash {
 public:
  static constexpr uint64_t kOffsetBasis = 0xcbf29ce484222325ull;
  static constexpr uint64_t kPrime = 0x100000001b3ull;

  void add_u8(uint8_t b) {
    h_ ^= b;
    h_ *= kPrime;
  }
  void add_u32(uint32_t v) {
    for (int i = 0; i < 4; ++i)
      add_u8(static_cast<uint8_t>(v >> (8 * i)));
  }
  void add_u64(uint64_t v) {
    for (int i = 0; i < 8; ++i)
      add_u8(static_cast<uint8_t>(v >> (8 * i)));
  }
  void add_node(NodeId id) { add_u32(id.value()); }
  void add_string(std::string_view v) {
    add_u32(static_cast<uint32_t>(v.size()));
    for (char c : v)
      add_u8(static_cast<uint8_t>(c));
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = kOffsetBasis;
};

// Feeds the message type and every field of `msg`.
void hash_message(TraceHash* h, const Message& msg);
// Feeds the effect kind and every field of `effect` (a Send's whole message).
void hash_effect(TraceHash* h, const Effect& effect);

}  // namespace barrel::sim
