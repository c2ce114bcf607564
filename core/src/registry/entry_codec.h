// entry_codec.h — the registry's OR-Map value: one service instance, encoded.
//
// The registry keeps each instance as one OR-Map entry: key = service name,
// value = this encoding of {node name, boot, incarnation, endpoint, metadata}.
// The bytes travel inside deltas, so the decoder trusts nothing.
//
// Grammar (integers big-endian, wire/reader.h and wire/writer.h):
//
//   entry       := version:u8 node boot:u64 incarnation:u64 endpoint:u64
//                  pair_count:u8 pair[pair_count]
//   version     := 1                                          else kBadVersion
//   node        := len:u8 (1..255) bytes[len], a valid node name
//                                                             else kMalformed / kBadName
//   pair_count  := 0..limits::kMetadataPairsMax                else kOversized
//   pair        := key_len:u8 key[key_len] value_len:u8 value[value_len]
//   key_len     := 1..limits::kMetadataKeyBytesMax             else kMalformed (0) / kOversized
//   value_len   := 0..limits::kMetadataValueBytesMax           (a u8: 255 is the max)
//   keys strictly ascending by bytes (canonical: decode ∘ encode is the
//   identity on bytes, so equal instances have equal values) else kMalformed
//   sum over pairs of (2 + key_len + value_len) <= limits::kMetadataBytesMax
//                                                             else kOversized
//   An input that ends early is kTruncated; bytes after the last pair are
//   kTrailingBytes. Every error message names the field.
//
// At its bounds an entry takes 1 + 256 + 24 + 1 + 640 = 922 bytes, within
// limits::kOrMapValueBytesMax (static_assert in entry_codec.cpp).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/result.h"
#include "barrel/service.h"
#include "barrel/status.h"

namespace barrel::registry {

inline constexpr uint8_t kEntryCodecVersion = 1;

// One instance, as stored in the OR-Map value (the service name is the key).
struct RegistryEntry {
  std::string node;          // "name@host" of the node that registered it
  uint64_t boot = 0;         // that node's boot incarnation (its replica)
  uint64_t incarnation = 0;  // its liveness incarnation at registration
  EndpointId endpoint = 0;
  Metadata metadata;
  bool operator==(const RegistryEntry&) const = default;
};

// OK, or kInvalidArgument naming the first bound `md` passes (pairs, a key's
// or value's bytes, an empty key, the total encoded size).
Status validate_metadata(const Metadata& md);

// Appends the encoding of `e` to *out.
// REQUIRES: out != nullptr; e.node is a valid node name; validate_metadata(e.metadata) is OK.
void encode_entry(const RegistryEntry& e, std::vector<uint8_t>* out);
// The encoding as a string (the OR-Map's value type).
std::string encode_entry_value(const RegistryEntry& e);

// Decodes one entry occupying all of `in`. Returns the codes of the grammar.
Result<RegistryEntry> decode_entry(std::span<const uint8_t> in);
Result<RegistryEntry> decode_entry(std::string_view in);

}  // namespace barrel::registry
