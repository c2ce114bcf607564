// Tests of the control socket's framing (tools/node/control_protocol.h).
#include "node/control_protocol.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace barrel::node {
namespace {

std::vector<Frame> decode_all(FrameDecoder& d, Status* err) {
  std::vector<Frame> out;
  for (int i = 0; i < 100000; ++i) {
    Result<std::optional<Frame>> f = d.next();
    if (!f.is_ok()) {
      *err = f.status();
      return out;
    }
    if (!f->has_value())
      return out;
    out.push_back(std::move(**f));
  }
  ADD_FAILURE() << "decoder did not stop";
  return out;
}

TEST(ControlProtocol, RoundTripsEveryKind) {
  std::string binary("a\0b\xff\n", 5);
  std::vector<Frame> frames = {
      {FrameKind::kRequest, {"register", "svc", "session", "k=v"}},
      {FrameKind::kRow, {"", binary, std::string(70000, 'x')}},
      {FrameKind::kRow, {}},
      ok_frame(),
      error_frame(Status::not_found("no service named x")),
      {FrameKind::kRecord, {"peer_up", "b@127.0.0.1"}},
  };
  std::vector<uint8_t> wire;
  for (const Frame& f : frames) {
    Result<std::vector<uint8_t>> e = encode_frame(f);
    ASSERT_TRUE(e.is_ok());
    wire.insert(wire.end(), e->begin(), e->end());
  }
  // Fed one byte at a time: frames come out whole, in order.
  FrameDecoder d;
  std::vector<Frame> got;
  Status err;
  for (uint8_t b : wire) {
    ASSERT_TRUE(d.feed(std::span<const uint8_t>(&b, 1)).is_ok());
    for (Frame& f : decode_all(d, &err))
      got.push_back(std::move(f));
    ASSERT_TRUE(err.is_ok()) << err.to_string();
  }
  EXPECT_EQ(got, frames);
  EXPECT_EQ(d.buffered(), 0u);
  EXPECT_EQ(error_frame(Status::not_found("x")).fields[0], "NotFound");
}

TEST(ControlProtocol, RefusesOversizedFrames) {
  Frame big{FrameKind::kRow, {std::string(kFrameBytesMax, 'x')}};
  EXPECT_EQ(encode_frame(big).status().code(), Code::kOversized);
  Frame many{FrameKind::kRow, std::vector<std::string>(kFieldsMax + 1)};
  EXPECT_EQ(encode_frame(many).status().code(), Code::kOversized);
  // A length prefix above the maximum fails at once, before the body arrives.
  FrameDecoder d;
  const uint8_t huge[] = {0xff, 0xff, 0xff, 0xff};
  ASSERT_TRUE(d.feed(huge).is_ok());
  EXPECT_EQ(d.next().status().code(), Code::kOversized);
  // Sticky.
  EXPECT_FALSE(d.next().is_ok());
  EXPECT_FALSE(d.feed(huge).is_ok());
}

// Two maximal frames back to back, read in socket-sized chunks: a chunk may
// complete one frame and start the next.
TEST(ControlProtocol, LargeFramesInChunks) {
  Frame big{FrameKind::kRecord, {"n", "1", std::string(1 << 20, 'm')}};
  Result<std::vector<uint8_t>> one = encode_frame(big);
  ASSERT_TRUE(one.is_ok());
  std::vector<uint8_t> wire = *one;
  wire.insert(wire.end(), one->begin(), one->end());
  FrameDecoder d;
  std::vector<Frame> got;
  Status err;
  for (size_t at = 0; at < wire.size(); at += 16384) {
    const size_t n = std::min<size_t>(16384, wire.size() - at);
    ASSERT_TRUE(d.feed(std::span<const uint8_t>(wire.data() + at, n)).is_ok());
    for (Frame& f : decode_all(d, &err))
      got.push_back(std::move(f));
    ASSERT_TRUE(err.is_ok()) << err.to_string();
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1], big);
}

