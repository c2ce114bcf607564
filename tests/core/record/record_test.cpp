// record_test.cpp — the record format (record.h): every input and effect kind
// survives a round trip through another process's name table, and the reader
// is total on garbage (random bytes, every truncation, every byte flipped).
#include "barrel/record.h"

#include <gtest/gtest.h>

#include <random>

namespace barrel::record {
namespace {

struct Fixture {
  NameTable names{64};
  NodeId a = *names.intern("a@h");
  NodeId b = *names.intern("b@h");
  NodeId c = *names.intern("c@h");
};

Create sample_create() {
  Create c;
  c.config.hyparview.active_size = 4;
  c.config.hyparview.arwl = 5;
  c.config.hyparview.shuffle_period = Duration::millis(1234);
  c.config.plumtree.ihave_timeout = Duration::millis(777);
  c.config.liveness.probe_attempts = 3;
  c.config.liveness.refute_interval = Duration::millis(55);
  c.config.registry.sync_entries_max = 99;
  c.self = "a@h";
  c.seed = 0x0123456789abcdefULL;
  c.now = Instant::from_us(42);
  c.boot_wall_us = 1'700'000'000'000'000ULL;
  c.names_max = 1000;
  return c;
}

std::vector<Input> sample_inputs(const Fixture& f) {
  std::vector<Input> in;
  uint64_t t = 100;
  auto at = [&] { return Instant::from_us(t += 10); };
  in.push_back({.kind = InputKind::kJoin, .now = at(), .peer = f.b});
  in.push_back({.kind = InputKind::kLeave, .now = at()});
  in.push_back({.kind = InputKind::kBroadcast, .now = at(), .payload = {1, 2, 3, 0, 255}});
  in.push_back({.kind = InputKind::kRegisterService,
                .now = at(),
                .service = "db",
                .endpoint = 7,
                .metadata = {{"role", "primary"}, {"zone", "eu"}}});
  in.push_back({.kind = InputKind::kUnregisterService, .now = at(), .service = "db"});
  in.push_back({.kind = InputKind::kCloseEndpoint, .now = at(), .endpoint = UINT64_MAX});
  Gossip g{MessageId{1, 2}, f.c, 3, Payload({9, 8, 7}), BroadcastKind::kUser};
  in.push_back({.kind = InputKind::kDeliver, .now = at(), .peer = f.c, .msg = g});
  in.push_back({.kind = InputKind::kDeliver, .now = at(), .peer = f.b, .msg = ForwardJoin{f.c, 2}});
  in.push_back({.kind = InputKind::kLinkDown, .now = at(), .peer = f.c});
  in.push_back({.kind = InputKind::kLinkFailed, .now = at(), .peer = f.b});
  in.push_back({.kind = InputKind::kTimers, .now = at()});
  return in;
}

std::vector<Effect> sample_effects(const Fixture& f) {
  return {
      Send{f.b, Join{}},
      Send{f.c, Gossip{MessageId{5, 6}, f.a, 0, Payload({1}), BroadcastKind::kRegistry}},
      OpenLink{f.b},
      CloseLink{f.c},
      Emit{PeerUp{f.b}},
      Emit{PeerDown{f.c, PeerDownReason::kEvicted}},
      Emit{BroadcastDelivered{MessageId{7, 8}, f.a, 0, Payload({4, 5})}},
      Emit{ServiceRegistered{"db", "a@h"}},
      Emit{ServiceUnregistered{"db", "b@h"}},
      Emit{ServiceDown{"db", "c@h", ServiceDownReason::kEndpointClosed}},
  };
}

// CREATE, then each input followed by every effect kind (or none).
std::vector<uint8_t> sample_recording(const Fixture& f) {
  Writer w(f.names);
  EXPECT_TRUE(w.create(sample_create()).is_ok());
  const std::vector<Effect> effects = sample_effects(f);
  bool odd = false;
  for (const Input& in : sample_inputs(f)) {
    EXPECT_TRUE(w.input(in).is_ok()) << describe(in, f.names);
    EXPECT_TRUE(
        w.effects(odd ? std::span<const Effect>() : std::span<const Effect>(effects)).is_ok());
    odd = !odd;
  }
  return w.take();
}

// Reads every record; the status of the first failure, or OK.
Status read_all(std::span<const uint8_t> bytes, NameTable& names, std::vector<Record>* out) {
  Reader r(bytes);
  // Bounded: each record consumes at least 5 bytes.
  for (size_t i = 0; i <= bytes.size(); ++i) {
    Result<std::optional<Record>> rec = r.next(names);
    if (!rec.is_ok())
      return rec.status();
    if (!rec->has_value())
      return Status::ok();
    if (out != nullptr)
      out->push_back(std::move(**rec));
  }
  ADD_FAILURE() << "reader did not end";
  return Status(Code::kInternal, "no end");
}

TEST(Record, RoundTripEveryInputAndEffectThroughAnotherNameTable) {
  Fixture f;
  const std::vector<uint8_t> bytes = sample_recording(f);
  ASSERT_EQ(std::string(bytes.begin(), bytes.begin() + 5), "BRREC");
  ASSERT_EQ(bytes[5], kVersion);

  // Another process met the names in another order: its NodeIds differ.
  NameTable other(64);
  ASSERT_TRUE(other.intern("c@h").is_ok());
  ASSERT_TRUE(other.intern("zz@h").is_ok());
  std::vector<Record> recs;
  ASSERT_TRUE(read_all(bytes, other, &recs).is_ok());
  const std::vector<Input> inputs = sample_inputs(f);
  ASSERT_EQ(recs.size(), 1 + 2 * inputs.size());

  const Create& c = std::get<Create>(recs[0]);
  const Create want = sample_create();
  EXPECT_EQ(c.self, want.self);
  EXPECT_EQ(c.seed, want.seed);
  EXPECT_EQ(c.now, want.now);
  EXPECT_EQ(c.boot_wall_us, want.boot_wall_us);
  EXPECT_EQ(c.names_max, want.names_max);
  EXPECT_EQ(c.config.hyparview.active_size, 4u);
  EXPECT_EQ(c.config.hyparview.arwl, 5);
  EXPECT_EQ(c.config.hyparview.shuffle_period, Duration::millis(1234));
  EXPECT_EQ(c.config.plumtree.ihave_timeout, Duration::millis(777));
  EXPECT_EQ(c.config.liveness.probe_attempts, 3u);
  EXPECT_EQ(c.config.liveness.refute_interval, Duration::millis(55));
  EXPECT_EQ(c.config.registry.sync_entries_max, 99u);
  EXPECT_EQ(c.config.liveness.dead_retention, NodeConfig{}.liveness.dead_retention);

  for (size_t i = 0; i < inputs.size(); ++i) {
    const Input& got = std::get<Input>(recs[1 + 2 * i]);
    const Input& in = inputs[i];
    EXPECT_EQ(got.kind, in.kind);
    EXPECT_EQ(got.now, in.now);
    EXPECT_EQ(got.payload, in.payload);
    EXPECT_EQ(got.service, in.service);
    EXPECT_EQ(got.endpoint, in.endpoint);
    EXPECT_EQ(got.metadata, in.metadata);
    // Names, not handles, cross processes; the descriptions print names.
    EXPECT_EQ(describe(got, other), describe(in, f.names));
  }
  const std::vector<Effect> effects = sample_effects(f);
  const auto& e0 = std::get<std::vector<Effect>>(recs[2]);
  ASSERT_EQ(e0.size(), effects.size());
  for (size_t i = 0; i < effects.size(); ++i)
    EXPECT_EQ(describe(e0[i], other), describe(effects[i], f.names));
  EXPECT_TRUE(std::get<std::vector<Effect>>(recs[4]).empty());

  // Written again from the other table, the bytes are the same.
  Writer w(other);
  ASSERT_TRUE(w.create(c).is_ok());
  for (size_t i = 1; i < recs.size(); ++i) {
    if (const auto* in = std::get_if<Input>(&recs[i]))
      ASSERT_TRUE(w.input(*in).is_ok());
    else
      ASSERT_TRUE(w.effects(std::get<std::vector<Effect>>(recs[i])).is_ok());
  }
  EXPECT_EQ(w.bytes(), bytes);
}

TEST(Record, WriterRefusesRecordsOutOfOrder) {
  Fixture f;
  Writer w(f.names);
  EXPECT_EQ(w.input(Input{}).code(), Code::kFailedPrecondition);
  EXPECT_EQ(w.effects({}).code(), Code::kFailedPrecondition);
  EXPECT_TRUE(w.bytes().empty());
  ASSERT_TRUE(w.create(sample_create()).is_ok());
  EXPECT_EQ(w.create(sample_create()).code(), Code::kFailedPrecondition);
}

TEST(Record, HeaderErrorsNameTheirOffset) {
  NameTable names(8);
  std::vector<uint8_t> bad_magic = {'B', 'R', 'X', 'E', 'C', 1};
  Status s = read_all(bad_magic, names, nullptr);
  EXPECT_EQ(s.code(), Code::kMalformed);
  EXPECT_NE(s.message().find("at byte 0"), std::string_view::npos) << s.to_string();

  std::vector<uint8_t> bad_version = {'B', 'R', 'R', 'E', 'C', 9};
  s = read_all(bad_version, names, nullptr);
  EXPECT_EQ(s.code(), Code::kBadVersion);
  EXPECT_NE(s.message().find("at byte 5"), std::string_view::npos) << s.to_string();

  // A record announcing more than kRecordBodyBytesMax.
  std::vector<uint8_t> huge = {'B', 'R', 'R', 'E', 'C', 1, 1, 0xff, 0xff, 0xff, 0xff};
  s = read_all(huge, names, nullptr);
  EXPECT_EQ(s.code(), Code::kOversized);
  EXPECT_NE(s.message().find("at byte 6"), std::string_view::npos) << s.to_string();

  // The first record must be CREATE.
  std::vector<uint8_t> no_create = {'B', 'R', 'R', 'E', 'C', 1, 2, 0, 0, 0, 0};
  s = read_all(no_create, names, nullptr);
  EXPECT_EQ(s.code(), Code::kMalformed);

  // Empty file, and a header alone (no records: the reader ends cleanly).
  EXPECT_FALSE(read_all({}, names, nullptr).is_ok());
  std::vector<uint8_t> header = {'B', 'R', 'R', 'E', 'C', 1};
  EXPECT_TRUE(read_all(header, names, nullptr).is_ok());
}

TEST(Record, EveryTruncationIsAnErrorOrACleanEndAtARecordBoundary) {
  Fixture f;
  const std::vector<uint8_t> bytes = sample_recording(f);
  // The record boundaries, from a full read.
  std::vector<size_t> boundaries;
  {
    NameTable names(64);
    Reader r(bytes);
    boundaries.push_back(kHeaderBytes);  // a header alone is an empty recording
    for (size_t i = 0; i < bytes.size(); ++i) {
      Result<std::optional<Record>> rec = r.next(names);
      ASSERT_TRUE(rec.is_ok());
      if (!rec->has_value())
        break;
      boundaries.push_back(r.offset());
    }
  }
  ASSERT_EQ(boundaries.back(), bytes.size());
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    NameTable names(64);
    const std::span<const uint8_t> prefix(bytes.data(), cut);
    Status s = read_all(prefix, names, nullptr);
    const bool at_boundary =
        std::find(boundaries.begin(), boundaries.end(), cut) != boundaries.end();
    if (at_boundary) {
      EXPECT_TRUE(s.is_ok()) << "cut " << cut << ": " << s.to_string();
    } else {
      EXPECT_FALSE(s.is_ok()) << "cut " << cut;
      EXPECT_NE(s.message().find("at byte"), std::string_view::npos) << s.to_string();
    }
  }
}

TEST(Record, FlippedBytesAndRandomGarbageNeverCrash) {
  Fixture f;
  const std::vector<uint8_t> bytes = sample_recording(f);
  size_t errors = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t flip : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xff}}) {
      std::vector<uint8_t> bad = bytes;
      bad[i] ^= flip;
      NameTable names(64);
      if (!read_all(bad, names, nullptr).is_ok())
        errors += 1;
    }
  }
  EXPECT_GT(errors, bytes.size());  // most flips are caught (payload bytes are not)

  std::mt19937_64 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::vector<uint8_t> junk(rng() % 300);
    for (uint8_t& x : junk)
      x = static_cast<uint8_t>(rng());
    if (round % 2 == 0 && junk.size() >= 6) {
      // A valid header, so the record decoders see the junk.
      std::copy(bytes.begin(), bytes.begin() + 6, junk.begin());
      if (round % 4 == 0 && junk.size() >= 11) {
        // And a plausible record header: tag 1..3, length within the rest.
        junk[6] = static_cast<uint8_t>(1 + rng() % 3);
        const uint32_t len = static_cast<uint32_t>(junk.size() - 11);
        junk[7] = 0;
        junk[8] = 0;
        junk[9] = static_cast<uint8_t>(len >> 8);
        junk[10] = static_cast<uint8_t>(len);
      }
    }
    NameTable names(16);
    read_all(junk, names, nullptr).ignore();
  }
}

}  // namespace
}  // namespace barrel::record
