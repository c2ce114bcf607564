// entry_codec_test — the registry entry encoding: a golden byte layout, round
// trips (decode ∘ encode = id, and encode ∘ decode reproduces the bytes),
// every truncation a typed error, and each malformed case of the grammar
// rejected with its code and a message naming the field.
// Method: hand-built entries and byte strings; bounded loops over prefixes.
#include "registry/entry_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "barrel/limits.h"
#include "registry/replica_id.h"

namespace barrel::registry {
namespace {

using Bytes = std::vector<uint8_t>;

RegistryEntry sample() {
  return RegistryEntry{"a@h", 0x0102, 7, 9, {{"k", "v"}, {"role", "w"}}};
}

Bytes encode(const RegistryEntry& e) {
  Bytes out;
  encode_entry(e, &out);
  return out;
}

TEST(EntryCodec, GoldenBytes) {
  const Bytes expected = {
      1,                                 // version
      3, 'a', '@', 'h',                  // node
      0, 0,   0,   0,   0,   0, 1,   2,  // boot
      0, 0,   0,   0,   0,   0, 0,   7,  // incarnation
      0, 0,   0,   0,   0,   0, 0,   9,  // endpoint
      2,                                 // pairs
      1, 'k', 1,   'v',                  // k=v
      4, 'r', 'o', 'l', 'e', 1, 'w',     // role=w
  };
  EXPECT_EQ(encode(sample()), expected);
  Result<RegistryEntry> back = decode_entry(expected);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, sample());
}

TEST(EntryCodec, RoundTripsAtTheBounds) {
  RegistryEntry e{std::string(limits::kNodeNameBytesMax - 2, 'n') + "@h",
                  UINT64_MAX,
                  UINT64_MAX,
                  UINT64_MAX,
                  {}};
  // Fill metadata to exactly kMetadataBytesMax with valid pairs.
  size_t total = 0;
  for (int i = 0; total < limits::kMetadataBytesMax; ++i) {
    std::string key = "k" + std::to_string(100 + i);
    const size_t left = limits::kMetadataBytesMax - total - 2 - key.size();
    std::string value(std::min<size_t>(left, limits::kMetadataValueBytesMax), 'v');
    total += 2 + key.size() + value.size();
    e.metadata.emplace(key, value);
  }
  ASSERT_EQ(total, limits::kMetadataBytesMax);
  ASSERT_TRUE(validate_metadata(e.metadata).is_ok());
  const Bytes bytes = encode(e);
  EXPECT_LE(bytes.size(), limits::kOrMapValueBytesMax);
  Result<RegistryEntry> back = decode_entry(bytes);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, e);
  EXPECT_EQ(encode(*back), bytes);
  EXPECT_EQ(encode_entry_value(e), std::string(bytes.begin(), bytes.end()));
}

TEST(EntryCodec, EveryTruncationIsTyped) {
  const Bytes bytes = encode(sample());
  for (size_t n = 0; n < bytes.size(); ++n) {
    Result<RegistryEntry> r = decode_entry(std::span<const uint8_t>(bytes.data(), n));
    ASSERT_FALSE(r.is_ok()) << n;
    // A prefix that stops inside the node name's length byte may read as a bad name.
    EXPECT_TRUE(r.status().code() == Code::kTruncated || r.status().code() == Code::kBadName)
        << n << " " << r.status().to_string();
  }
}

void expect_rejected(const Bytes& in, Code code, std::string_view field) {
  Result<RegistryEntry> r = decode_entry(in);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), code) << r.status().to_string();
  EXPECT_NE(r.status().message().find(field), std::string_view::npos) << r.status().to_string();
}

TEST(EntryCodec, MalformedIsRejectedNamingTheField) {
  const Bytes good = encode(sample());
  Bytes b = good;
  b[0] = 2;
  expect_rejected(b, Code::kBadVersion, "version");
  b = good;
  b[1] = 0;  // node length 0
  expect_rejected(b, Code::kMalformed, "node");
  b = good;
  b[3] = '!';  // "a!h": no '@'
  expect_rejected(b, Code::kBadName, "node");
  b = good;
  b[29] = limits::kMetadataPairsMax + 1;
  expect_rejected(b, Code::kOversized, "metadata count");
  b = good;
  b[30] = 0;  // first key empty (then the bytes no longer line up; the key check comes first)
  expect_rejected(b, Code::kMalformed, "metadata pair 0 key");
  b = good;
  b.push_back(0);
  expect_rejected(b, Code::kTrailingBytes, "end");
  // Keys out of order: swap the two pairs' order by hand.
  Bytes swapped(good.begin(), good.begin() + 30);
  for (uint8_t c : Bytes{4, 'r', 'o', 'l', 'e', 1, 'w', 1, 'k', 1, 'v'})
    swapped.push_back(c);
  expect_rejected(swapped, Code::kMalformed, "not strictly ascending");
  // A key above its bound.
  Bytes long_key(good.begin(), good.begin() + 29);
  long_key.push_back(1);
  long_key.push_back(limits::kMetadataKeyBytesMax + 1);
  long_key.insert(long_key.end(), limits::kMetadataKeyBytesMax + 1, 'k');
  long_key.push_back(0);
  expect_rejected(long_key, Code::kOversized, "metadata pair 0 key");
  // The total above kMetadataBytesMax: three pairs of 64 + 255 bytes.
  Bytes big(good.begin(), good.begin() + 29);
  big.push_back(3);
  for (char c = 'a'; c <= 'c'; ++c) {
    big.push_back(limits::kMetadataKeyBytesMax);
    big.insert(big.end(), limits::kMetadataKeyBytesMax, static_cast<uint8_t>(c));
    big.push_back(255);
    big.insert(big.end(), 255, 'v');
  }
  expect_rejected(big, Code::kOversized, "metadata");
}

TEST(EntryCodec, ValidateMetadataNamesTheBound) {
  Metadata md;
  EXPECT_TRUE(validate_metadata(md).is_ok());
  md[""] = "x";
  EXPECT_EQ(validate_metadata(md).code(), Code::kInvalidArgument);
  md.clear();
  md[std::string(limits::kMetadataKeyBytesMax + 1, 'k')] = "x";
  EXPECT_NE(validate_metadata(md).message().find("key"), std::string_view::npos);
  md.clear();
  md["k"] = std::string(limits::kMetadataValueBytesMax + 1, 'v');
  EXPECT_NE(validate_metadata(md).message().find("value"), std::string_view::npos);
  md.clear();
  for (size_t i = 0; i <= limits::kMetadataPairsMax; ++i)
    md["k" + std::to_string(i)] = "";
  EXPECT_NE(validate_metadata(md).message().find("pairs"), std::string_view::npos);
}

TEST(ReplicaId, ContentBasedAndDistinctPerLife) {
  EXPECT_EQ(replica_id("a@h", 1), replica_id("a@h", 1));
  EXPECT_NE(replica_id("a@h", 1), replica_id("a@h", 2));
  EXPECT_NE(replica_id("a@h", 1), replica_id("b@h", 1));
  EXPECT_EQ(fnv1a64(""), 0xCBF29CE484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xAF63DC4C8601EC8Cull);  // published FNV-1a test vector
}

}  // namespace
}  // namespace barrel::registry
