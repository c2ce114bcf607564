// delta_codec.cpp — encoding of OR-Map deltas and digests (delta_codec.h).
#include "ormap/delta_codec.h"

#include <string>
#include <string_view>
#include <utility>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace barrel::ormap {
namespace {

using wire::Reader;
using wire::Writer;

Status context_of(std::string_view what, const Status& s) {
  return {s.code(), std::string(what) + ": " + std::string(s.message())};
}

// --- Encoding ----------------------------------------------------------------

void put_dot(Writer* w, Dot d) {
  w->u64(d.replica);
  w->u64(d.counter);
}

void put_context(Writer* w, const CausalContext& c) {
  w->u32(static_cast<uint32_t>(c.vv().size()));
  for (const auto& [r, n] : c.vv())
    put_dot(w, Dot{r, n});
  w->u32(static_cast<uint32_t>(c.cloud().size()));
  for (const Dot& d : c.cloud())
    put_dot(w, d);
}

void put_blob(Writer* w, std::string_view s) {
  w->u16(static_cast<uint16_t>(s.size()));
  w->bytes({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

// --- Decoding ----------------------------------------------------------------

Status header(Reader* r, uint8_t kind) {
  Result<uint8_t> version = r->u8();
  if (!version.is_ok())
    return version.status();
  if (*version != kDeltaCodecVersion)
    return Status(Code::kBadVersion, "ormap codec: version " + std::to_string(*version));
  Result<uint8_t> k = r->u8();
  if (!k.is_ok())
    return k.status();
  if (*k != kind)
    return Status(Code::kUnknownType, "ormap codec: kind " + std::to_string(*k));
  return Status::ok();
}

Result<Dot> get_dot(Reader* r, const DotCheck& check) {
  Result<uint64_t> replica = r->u64();
  if (!replica.is_ok())
    return replica.status();
  Result<uint64_t> counter = r->u64();
  if (!counter.is_ok())
    return counter.status();
  const Dot d{*replica, *counter};
  if (!d.valid())
    return Status(Code::kMalformed, "dot " + to_string(d) + " has counter 0");
  if (check && !check(d))
    return Status(Code::kMalformed, "dot " + to_string(d) + " is from the future");
  return d;
}

// Reads count:u32 then that many dots, count checked against `max` first.
Status get_dots(Reader* r, size_t max, const DotCheck& check, std::vector<Dot>* out) {
  Result<uint32_t> count = r->u32();
  if (!count.is_ok())
    return count.status();
  if (*count > max)
    return Status(Code::kOversized,
                  std::to_string(*count) + " dots (max " + std::to_string(max) + ")");
  // Every dot takes 16 bytes: a count the input cannot hold is truncation,
  // found before reserving memory for it.
  if (r->remaining() / limits::kOrMapDotBytes < *count)
    return Status(Code::kTruncated, std::to_string(*count) + " dots announced, input too short");
  out->reserve(*count);
  for (uint32_t i = 0; i < *count; ++i) {
    Result<Dot> d = get_dot(r, check);
    if (!d.is_ok())
      return d.status();
    out->push_back(*d);
  }
  return Status::ok();
}

Result<CausalContext> get_context(Reader* r, const DotCheck& check) {
  std::vector<Dot> vv;
  std::vector<Dot> cloud;
  if (Status s = get_dots(r, limits::kOrMapReplicasMax, check, &vv); !s.is_ok())
    return context_of("context vv", s);
  if (Status s = get_dots(r, limits::kOrMapCloudDotsMax, check, &cloud); !s.is_ok())
    return context_of("context cloud", s);
  return CausalContext::from_canonical(vv, cloud);
}

// len:u16 then the bytes, len checked against [min, max].
Result<std::string_view> get_blob(Reader* r, size_t min, size_t max) {
  Result<uint16_t> len = r->u16();
  if (!len.is_ok())
    return len.status();
  if (*len > max)
    return Status(Code::kOversized,
                  std::to_string(*len) + " bytes (max " + std::to_string(max) + ")");
  if (*len < min)
    return Status(Code::kMalformed, "empty");
  Result<std::span<const uint8_t>> b = r->bytes(*len);
  if (!b.is_ok())
    return b.status();
  return std::string_view(reinterpret_cast<const char*>(b->data()), b->size());
}

// One key and its entries, appended to *out. `prev_key` is the key before.
Status get_key_entries(Reader* r, const DotCheck& check, std::string_view prev_key,
                       std::vector<Entry>* out) {
  Result<std::string_view> key = get_blob(r, 1, limits::kOrMapKeyBytesMax);
  if (!key.is_ok())
    return context_of("key", key.status());
  if (!prev_key.empty() && *key <= prev_key)
    return Status(Code::kMalformed, "keys not strictly ascending");
  Result<uint16_t> count = r->u16();
  if (!count.is_ok())
    return count.status();
  if (*count == 0)
    return Status(Code::kMalformed, "key with no entries");
  if (*count > limits::kOrMapEntriesPerKeyMax ||
      out->size() + *count > limits::kOrMapDeltaEntriesMax)
    return Status(Code::kOversized,
                  "more than " + std::to_string(limits::kOrMapDeltaEntriesMax) + " entries");
  for (uint16_t i = 0; i < *count; ++i) {
    Result<Dot> d = get_dot(r, check);
    if (!d.is_ok())
      return context_of("entry", d.status());
    if (i > 0 && !(out->back().dot < *d))
      return Status(Code::kMalformed, "entry dots not strictly ascending");
    Result<std::string_view> value = get_blob(r, 0, limits::kOrMapValueBytesMax);
    if (!value.is_ok())
      return context_of("value", value.status());
    out->push_back(Entry{std::string(*key), *d, std::string(*value)});
  }
  return Status::ok();
}

Status get_store(Reader* r, const DotCheck& check, std::vector<Entry>* out) {
  Result<uint32_t> count = r->u32();
  if (!count.is_ok())
    return count.status();
  if (*count > limits::kOrMapDeltaEntriesMax)
    return Status(Code::kOversized, std::to_string(*count) + " keys in a delta");
  std::string prev;
  for (uint32_t i = 0; i < *count; ++i) {
    if (Status s = get_key_entries(r, check, prev, out); !s.is_ok())
      return s;
    prev = out->back().key;
  }
  return Status::ok();
}

Status expect_end(const Reader& r) {
  if (r.empty())
    return Status::ok();
  return Status(Code::kTrailingBytes, std::to_string(r.remaining()) + " bytes after the value");
}

}  // namespace

Status encode_delta(const Delta& delta, std::vector<uint8_t>* out) {
  BARREL_ASSERT(out != nullptr);
  if (delta.entry_count() > limits::kOrMapDeltaEntriesMax)
    return Status::limit_exceeded("ormap codec: " + std::to_string(delta.entry_count()) +
                                  " entries in one delta");
  Writer w(out);
  w.u8(kDeltaCodecVersion);
  w.u8(kKindDelta);
  put_context(&w, delta.context());
  w.u32(static_cast<uint32_t>(delta.key_count()));
  for (const auto& [key, es] : delta.store()) {
    put_blob(&w, key);
    w.u16(static_cast<uint16_t>(es.size()));
    for (const auto& [d, v] : es) {
      put_dot(&w, d);
      put_blob(&w, v);
    }
  }
  BARREL_ASSERT(w.written() <= limits::kOrMapDeltaBytesMax);
  return Status::ok();
}

Result<Delta> decode_delta(std::span<const uint8_t> in, const DotCheck& check) {
  Reader r(in);
  if (Status s = header(&r, kKindDelta); !s.is_ok())
    return s;
  Result<CausalContext> context = get_context(&r, check);
  if (!context.is_ok())
    return context.status();
  std::vector<Entry> entries;
  if (Status s = get_store(&r, check, &entries); !s.is_ok())
    return context_of("store", s);
  if (Status s = expect_end(r); !s.is_ok())
    return s;
  return ORMap::from_parts(std::move(context).value(), std::move(entries));
}

void encode_digest(const Digest& digest, std::vector<uint8_t>* out) {
  BARREL_ASSERT(out != nullptr);
  BARREL_ASSERT(digest.live_hash.size() <= limits::kOrMapReplicasMax);
  Writer w(out);
  w.u8(kDeltaCodecVersion);
  w.u8(kKindDigest);
  put_context(&w, digest.context);
  w.u32(static_cast<uint32_t>(digest.live_hash.size()));
  for (const auto& [replica, hash] : digest.live_hash) {
    w.u64(replica);
    w.u64(hash);
  }
}

Result<Digest> decode_digest(std::span<const uint8_t> in, const DotCheck& check) {
  Reader r(in);
  if (Status s = header(&r, kKindDigest); !s.is_ok())
    return s;
  Result<CausalContext> context = get_context(&r, check);
  if (!context.is_ok())
    return context.status();
  Digest g;
  g.context = std::move(context).value();
  // The hashes are (replica, hash) pairs, 16 bytes like a dot; counter 0 is a
  // legal hash, so they are read as raw pairs, not dots.
  Result<uint32_t> count = r.u32();
  if (!count.is_ok())
    return count.status();
  if (*count > limits::kOrMapReplicasMax)
    return Status(Code::kOversized, "digest: " + std::to_string(*count) + " hashes");
  for (uint32_t i = 0; i < *count; ++i) {
    Result<uint64_t> replica = r.u64();
    if (!replica.is_ok())
      return replica.status();
    Result<uint64_t> hash = r.u64();
    if (!hash.is_ok())
      return hash.status();
    if (!g.live_hash.empty() && g.live_hash.rbegin()->first >= *replica)
      return Status(Code::kMalformed, "digest: hash replicas not strictly ascending");
    if (!g.context.knows(*replica))
      return Status(Code::kMalformed, "digest: hash for a replica its context does not know");
    g.live_hash.emplace_hint(g.live_hash.end(), *replica, *hash);
  }
  if (Status s = expect_end(r); !s.is_ok())
    return s;
  return g;
}

}  // namespace barrel::ormap
