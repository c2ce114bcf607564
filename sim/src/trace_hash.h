// trace_hash.h — the run's trace hash: a 64-bit word-wise multiply-rotate
// hash over what happened.
//
// The simulator feeds every processed event (time, sequence, kind, node, peer,
// epoch, aux) and every effect a node emitted for it (kind and fields, a
// Send's whole message) into one TraceHash. Two runs of the same scenario and
// seed must produce the same value; any divergence in ordering, timing or
// content changes it.
//
// Each add_*() mixes one 64-bit word: h = rotl((h ^ w) * kMultiplier, 31).
// Both steps are bijections of the state, so two streams of the same length
// that differ in one word always end in different values (only several
// differences can cancel). Integers are fed by value and byte strings as
// little-endian words, so the value does not depend on the platform's struct
// layout or endianness. Word-wise, not byte-wise: the byte-wise FNV-1a this
// replaced cost a serial multiply per byte, 7 % of a 10,000-node run.
//
// Thread-safety: plain value.
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <string_view>

#include "barrel/effect.h"
#include "barrel/message.h"

namespace barrel::sim {

class TraceHash {
 public:
  static constexpr uint64_t kSeed = 0xcbf29ce484222325ull;        // FNV's offset basis
  static constexpr uint64_t kMultiplier = 0x9e3779b97f4a7c15ull;  // 2^64 / golden ratio, odd

  void add_u64(uint64_t w) { h_ = std::rotl((h_ ^ w) * kMultiplier, 31); }
  void add_u8(uint8_t v) { add_u64(v); }
  void add_u32(uint32_t v) { add_u64(v); }
  // Two 32-bit values in one word: `a` low, `b` high.
  void add_pair(uint32_t a, uint32_t b) { add_u64(uint64_t{a} | uint64_t{b} << 32); }
  void add_node(NodeId id) { add_u32(id.value()); }
  // The length, then the bytes eight to a word (little-endian; the last word
  // zero-padded).
  void add_bytes(std::span<const uint8_t> bytes);
  void add_string(std::string_view v);
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = kSeed;
};

// Feeds the effect kind and every field of `effect` (a Send's whole message).
void hash_effect(TraceHash* h, const Effect& effect);

}  // namespace barrel::sim
