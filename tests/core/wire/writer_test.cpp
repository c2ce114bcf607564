// writer_test — the wire Writer emits big-endian bytes that Reader reads back.
//
// Method: golden bytes for each width; appending after existing contents;
// a seeded random round trip of mixed values through Writer then Reader;
// death tests for the names the Writer requires never to see.
#include "wire/writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "barrel/rng.h"
#include "wire/reader.h"

namespace barrel::wire {
namespace {

TEST(Writer, WritesBigEndian) {
  std::vector<uint8_t> out;
  Writer w(&out);
  w.u8(0x01);
  w.u16(0x0203);
  w.u32(0x04050607u);
  w.u64(0x08090a0b0c0d0e0full);
  const std::vector<uint8_t> want = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                     0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
  EXPECT_EQ(out, want);
  EXPECT_EQ(w.written(), 15u);
}

TEST(Writer, AppendsAfterExistingBytes) {
  std::vector<uint8_t> out = {0xee, 0xee};
  Writer w(&out);
  EXPECT_EQ(w.written(), 0u);
  const uint8_t raw[] = {7, 8};
  w.bytes(raw);
  w.node_name("a@h");
  const std::vector<uint8_t> want = {0xee, 0xee, 7, 8, 3, 'a', '@', 'h'};
  EXPECT_EQ(out, want);
  EXPECT_EQ(w.written(), 6u);
  EXPECT_EQ(Writer::node_name_size("a@h"), 4u);
}

TEST(Writer, MaximalName) {
  const std::string name = std::string(250, 'x') + "@host";
  std::vector<uint8_t> out;
  Writer w(&out);
  w.node_name(name);
  ASSERT_EQ(out.size(), 256u);
  EXPECT_EQ(out[0], 255);
  EXPECT_EQ(Writer::node_name_size(name), out.size());
}

// Random values of every width, written then read back in the same order.
TEST(Writer, RandomRoundTripThroughReader) {
  Rng rng(0xC0DEC);
  for (int round = 0; round < 200; ++round) {
    std::vector<uint64_t> values;
    std::vector<int> widths;
    std::vector<uint8_t> out;
    Writer w(&out);
    for (int i = 0; i < 50; ++i) {
      const int width = 1 << rng.uniform(4);  // 1, 2, 4, 8 bytes
      const uint64_t v = width == 8 ? rng.next() : rng.uniform(uint64_t{1} << (8 * width));
      widths.push_back(width);
      values.push_back(v);
      if (width == 1)
        w.u8(static_cast<uint8_t>(v));
      if (width == 2)
        w.u16(static_cast<uint16_t>(v));
      if (width == 4)
        w.u32(static_cast<uint32_t>(v));
      if (width == 8)
        w.u64(v);
    }
    Reader r(out);
    for (size_t i = 0; i < values.size(); ++i) {
      uint64_t got = 0;
      if (widths[i] == 1)
        got = *r.u8();
      if (widths[i] == 2)
        got = *r.u16();
      if (widths[i] == 4)
        got = *r.u32();
      if (widths[i] == 8)
        got = *r.u64();
      ASSERT_EQ(got, values[i]) << "round " << round << " value " << i;
    }
    EXPECT_TRUE(r.empty());
    EXPECT_EQ(w.written(), out.size());
  }
}

TEST(WriterDeathTest, NamesOutsideOneTo255BytesAreBugs) {
  std::vector<uint8_t> out;
  Writer w(&out);
  EXPECT_DEATH(w.node_name(""), "assertion failed");
  EXPECT_DEATH(w.node_name(std::string(256, 'a')), "assertion failed");
}

}  // namespace
}  // namespace barrel::wire
