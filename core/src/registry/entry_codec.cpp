// entry_codec.cpp — encoding of registry entries (entry_codec.h).
#include "registry/entry_codec.h"

#include <utility>

#include "barrel/assert.h"
#include "barrel/ids.h"
#include "barrel/limits.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace barrel::registry {
namespace {

// Bytes one metadata pair takes on the wire.
size_t pair_bytes(std::string_view key, std::string_view value) {
  return 2 + key.size() + value.size();
}

constexpr size_t kEntryBytesMax =
    1 + 1 + limits::kNodeNameBytesMax + 3 * 8 + 1 + limits::kMetadataBytesMax;
static_assert(kEntryBytesMax <= limits::kOrMapValueBytesMax,
              "an entry at its bounds fits one OR-Map value");
static_assert(limits::kMetadataPairsMax <= UINT8_MAX, "pair count is a u8");
static_assert(limits::kMetadataKeyBytesMax <= UINT8_MAX, "key length is a u8");
static_assert(limits::kMetadataValueBytesMax <= UINT8_MAX, "value length is a u8");

Status field_error(Code code, std::string_view field, const std::string& what) {
  return {code, "registry entry: " + std::string(field) + ": " + what};
}

Status wrap(std::string_view field, const Status& s) {
  return field_error(s.code(), field, std::string(s.message()));
}

// len:u8 then the bytes, as a string view into the input.
Result<std::string_view> get_short_blob(wire::Reader* r) {
  Result<uint8_t> len = r->u8();
  if (!len.is_ok())
    return len.status();
  Result<std::span<const uint8_t>> b = r->bytes(*len);
  if (!b.is_ok())
    return b.status();
  return std::string_view(reinterpret_cast<const char*>(b->data()), b->size());
}

Status get_metadata(wire::Reader* r, Metadata* md) {
  Result<uint8_t> count = r->u8();
  if (!count.is_ok())
    return wrap("metadata count", count.status());
  if (*count > limits::kMetadataPairsMax)
    return field_error(
        Code::kOversized, "metadata count",
        std::to_string(*count) + " pairs (max " + std::to_string(limits::kMetadataPairsMax) + ")");
  size_t total = 0;
  for (uint8_t i = 0; i < *count; ++i) {
    const std::string field = "metadata pair " + std::to_string(i);
    Result<std::string_view> key = get_short_blob(r);
    if (!key.is_ok())
      return wrap(field + " key", key.status());
    if (key->empty())
      return field_error(Code::kMalformed, field + " key", "empty");
    if (key->size() > limits::kMetadataKeyBytesMax)
      return field_error(Code::kOversized, field + " key",
                         std::to_string(key->size()) + " bytes (max " +
                             std::to_string(limits::kMetadataKeyBytesMax) + ")");
    if (!md->empty() && *key <= md->rbegin()->first)
      return field_error(Code::kMalformed, field + " key", "not strictly ascending");
    Result<std::string_view> value = get_short_blob(r);
    if (!value.is_ok())
      return wrap(field + " value", value.status());
    total += pair_bytes(*key, *value);
    if (total > limits::kMetadataBytesMax)
      return field_error(Code::kOversized, "metadata",
                         "more than " + std::to_string(limits::kMetadataBytesMax) + " bytes");
    md->emplace(std::string(*key), std::string(*value));
  }
  return Status::ok();
}

}  // namespace

Status validate_metadata(const Metadata& md) {
  if (md.size() > limits::kMetadataPairsMax)
    return Status::invalid_argument("metadata: " + std::to_string(md.size()) + " pairs (max " +
                                    std::to_string(limits::kMetadataPairsMax) + ")");
  size_t total = 0;
  for (const auto& [key, value] : md) {
    if (key.empty())
      return Status::invalid_argument("metadata: empty key");
    if (key.size() > limits::kMetadataKeyBytesMax)
      return Status::invalid_argument("metadata: key '" + key.substr(0, 16) + "...' of " +
                                      std::to_string(key.size()) + " bytes (max " +
                                      std::to_string(limits::kMetadataKeyBytesMax) + ")");
    if (value.size() > limits::kMetadataValueBytesMax)
      return Status::invalid_argument("metadata: value of key '" + key + "' of " +
                                      std::to_string(value.size()) + " bytes (max " +
                                      std::to_string(limits::kMetadataValueBytesMax) + ")");
    total += pair_bytes(key, value);
  }
  if (total > limits::kMetadataBytesMax)
    return Status::invalid_argument("metadata: " + std::to_string(total) + " encoded bytes (max " +
                                    std::to_string(limits::kMetadataBytesMax) + ")");
  return Status::ok();
}

void encode_entry(const RegistryEntry& e, std::vector<uint8_t>* out) {
  BARREL_ASSERT(out != nullptr);
  BARREL_ASSERT(validate_node_name(e.node).is_ok());
  BARREL_ASSERT(validate_metadata(e.metadata).is_ok());
  wire::Writer w(out);
  w.u8(kEntryCodecVersion);
  w.node_name(e.node);
  w.u64(e.boot);
  w.u64(e.incarnation);
  w.u64(e.endpoint);
  w.u8(static_cast<uint8_t>(e.metadata.size()));
  for (const auto& [key, value] : e.metadata) {
    w.u8(static_cast<uint8_t>(key.size()));
    w.bytes({reinterpret_cast<const uint8_t*>(key.data()), key.size()});
    w.u8(static_cast<uint8_t>(value.size()));
    w.bytes({reinterpret_cast<const uint8_t*>(value.data()), value.size()});
  }
  BARREL_ASSERT(w.written() <= kEntryBytesMax);
}

std::string encode_entry_value(const RegistryEntry& e) {
  std::vector<uint8_t> bytes;
  encode_entry(e, &bytes);
  return std::string(bytes.begin(), bytes.end());
}

Result<RegistryEntry> decode_entry(std::span<const uint8_t> in) {
  wire::Reader r(in);
  Result<uint8_t> version = r.u8();
  if (!version.is_ok())
    return wrap("version", version.status());
  if (*version != kEntryCodecVersion)
    return field_error(Code::kBadVersion, "version", std::to_string(*version));
  RegistryEntry e;
  Result<std::string_view> node = r.node_name();
  if (!node.is_ok())
    return wrap("node", node.status());
  e.node = std::string(*node);
  const char* fields[] = {"boot", "incarnation", "endpoint"};
  uint64_t* slots[] = {&e.boot, &e.incarnation, &e.endpoint};
  for (size_t i = 0; i < 3; ++i) {
    Result<uint64_t> v = r.u64();
    if (!v.is_ok())
      return wrap(fields[i], v.status());
    *slots[i] = *v;
  }
  if (Status s = get_metadata(&r, &e.metadata); !s.is_ok())
    return s;
  if (!r.empty())
    return field_error(Code::kTrailingBytes, "end",
                       std::to_string(r.remaining()) + " bytes after the metadata");
  BARREL_ASSERT(validate_metadata(e.metadata).is_ok());  // paired with encode's check
  return e;
}

Result<RegistryEntry> decode_entry(std::string_view in) {
  return decode_entry(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(in.data()), in.size()));
}

}  // namespace barrel::registry
