// record_reader.cpp — Reader: decodes the records of record.h, trusting
// nothing. Each record's body is bounded by kRecordBodyBytesMax and by the
// bytes present before it is looked at; inside it, every length and count
// is checked against what remains of the body.
#include <algorithm>

#include "barrel/codec.h"
#include "barrel/limits.h"
#include "barrel/record.h"
#include "record/byte_io.h"
#include "record/config_fields.h"

namespace barrel::record {

namespace {

struct ConfigGet {
  Cursor* in;
  void operator()(uint8_t& v) const { v = in->u8("config field"); }
  void operator()(uint32_t& v) const { v = in->u32("config field"); }
  void operator()(Duration& d) const {
    d = Duration::micros(static_cast<int64_t>(in->u64("config field")));
  }
};

// A node name, interned (kBadName, kLimitExceeded at its offset).
NodeId get_name(Cursor& in, NameTable& names, std::string_view what) {
  const size_t at = in.offset();
  std::string s = in.str(limits::kNodeNameBytesMax, what);
  if (!in.ok())
    return NodeId::invalid();
  Result<NodeId> id = names.intern(s);
  if (!id.is_ok()) {
    in.fail_at(at, id.status().code(),
               std::string(what) + ": " + std::string(id.status().message()));
    return NodeId::invalid();
  }
  return *id;
}

// The wire frame at the cursor; with `whole`, it must fill the rest.
Message get_message(Cursor& in, NameTable& names, bool whole) {
  if (!in.ok())
    return Message{};
  Result<wire::Decoded> d = wire::decode(in.rest(), names);
  if (!d.is_ok()) {
    in.fail(d.status().code(), "message: " + std::string(d.status().message()));
    return Message{};
  }
  if (whole && d->frame_bytes != in.remaining()) {
    in.skip(d->frame_bytes);
    in.fail(Code::kTrailingBytes, "bytes after the message");
    return Message{};
  }
  in.skip(d->frame_bytes);
  return std::move(d).value().message;
}

Event get_event(Cursor& in, NameTable& names) {
  const uint8_t tag = in.u8("event tag");
  switch (tag) {
    case 1:
      return PeerUp{get_name(in, names, "peer")};
    case 2: {
      PeerDown e{get_name(in, names, "peer")};
      const uint8_t r = in.u8("reason");
      if (in.ok() && (r < 1 || r > 5))
        in.fail(Code::kMalformed, "peer-down reason " + std::to_string(r));
      e.reason = static_cast<PeerDownReason>(r);
      return e;
    }
    case 3: {
      BroadcastDelivered e;
      e.id.hi = in.u64("message id");
      e.id.lo = in.u64("message id");
      e.origin = get_name(in, names, "origin");
      e.hops = in.u16("hops");
      std::span<const uint8_t> p = in.bytes(kRecordBodyBytesMax, "payload");
      e.payload = Payload(std::vector<uint8_t>(p.begin(), p.end()));
      return e;
    }
    case 4:
    case 5:
    case 6: {
      std::string service = in.str(kRecordBodyBytesMax, "service");
      std::string node = in.str(kRecordBodyBytesMax, "node");
      if (tag == 4)
        return ServiceRegistered{std::move(service), std::move(node)};
      if (tag == 5)
        return ServiceUnregistered{std::move(service), std::move(node)};
      const uint8_t r = in.u8("reason");
      if (in.ok() && (r < 1 || r > 2))
        in.fail(Code::kMalformed, "service-down reason " + std::to_string(r));
      return ServiceDown{std::move(service), std::move(node), static_cast<ServiceDownReason>(r)};
    }
    default:
      if (in.ok())
        in.fail(Code::kUnknownType, "event tag " + std::to_string(tag));
      return PeerUp{};
  }
}

Create get_create(Cursor& in) {
  Create c;
  for_each_config_field(c.config, ConfigGet{&in});
  c.self = in.str(limits::kNodeNameBytesMax, "self name");
  c.seed = in.u64("seed");
  c.now = Instant::from_us(in.u64("now"));
  c.boot_wall_us = in.u64("boot_wall_us");
  c.names_max = in.u64("names_max");
  return c;
}

Input get_input(Cursor& in, NameTable& names) {
  Input x;
  const uint8_t kind = in.u8("input kind");
  if (in.ok() && (kind < 1 || kind > kInputKindMax))
    in.fail(Code::kUnknownType, "input kind " + std::to_string(kind));
  x.kind = static_cast<InputKind>(kind);
  x.now = Instant::from_us(in.u64("now"));
  if (!in.ok())
    return x;
  switch (x.kind) {
    case InputKind::kJoin:
    case InputKind::kLinkDown:
    case InputKind::kLinkFailed:
      x.peer = get_name(in, names, "peer");
      break;
    case InputKind::kLeave:
    case InputKind::kTimers:
      break;
    case InputKind::kBroadcast: {
      std::span<const uint8_t> p = in.bytes(kRecordBodyBytesMax, "payload");
      x.payload.assign(p.begin(), p.end());
      break;
    }
    case InputKind::kRegisterService: {
      x.service = in.str(kRecordBodyBytesMax, "service");
      x.endpoint = in.u64("endpoint");
      const uint32_t pairs = in.u32("metadata pairs");
      // Each pair takes at least its two lengths: a count beyond that is a lie.
      if (in.ok() && pairs > in.remaining() / 8)
        in.fail(Code::kOversized, "metadata of " + std::to_string(pairs) + " pairs");
      for (uint32_t i = 0; i < pairs && in.ok(); ++i) {
        std::string k = in.str(kRecordBodyBytesMax, "metadata key");
        std::string v = in.str(kRecordBodyBytesMax, "metadata value");
        if (in.ok() && !x.metadata.emplace(std::move(k), std::move(v)).second)
          in.fail(Code::kMalformed, "duplicate metadata key");
      }
      break;
    }
    case InputKind::kUnregisterService:
      x.service = in.str(kRecordBodyBytesMax, "service");
      break;
    case InputKind::kCloseEndpoint:
      x.endpoint = in.u64("endpoint");
      break;
    case InputKind::kDeliver:
      x.peer = get_name(in, names, "sender");
      x.msg = get_message(in, names, /*whole=*/true);
      break;
  }
  return x;
}

std::vector<Effect> get_effects(Cursor& in, NameTable& names) {
  std::vector<Effect> out;
  const uint32_t count = in.u32("effect count");
  // Each effect takes at least 5 bytes (a tag and a length).
  if (in.ok() && count > in.remaining() / 5)
    in.fail(Code::kOversized, std::to_string(count) + " effects");
  for (uint32_t i = 0; i < count && in.ok(); ++i) {
    const uint8_t tag = in.u8("effect tag");
    switch (tag) {
      case 1: {
        Send s{get_name(in, names, "send target"), Message{}};
        s.msg = get_message(in, names, /*whole=*/false);
        out.emplace_back(std::move(s));
        break;
      }
      case 2:
        out.emplace_back(OpenLink{get_name(in, names, "peer")});
        break;
      case 3:
        out.emplace_back(CloseLink{get_name(in, names, "peer")});
        break;
      case 4:
        out.emplace_back(Emit{get_event(in, names)});
        break;
      default:
        if (in.ok())
          in.fail(Code::kUnknownType, "effect tag " + std::to_string(tag));
    }
  }
  return out;
}

}  // namespace

Result<std::optional<Record>> Reader::next(NameTable& names) {
  if (failed_)
    return *failed_;
  auto fail = [&](Status s) -> Result<std::optional<Record>> {
    failed_ = s;
    return s;
  };
  if (!header_read_) {
    const size_t have = std::min(in_.size(), kHeaderBytes);
    if (!std::equal(in_.begin(),
                    in_.begin() + static_cast<std::ptrdiff_t>(std::min(have, size_t{5})),
                    kMagic.begin()))
      return fail(Status(Code::kMalformed, "not a barrel record (bad magic) at byte 0"));
    if (in_.size() < kHeaderBytes)
      return fail(Status(Code::kTruncated, "record file ends inside its header at byte " +
                                               std::to_string(in_.size())));
    if (in_[5] != kVersion)
      return fail(Status(Code::kBadVersion, "record version " + std::to_string(in_[5]) +
                                                " (this build reads " + std::to_string(kVersion) +
                                                ") at byte 5"));
    header_read_ = true;
    pos_ = kHeaderBytes;
  }
  if (pos_ == in_.size())
    return std::optional<Record>();
  Cursor head(in_.subspan(pos_), pos_);
  const uint8_t tag = head.u8("record tag");
  const uint32_t len = head.u32("record length");
  if (!head.ok())
    return fail(head.status());
  if (len > kRecordBodyBytesMax)
    return fail(Status(Code::kOversized, "record of " + std::to_string(len) + " bytes at byte " +
                                             std::to_string(pos_)));
  if (len > head.remaining())
    return fail(
        Status(Code::kTruncated, "file ends inside the record at byte " + std::to_string(pos_)));
  if (pos_ == kHeaderBytes && tag != static_cast<uint8_t>(RecordTag::kCreate))
    return fail(
        Status(Code::kMalformed, "the first record is not CREATE at byte " + std::to_string(pos_)));
  Cursor body(head.rest().first(len), head.offset());
  Record rec;
  switch (tag) {
    case static_cast<uint8_t>(RecordTag::kCreate):
      if (pos_ != kHeaderBytes)
        return fail(
            Status(Code::kMalformed, "a second CREATE record at byte " + std::to_string(pos_)));
      rec = get_create(body);
      break;
    case static_cast<uint8_t>(RecordTag::kInput):
      rec = get_input(body, names);
      break;
    case static_cast<uint8_t>(RecordTag::kEffects):
      rec = get_effects(body, names);
      break;
    default:
      return fail(Status(Code::kUnknownType,
                         "record tag " + std::to_string(tag) + " at byte " + std::to_string(pos_)));
  }
  if (body.ok() && body.remaining() != 0)
    body.fail(Code::kTrailingBytes, "bytes after the record's content");
  if (!body.ok())
    return fail(body.status());
  pos_ = body.offset() + body.remaining();
  return std::optional<Record>(std::move(rec));
}

}  // namespace barrel::record
