// reader_test — the wire Reader never reads past its input.
//
// Method: golden big-endian values; every read tried on every short input
// (each must be kTruncated and consume nothing); lengths near SIZE_MAX that
// would wrap a naive bounds check; node names at the edges of their domain.
#include "wire/reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace barrel::wire {
namespace {

using ::testing::HasSubstr;

std::vector<uint8_t> bytes_of(std::string_view s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

TEST(Reader, ReadsBigEndian) {
  const std::vector<uint8_t> in = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                   0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11};
  Reader r(in);
  EXPECT_EQ(*r.u8(), 0x01);
  EXPECT_EQ(*r.u16(), 0x0203);
  EXPECT_EQ(*r.u32(), 0x04050607u);
  EXPECT_EQ(*r.u64(), 0x08090a0b0c0d0e0full);
  EXPECT_EQ(r.offset(), 15u);
  EXPECT_EQ(r.remaining(), 2u);
  Result<std::span<const uint8_t>> rest = r.bytes(2);
  ASSERT_TRUE(rest.is_ok());
  EXPECT_EQ((*rest)[0], 0x10);
  EXPECT_EQ((*rest)[1], 0x11);
  EXPECT_TRUE(r.empty());
}

TEST(Reader, ReadsTheExtremes) {
  const std::vector<uint8_t> in(8, 0xff);
  EXPECT_EQ(*Reader(in).u8(), 0xffu);
  EXPECT_EQ(*Reader(in).u16(), 0xffffu);
  EXPECT_EQ(*Reader(in).u32(), 0xffffffffu);
  EXPECT_EQ(*Reader(in).u64(), UINT64_MAX);
}

// Every read of n bytes on every input of fewer than n bytes.
TEST(Reader, ShortInputIsTruncatedAndConsumesNothing) {
  const std::vector<uint8_t> in(7, 0xab);
  for (size_t len = 0; len < 8; ++len) {
    std::span<const uint8_t> s(in.data(), len < in.size() ? len : in.size());
    for (size_t skip = 0; skip <= s.size(); ++skip) {
      Reader r(s);
      ASSERT_TRUE(r.bytes(skip).is_ok());
      const size_t left = s.size() - skip;
      auto expect_short = [&](Code c, size_t need) {
        if (left < need) {
          EXPECT_EQ(c, Code::kTruncated) << "len " << len << " skip " << skip;
        } else {
          EXPECT_EQ(c, Code::kOk);
        }
      };
      expect_short(Reader(r).u8().status().code(), 1);
      expect_short(Reader(r).u16().status().code(), 2);
      expect_short(Reader(r).u32().status().code(), 4);
      expect_short(Reader(r).u64().status().code(), 8);
      if (left < 8) {
        Reader copy = r;
        EXPECT_FALSE(copy.u64().is_ok());
        EXPECT_EQ(copy.offset(), skip);  // nothing consumed
      }
    }
  }
}

TEST(Reader, EmptyInput) {
  Reader r(std::span<const uint8_t>{});
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.u8().status().code(), Code::kTruncated);
  EXPECT_TRUE(r.bytes(0).is_ok());
  EXPECT_EQ(r.node_name().status().code(), Code::kTruncated);
}

// A length taken from the input must not wrap offset + n.
TEST(Reader, HugeLengthsDoNotWrap) {
  const std::vector<uint8_t> in(4, 0);
  for (size_t n : {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 3, size_t{5}}) {
    Reader r(in);
    ASSERT_TRUE(r.u8().is_ok());
    Result<std::span<const uint8_t>> b = r.bytes(n);
    ASSERT_FALSE(b.is_ok());
    EXPECT_EQ(b.status().code(), Code::kTruncated);
    EXPECT_THAT(std::string(b.status().message()), HasSubstr("at offset 1"));
    EXPECT_EQ(r.offset(), 1u);
  }
}

TEST(Reader, NodeName) {
  std::vector<uint8_t> in = bytes_of(
      "\x03"
      "a@hX");
  Reader r(in);
  Result<std::string_view> name = r.node_name();
  ASSERT_TRUE(name.is_ok()) << name.status().to_string();
  EXPECT_EQ(*name, "a@h");
  EXPECT_EQ(name->data(), reinterpret_cast<const char*>(in.data() + 1));  // a view, no copy
  EXPECT_EQ(r.remaining(), 1u);
}

TEST(Reader, NodeNameOfMaximalLength) {
  const std::string name = std::string(250, 'n') + "@host";
  // Built as one string: g++ 12 warns falsely (-Warray-bounds) on inserting
  // into a vector made from a one-element initializer list.
  const std::vector<uint8_t> in = bytes_of(std::string(1, '\xff') + name);
  Reader r(in);
  Result<std::string_view> got = r.node_name();
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_EQ(*got, name);
  EXPECT_TRUE(r.empty());
}

TEST(Reader, NodeNameErrorsConsumeNothing) {
  struct Case {
    std::vector<uint8_t> in;
    Code code;
    const char* message_part;
  };
  const std::vector<Case> cases = {
      {{0}, Code::kMalformed, "name length 0 at offset 0"},
      {{0, 'a', '@', 'h'}, Code::kMalformed, "name length 0"},
      {{4, 'a', '@', 'h'}, Code::kTruncated, "needs 4 bytes at offset 1, 3 left"},
      {{255}, Code::kTruncated, "needs 255 bytes"},
      {{3, 'a', 'b', 'c'}, Code::kBadName, "lacks '@'"},
      {{3, '@', 'b', 'c'}, Code::kBadName, "empty name part"},
      {{3, 'a', 'b', '@'}, Code::kBadName, "empty host part"},
      {{3, 'a', '@', 0xff}, Code::kBadName, "host part"},
      {{3, ' ', '@', 'h'}, Code::kBadName, "name part"},
  };
  for (const Case& c : cases) {
    Reader r(c.in);
    Result<std::string_view> got = r.node_name();
    ASSERT_FALSE(got.is_ok());
    EXPECT_EQ(got.status().code(), c.code) << got.status().to_string();
    EXPECT_THAT(std::string(got.status().message()), HasSubstr(c.message_part));
    EXPECT_EQ(r.offset(), 0u);
  }
}

}  // namespace
}  // namespace barrel::wire
