// codec_test — the wire codec round-trips every message and rejects every
// malformed frame with the typed error codec.h documents.
//
// Method: (1) seeded random messages of every type are encoded, decoded into
// the same table (compared with operator==) and into a fresh table (compared
// by name), and re-encoded from there to the same bytes; (2) hand-built
// frames, one per rule of the grammar in codec.cpp, each checked for its
// error code, its message, and for leaving the NameTable unchanged.
#include "barrel/codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "barrel/limits.h"
#include "core/wire/message_gen.h"

namespace barrel::wire {
namespace {

using test::kAllTypes;
using test::MessageGen;
using ::testing::HasSubstr;

using Bytes = std::vector<uint8_t>;

uint8_t type_byte(MessageType t) {
  return static_cast<uint8_t>(t);
}

Bytes node(std::string_view name) {
  // Built by push_back: g++ 12 warns falsely (-Warray-bounds) on inserting
  // into a vector made from a one-element initializer list.
  Bytes b;
  b.push_back(static_cast<uint8_t>(name.size()));
  for (char c : name)
    b.push_back(static_cast<uint8_t>(c));
  return b;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

// A frame with a correct body_len around `body`.
Bytes frame(MessageType t, const Bytes& body, uint8_t version = kProtocolVersion) {
  const auto n = static_cast<uint32_t>(body.size());
  Bytes h = {version,
             type_byte(t),
             static_cast<uint8_t>(n >> 24),
             static_cast<uint8_t>(n >> 16),
             static_cast<uint8_t>(n >> 8),
             static_cast<uint8_t>(n)};
  return cat({h, body});
}

Bytes encoded(const Message& m, const NameTable& names) {
  Bytes out;
  Status s = encode(m, names, &out);
  BARREL_ASSERT(s.is_ok());
  return out;
}

Status decode_status(const Bytes& in, NameTable& names) {
  return decode(in, names).status();
}

TEST(Codec, GoldenBytes) {
  NameTable names(16);
  const NodeId a = *names.intern("a@h");
  const NodeId b = *names.intern("bb@h2");
  EXPECT_EQ(encoded(Join{}, names), (Bytes{1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(encoded(ForwardJoin{a, 6}, names), (Bytes{1, 2, 0, 0, 0, 5, 3, 'a', '@', 'h', 6}));
  EXPECT_EQ(encoded(Neighbor{true}, names), (Bytes{1, 4, 0, 0, 0, 1, 1}));
  EXPECT_EQ(encoded(Disconnect{false}, names), (Bytes{1, 6, 0, 0, 0, 1, 0}));
  EXPECT_EQ(encoded(Shuffle{a, 3, {b, a}}, names),
            cat({{1, 7, 0, 0, 0, 16}, node("a@h"), {3, 2}, node("bb@h2"), node("a@h")}));
  EXPECT_EQ(encoded(ShuffleReply{{}}, names), (Bytes{1, 8, 0, 0, 0, 1, 0}));
}

Bytes u64_be(uint64_t v) {
  Bytes b;
  for (int i = 7; i >= 0; --i)
    b.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return b;
}

TEST(Codec, PlumtreeGoldenBytes) {
  NameTable names(16);
  const NodeId a = *names.intern("a@h");
  const MessageId id{0x0102030405060708, 0x1112131415161718};
  const Bytes idb = cat({u64_be(id.hi), u64_be(id.lo)});
  EXPECT_EQ(encoded(Gossip{id, a, 0x0203, Payload({0xAA, 0xBB})}, names),
            cat({{1, 32, 0, 0, 0, 29}, idb, node("a@h"), {2, 3, 0, 0, 0, 0, 2, 0xAA, 0xBB}}));
  EXPECT_EQ(encoded(Gossip{id, a, 0, Payload(), BroadcastKind::kRegistry}, names),
            cat({{1, 32, 0, 0, 0, 27}, idb, node("a@h"), {0, 0, 2, 0, 0, 0, 0}}));
  EXPECT_EQ(encoded(IHave{{IHaveEntry{id, a, 7}, IHaveEntry{id, a, 8}}}, names),
            cat({{1, 33, 0, 0, 0, 45, 2}, idb, node("a@h"), {0, 7}, idb, node("a@h"), {0, 8}}));
  EXPECT_EQ(encoded(IHave{}, names), (Bytes{1, 33, 0, 0, 0, 1, 0}));
  EXPECT_EQ(encoded(Graft{id, 5}, names), cat({{1, 34, 0, 0, 0, 18}, idb, {0, 5}}));
  EXPECT_EQ(encoded(Prune{}, names), (Bytes{1, 35, 0, 0, 0, 0}));
}

TEST(Codec, LivenessAndSyncGoldenBytes) {
  NameTable names(4);
  EXPECT_EQ(encoded(Probe{0x0102030405060708}, names),
            cat({{1, 64, 0, 0, 0, 8}, u64_be(0x0102030405060708)}));
  EXPECT_EQ(encoded(ProbeAck{1, 2, 3}, names),
            cat({{1, 65, 0, 0, 0, 24}, u64_be(1), u64_be(2), u64_be(3)}));
  EXPECT_EQ(encoded(SyncDigest{Payload({7, 8})}, names),
            (Bytes{1, 66, 0, 0, 0, 6, 0, 0, 0, 2, 7, 8}));
  EXPECT_EQ(encoded(SyncDelta{Payload()}, names), (Bytes{1, 67, 0, 0, 0, 4, 0, 0, 0, 0}));
}

TEST(Codec, BadGossipKindAndOversizedSyncBodyAreRejected) {
  NameTable names(4);
  const Bytes idb(16, 0x42);
  const Status k = decode_status(
      frame(MessageType::kGossip, cat({idb, node("o@h"), {0, 1, 3, 0, 0, 0, 0}})), names);
  EXPECT_EQ(k.code(), Code::kMalformed) << k.to_string();
  EXPECT_THAT(std::string(k.message()), HasSubstr("GOSSIP: kind 3"));
  const uint32_t big = static_cast<uint32_t>(limits::kSyncBodyBytesMax + 1);
  const Bytes len = {static_cast<uint8_t>(big >> 24), static_cast<uint8_t>(big >> 16),
                     static_cast<uint8_t>(big >> 8), static_cast<uint8_t>(big)};
  const Status d = decode_status(frame(MessageType::kSyncDigest, len), names);
  EXPECT_EQ(d.code(), Code::kOversized) << d.to_string();
  EXPECT_THAT(std::string(d.message()), HasSubstr("SYNC_DIGEST: body of"));
  const Status p = decode_status(frame(MessageType::kProbeAck, cat({u64_be(1), u64_be(2)})), names);
  EXPECT_EQ(p.code(), Code::kMalformed) << p.to_string();
  EXPECT_THAT(std::string(p.message()), HasSubstr("PROBE_ACK: incarnation"));
}

TEST(Codec, PlumtreeLimitsAreOversized) {
  NameTable names(128);
  const Bytes idb(16, 0x42);
  // A payload length one above the limit, announced without the bytes.
  const uint32_t big = static_cast<uint32_t>(limits::kBroadcastPayloadBytesMax + 1);
  const Bytes len = {static_cast<uint8_t>(big >> 24), static_cast<uint8_t>(big >> 16),
                     static_cast<uint8_t>(big >> 8), static_cast<uint8_t>(big)};
  const Status g =
      decode_status(frame(MessageType::kGossip, cat({idb, node("o@h"), {0, 1, 0}, len})), names);
  EXPECT_EQ(g.code(), Code::kOversized) << g.to_string();
  EXPECT_THAT(std::string(g.message()), HasSubstr("limit 65536"));
  const Status ih = decode_status(frame(MessageType::kIHave, {65}), names);
  EXPECT_EQ(ih.code(), Code::kOversized) << ih.to_string();
  EXPECT_THAT(std::string(ih.message()), HasSubstr("IHAVE: 65 entries, limit 64"));
  // The encoder refuses what the decoder would.
  Bytes out;
  const NodeId o = *names.intern("o@h");
  EXPECT_EQ(
      encode(Gossip{MessageId{}, o, 0, Payload(std::vector<uint8_t>(big))}, names, &out).code(),
      Code::kOversized);
  EXPECT_EQ(
      encode(IHave{std::vector<IHaveEntry>(65, IHaveEntry{MessageId{}, o, 0})}, names, &out).code(),
      Code::kOversized);
  EXPECT_TRUE(out.empty());
}

TEST(Codec, PlumtreeBodiesThatEndEarlyAreMalformed) {
  NameTable names(16);
  const Bytes idb(16, 0x42);
  const std::vector<Bytes> frames = {
      frame(MessageType::kGraft, Bytes(idb.begin(), idb.begin() + 9)),
      frame(MessageType::kGraft, idb),
      frame(MessageType::kGossip, cat({idb, node("o@h"), {0, 1}, {0, 0, 0, 3, 1, 2}})),
      frame(MessageType::kIHave, cat({{2}, idb, node("o@h"), {0, 1}, idb})),
  };
  for (const Bytes& f : frames) {
    const Status s = decode_status(f, names);
    EXPECT_EQ(s.code(), Code::kMalformed) << s.to_string();
    EXPECT_THAT(std::string(s.message()), HasSubstr("body ends early"));
  }
  EXPECT_EQ(names.size(), 0u);
  EXPECT_EQ(decode_status(frame(MessageType::kPrune, {0}), names).code(), Code::kTrailingBytes);
}

// Encode with table A; decode into A (same handles) and into a fresh table B
// (same names); re-encoding from B gives back the same bytes.
TEST(Codec, RoundTripEveryType) {
  for (MessageType t : kAllTypes) {
    SCOPED_TRACE(std::string(to_string(t)));
    NameTable a(1024);
    NameTable b(1024);
    MessageGen gen(a, 0xC0DEC000 + type_byte(t), 200);
    for (int i = 0; i < 300; ++i) {
      const Message m = gen.make(t);
      Bytes out = {0xaa};  // encode appends
      ASSERT_TRUE(encode(m, a, &out).is_ok());
      ASSERT_EQ(out.size(), 1 + encoded_size(m, a));
      const std::span<const uint8_t> bytes = std::span<const uint8_t>(out).subspan(1);
      Result<Decoded> same = decode(bytes, a);
      ASSERT_TRUE(same.is_ok()) << same.status().to_string();
      EXPECT_EQ(same->message, m);
      EXPECT_EQ(same->frame_bytes, bytes.size());
      Result<Decoded> other = decode(bytes, b);
      ASSERT_TRUE(other.is_ok()) << other.status().to_string();
      EXPECT_EQ(other->frame_bytes, bytes.size());
      EXPECT_EQ(test::translate(other->message, b, a), m);
      EXPECT_EQ(encoded(other->message, b), Bytes(bytes.begin(), bytes.end()));
    }
  }
}

TEST(Codec, FramesBackToBackDecodeOneAfterTheOther) {
  NameTable names(512);
  MessageGen gen(names, 7, 100);
  std::vector<Message> sent;
  Bytes stream;
  for (int i = 0; i < 400; ++i) {
    sent.push_back(gen.any());
    ASSERT_TRUE(encode(sent.back(), names, &stream).is_ok());
  }
  std::span<const uint8_t> rest(stream);
  for (const Message& m : sent) {
    Result<Decoded> d = decode(rest, names);
    ASSERT_TRUE(d.is_ok()) << d.status().to_string();
    EXPECT_EQ(d->message, m);
    rest = rest.subspan(d->frame_bytes);
  }
  EXPECT_TRUE(rest.empty());
}

TEST(Codec, EveryStrictPrefixIsTruncated) {
  NameTable names(512);
  MessageGen gen(names, 11, 100);
  for (MessageType t : kAllTypes) {
    for (int i = 0; i < 4; ++i) {
      const Bytes full = encoded(gen.make(t), names);
      const size_t size_before = names.size();
      for (size_t len = 0; len < full.size(); ++len) {
        const Status s = decode(std::span<const uint8_t>(full).first(len), names).status();
        ASSERT_EQ(s.code(), Code::kTruncated) << to_string(t) << " prefix " << len;
      }
      EXPECT_EQ(names.size(), size_before);
    }
  }
}

TEST(Codec, WrongVersionIsRejectedFromTheFirstByte) {
  NameTable names(4);
  for (int v = 0; v < 256; ++v) {
    if (v == kProtocolVersion)
      continue;
    const auto version = static_cast<uint8_t>(v);
    const Status whole = decode_status(frame(MessageType::kJoin, {}, version), names);
    EXPECT_EQ(whole.code(), Code::kBadVersion) << v;
    EXPECT_EQ(decode_status({version}, names).code(), Code::kBadVersion) << v;
  }
}

TEST(Codec, UnknownTypeIsRejected) {
  NameTable names(4);
  for (int t = 0; t < 256; ++t) {
    if ((t >= 1 && t <= 8) || (t >= 32 && t <= 35) || (t >= 64 && t <= 67))
      continue;
    const Bytes f = {kProtocolVersion, static_cast<uint8_t>(t), 0, 0, 0, 0};
    const Status s = decode_status(f, names);
    EXPECT_EQ(s.code(), Code::kUnknownType) << t;
    EXPECT_THAT(std::string(s.message()), HasSubstr("type " + std::to_string(t)));
    EXPECT_EQ(decode_status(Bytes(f.begin(), f.begin() + 2), names).code(), Code::kUnknownType);
  }
}

// Only the 6 header bytes are given: had decode looked for the body, it would
// have said kTruncated.
TEST(Codec, BodyLenAboveTheLimitIsOversizedBeforeTheBody) {
  NameTable names(4);
  for (uint32_t len : {static_cast<uint32_t>(limits::kFrameBodyBytesMax + 1), UINT32_MAX}) {
    const Bytes header = {1,
                          7,
                          static_cast<uint8_t>(len >> 24),
                          static_cast<uint8_t>(len >> 16),
                          static_cast<uint8_t>(len >> 8),
                          static_cast<uint8_t>(len)};
    EXPECT_EQ(decode_status(header, names).code(), Code::kOversized) << len;
  }
  const Bytes at_limit = {1, 7, 0, 0x10, 0, 0};  // exactly kFrameBodyBytesMax
  static_assert(limits::kFrameBodyBytesMax == 0x100000);
  EXPECT_EQ(decode_status(at_limit, names).code(), Code::kTruncated);
}

TEST(Codec, CountAboveTheLimitIsOversized) {
  NameTable names(128);
  Bytes nodes65 = {65};
  for (int i = 0; i < 65; ++i)
    nodes65 = cat({nodes65, node("n" + std::to_string(i) + "@h")});
  const Bytes shuffle_head = cat({node("o@h"), {3}});
  for (const Bytes& f :
       {frame(MessageType::kShuffle, cat({shuffle_head, nodes65})),
        frame(MessageType::kShuffleReply, nodes65), frame(MessageType::kShuffleReply, {255})}) {
    const Status s = decode_status(f, names);
    EXPECT_EQ(s.code(), Code::kOversized) << s.to_string();
    EXPECT_THAT(std::string(s.message()), HasSubstr("limit 64"));
  }
  EXPECT_EQ(names.size(), 0u);
}

TEST(Codec, BoolByteMustBeZeroOrOne) {
  NameTable names(4);
  for (MessageType t :
       {MessageType::kNeighbor, MessageType::kNeighborReply, MessageType::kDisconnect}) {
    EXPECT_TRUE(decode(frame(t, {0}), names).is_ok());
    EXPECT_TRUE(decode(frame(t, {1}), names).is_ok());
    for (uint8_t b : {2, 3, 128, 255}) {
      const Status s = decode_status(frame(t, {b}), names);
      EXPECT_EQ(s.code(), Code::kMalformed) << to_string(t) << " " << int{b};
      EXPECT_THAT(std::string(s.message()), HasSubstr("bool byte " + std::to_string(b)));
    }
  }
}

TEST(Codec, TtlAboveTheWalkLengthIsMalformed) {
  NameTable names(4);
  for (uint8_t ttl : {0, 16, 17, 255}) {
    const bool ok = ttl <= limits::kWalkLengthMax;
    const Bytes fj = frame(MessageType::kForwardJoin, cat({node("j@h"), {ttl}}));
    const Bytes sh = frame(MessageType::kShuffle, cat({node("o@h"), {ttl, 0}}));
    for (const Bytes& f : {fj, sh}) {
      const Status s = decode_status(f, names);
      EXPECT_EQ(s.code(), ok ? Code::kOk : Code::kMalformed) << int{ttl} << " " << s.to_string();
    }
  }
}

TEST(Codec, ZeroLengthNameIsMalformedAndSaysWhere) {
  NameTable names(16);
  Bytes body = cat({node("o@h"), {2, 7}, node("a@h"), node("b@h"), {0}});
  for (int i = 0; i < 4; ++i)
    body = cat({body, node("z@h")});
  const Status s = decode_status(frame(MessageType::kShuffle, body), names);
  EXPECT_EQ(s.code(), Code::kMalformed);
  EXPECT_THAT(std::string(s.message()), HasSubstr("SHUFFLE: node 3 of 7: name length 0"));
  const Status fj = decode_status(frame(MessageType::kForwardJoin, {0, 1}), names);
  EXPECT_EQ(fj.code(), Code::kMalformed);
  EXPECT_THAT(std::string(fj.message()), HasSubstr("FORWARD_JOIN: joiner: name length 0"));
}

TEST(Codec, BadNamesAreRejected) {
  NameTable names(16);
  for (std::string_view bad : {"nohost", "@h", "n@", "a b@h", "n@h/x", "n@h@h", "\xff@h"}) {
    SCOPED_TRACE(bad);
    const Bytes fj = frame(MessageType::kForwardJoin, cat({node(bad), {1}}));
    const Bytes sh = frame(MessageType::kShuffle, cat({node(bad), {1, 0}}));
    const Bytes sr = frame(MessageType::kShuffleReply, cat({{2}, node("ok@h"), node(bad)}));
    for (const Bytes& f : {fj, sh, sr})
      EXPECT_EQ(decode_status(f, names).code(), Code::kBadName);
  }
  const Status s = decode_status(frame(MessageType::kShuffleReply, cat({{1}, node("x")})), names);
  EXPECT_THAT(std::string(s.message()), HasSubstr("SHUFFLE_REPLY: node 1 of 1: node name lacks"));
  EXPECT_EQ(names.size(), 0u);
}

TEST(Codec, ExtraByteInsideTheBodyIsTrailing) {
  NameTable names(512);
  MessageGen gen(names, 13, 50);
  for (MessageType t : kAllTypes) {
    const Bytes good = encoded(gen.make(t), names);
    const Bytes body(good.begin() + kHeaderBytes, good.end());
    const Status s = decode_status(frame(t, cat({body, {0}})), names);
    EXPECT_EQ(s.code(), Code::kTrailingBytes) << to_string(t) << ": " << s.to_string();
    // The same byte after the frame is the next frame's business.
    Result<Decoded> d = decode(cat({good, {0}}), names);
    ASSERT_TRUE(d.is_ok());
    EXPECT_EQ(d->frame_bytes, good.size());
  }
}

// The frame is whole, so a body that ends inside its content will never be
// completed by more bytes: kMalformed, and never a read past body_len.
TEST(Codec, BodyShorterThanItsContentIsMalformed) {
  NameTable names(16);
  const Bytes after = {5, 'x', '@', 'y', 'z', 'w'};  // would make the name complete
  const std::vector<Bytes> frames = {
      frame(MessageType::kForwardJoin, {}),
      frame(MessageType::kForwardJoin, node("j@h")),
      frame(MessageType::kNeighbor, {}),
      frame(MessageType::kShuffle, cat({node("o@h"), {1, 3}, node("a@h"), node("b@h")})),
      cat({frame(MessageType::kShuffleReply, {1, 5, 'x'}), after}),
  };
  for (const Bytes& f : frames) {
    const Status s = decode_status(f, names);
    EXPECT_EQ(s.code(), Code::kMalformed) << s.to_string();
    EXPECT_THAT(std::string(s.message()), HasSubstr("body ends early"));
  }
  EXPECT_EQ(names.size(), 0u);
}

// Each frame carries valid new names before its flaw.
TEST(Codec, RejectedFrameLeavesTheNameTableUnchanged) {
  NameTable names(64);
  ASSERT_TRUE(names.intern("known@h").is_ok());
  const Bytes head = cat({node("new1@h"), {2}});
  const std::vector<Bytes> frames = {
      frame(MessageType::kForwardJoin, cat({node("new1@h"), {17}})),
      frame(MessageType::kForwardJoin, cat({node("new1@h"), {1, 0}})),
      frame(MessageType::kShuffle, cat({head, {3}, node("new2@h"), node("known@h"), {0}})),
      frame(MessageType::kShuffle, cat({head, {2}, node("new2@h"), node("bad")})),
      frame(MessageType::kShuffle, cat({head, {2}, node("new2@h"), node("new3@h"), {9}})),
      frame(MessageType::kShuffle, cat({head, {2}, node("new2@h")})),
      frame(MessageType::kShuffleReply, cat({{2}, node("new2@h"), node("a b@h")})),
  };
  for (const Bytes& f : frames) {
    const Status s = decode_status(f, names);
    EXPECT_FALSE(s.is_ok());
    EXPECT_EQ(names.size(), 1u) << s.to_string();
  }
  EXPECT_FALSE(names.find("new1@h").valid());
  EXPECT_FALSE(names.find("new2@h").valid());
}

// A frame with more new names than the table has room for interns none.
TEST(Codec, FullNameTableIsAllOrNothing) {
  NameTable names(4);
  ASSERT_TRUE(names.intern("a@h").is_ok());
  ASSERT_TRUE(names.intern("b@h").is_ok());
  const Bytes three_new = frame(MessageType::kShuffleReply,
                                cat({{4}, node("a@h"), node("c@h"), node("d@h"), node("e@h")}));
  Result<Decoded> r = decode(three_new, names);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kLimitExceeded);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("frame brings 3 new"));
  EXPECT_EQ(names.size(), 2u);
  // Repeats count once, known names not at all: two new names fit exactly.
  const Bytes two_new =
      frame(MessageType::kShuffle,
            cat({node("c@h"), {1, 4}, node("d@h"), node("c@h"), node("a@h"), node("d@h")}));
  Result<Decoded> ok = decode(two_new, names);
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(names.size(), 4u);
  const auto& sh = std::get<Shuffle>(ok->message);
  EXPECT_EQ(names.name(sh.origin), "c@h");
  EXPECT_EQ(sh.nodes[0], sh.nodes[3]);
  EXPECT_EQ(decode_status(frame(MessageType::kForwardJoin, cat({node("f@h"), {1}})), names).code(),
            Code::kLimitExceeded);
}

TEST(Codec, EncodeRejectsWhatDecodeWouldAndLeavesTheOutputAlone) {
  NameTable names(8);
  const NodeId a = *names.intern("a@h");
  const Bytes before = {9, 9, 9};
  struct Case {
    Message msg;
    Code code;
  };
  const std::vector<Case> cases = {
      {ForwardJoin{a, 17}, Code::kMalformed},
      {Shuffle{a, 255, {}}, Code::kMalformed},
      {Shuffle{a, 1, std::vector<NodeId>(65, a)}, Code::kOversized},
      {ShuffleReply{std::vector<NodeId>(200, a)}, Code::kOversized},
  };
  for (const Case& c : cases) {
    Bytes out = before;
    const Status s = encode(c.msg, names, &out);
    EXPECT_EQ(s.code(), c.code) << s.to_string();
    EXPECT_EQ(out, before);
  }
  Bytes out;
  EXPECT_TRUE(encode(ShuffleReply{std::vector<NodeId>(64, a)}, names, &out).is_ok());
  EXPECT_EQ(out.size(), encoded_size(ShuffleReply{std::vector<NodeId>(64, a)}, names));
}

}  // namespace
}  // namespace barrel::wire