TEST(ControlProtocol, RefusesBadHeaders) {
  Result<std::vector<uint8_t>> e = encode_frame({FrameKind::kRequest, {"identity"}});
  ASSERT_TRUE(e.is_ok());
  std::vector<uint8_t> body(e->begin() + 4, e->end());
  ASSERT_TRUE(decode_body(body).is_ok());
  // Each case decodes its own copy of the body, changed in one way. (A copy
  // per case, not one vector re-assigned: g++ 12 at -O1 reports a false
  // -Wstringop-overflow on the re-assignment after pop_back.)
  const auto code_of = [&body](auto change) {
    std::vector<uint8_t> bad(body);
    change(bad);
    return decode_body(bad).status().code();
  };
  EXPECT_EQ(code_of([](auto& b) { b[0] = 2; }), Code::kBadVersion);
  EXPECT_EQ(code_of([](auto& b) { b[1] = 9; }), Code::kUnknownType);
  EXPECT_EQ(code_of([](auto& b) { b.push_back(0); }), Code::kTrailingBytes);
  EXPECT_EQ(code_of([](auto& b) { b.pop_back(); }), Code::kMalformed);
  // A request needs a command; an error needs code and message.
  EXPECT_FALSE(decode_body(std::vector<uint8_t>{1, 1, 0, 0}).is_ok());
  EXPECT_FALSE(decode_body(std::vector<uint8_t>{1, 4, 0, 0}).is_ok());
  EXPECT_FALSE(decode_body(std::vector<uint8_t>{1, 3, 0, 1, 0, 0, 0, 0}).is_ok());
}

// Random bytes and mutated valid frames: the decoder never crashes, never
// loops, and after an error stays failed.
TEST(ControlProtocol, GarbageIsTotal) {
  std::mt19937_64 rng(12345);
  Result<std::vector<uint8_t>> valid = encode_frame({FrameKind::kRequest, {"send", "svc", "hi"}});
  ASSERT_TRUE(valid.is_ok());
  for (int round = 0; round < 3000; ++round) {
    std::vector<uint8_t> input;
    if (round % 2 == 0) {
      input.resize(rng() % 64);
      for (uint8_t& b : input)
        b = static_cast<uint8_t>(rng());
    } else {
      input = *valid;
      for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k)
        input[rng() % input.size()] = static_cast<uint8_t>(rng());
      if (rng() % 3 == 0)
        input.resize(rng() % input.size());
    }
    FrameDecoder d;
    Status err;
    size_t at = 0;
    while (at < input.size() && err.is_ok()) {
      const size_t n = std::min<size_t>(1 + rng() % 8, input.size() - at);
      Status fed = d.feed(std::span<const uint8_t>(input.data() + at, n));
      if (!fed.is_ok()) {
        err = fed;
        break;
      }
      at += n;
      for (const Frame& f : decode_all(d, &err)) {
        // Whatever decodes re-encodes to a frame that decodes the same.
        Result<std::vector<uint8_t>> again = encode_frame(f);
        ASSERT_TRUE(again.is_ok());
        ASSERT_EQ(decode_body(std::span<const uint8_t>(*again).subspan(4)).value(), f);
      }
    }
    if (!err.is_ok()) {
      EXPECT_FALSE(d.next().is_ok());
    }
  }
}

TEST(ControlProtocol, JsonQuote) {
  EXPECT_EQ(json_quote("plain"), "\"plain\"");
  EXPECT_EQ(json_quote("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  EXPECT_EQ(json_quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");  // valid UTF-8 kept
  EXPECT_EQ(json_quote("x\xff"
                       "y"),
            "\"x\xef\xbf\xbdy\"");  // invalid byte -> U+FFFD
  EXPECT_EQ(json_quote("\xed\xa0\x80"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");  // surrogate
  EXPECT_EQ(json_quote(std::string("\0", 1)), "\"\\u0000\"");
}

}  // namespace
}  // namespace barrel::node
