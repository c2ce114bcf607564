// codec.cpp — encode / decode of Message frames (API in barrel/codec.h).
//
// The wire grammar (all integers big-endian; docs/wire.md says the same for
// humans, with the versioning policy):
//
//   frame          := header body
//   header         := version:u8 type:u8 body_len:u32            (kHeaderBytes = 6)
//   version        := 1                                           else kBadVersion
//   type           := 1..8 | 32..35 | 64..67 (MessageType)        else kUnknownType
//   body_len       := 0..limits::kFrameBodyBytesMax (1 MiB)       else kOversized
//   body           := body_len bytes, by type:
//     1 JOIN           := (empty)
//     2 FORWARD_JOIN   := joiner:node ttl:u8
//     3 JOIN_ACCEPT    := (empty)
//     4 NEIGHBOR       := high_priority:bool
//     5 NEIGHBOR_REPLY := accepted:bool
//     6 DISCONNECT     := leaving:bool
//     7 SHUFFLE        := origin:node ttl:u8 count:u8 node[count]
//     8 SHUFFLE_REPLY  := count:u8 node[count]
//    32 GOSSIP         := id:message_id origin:node round:u16 kind:u8 payload
//    33 IHAVE          := count:u8 entry[count]
//    34 GRAFT          := id:message_id round:u16
//    35 PRUNE          := (empty)
//    64 PROBE          := nonce:u64
//    65 PROBE_ACK      := nonce:u64 boot:u64 incarnation:u64
//    66 SYNC_DIGEST    := sync_body
//    67 SYNC_DELTA     := sync_body
//   kind           := 0..kBroadcastKindMax (2)                    else kMalformed
//   sync_body      := len:u32 byte[len]  (opaque here; core/src/sync/ decodes it)
//   len (sync)     := 0..limits::kSyncBodyBytesMax                else kOversized
//   message_id     := hi:u64 lo:u64
//   payload        := len:u32 byte[len]
//   len            := 0..limits::kBroadcastPayloadBytesMax (64 KiB) else kOversized
//   entry          := id:message_id origin:node round:u16
//   count (IHAVE)  := 0..limits::kIHaveEntriesMax (64)            else kOversized
//   bool           := u8 0 | 1                                    else kMalformed
//   ttl            := 0..limits::kWalkLengthMax (16)              else kMalformed
//   count (SHUFFLE):= 0..limits::kShuffleNodesMax (64)            else kOversized
//   node           := len:u8 (1..255) name[len]                   len 0: kMalformed
//   name           := bytes that validate_node_name() accepts     else kBadName
//
// The body must be exactly its content: bytes left over are kTrailingBytes;
// a body that ends inside its content is kMalformed (not kTruncated: the
// frame is whole, so waiting for more bytes would never help).
//
// Every frame has exactly one encoding (bools are 0|1, no padding, lengths
// exact), so decode followed by encode reproduces the input bytes; the fuzz
// target checks that.
//
// Decoding checks fields in byte order and stops at the first bad one. The
// header is checked as it arrives (a stream can reject a bad version or an
// oversized body_len without waiting for the body); the body is parsed only
// once all of it is present. Names are parsed as views into the input and
// interned only after the whole frame has validated, and only if the table
// has room for all of them, so a rejected frame never changes the NameTable.
#include "barrel/codec.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace barrel::wire {
namespace {

// The largest bodies: a full SHUFFLE of 255-byte names, a full IHAVE, a
// GOSSIP with the largest payload. All below the frame limit, so an encoded
// message is never oversized today.
constexpr size_t kNodeBytesMax = 1 + limits::kNodeNameBytesMax;
constexpr size_t kMessageIdBytes = 16;
constexpr size_t kShuffleBytesMax = kNodeBytesMax + 2 + limits::kShuffleNodesMax * kNodeBytesMax;
constexpr size_t kEntryBytesMax = kMessageIdBytes + kNodeBytesMax + 2;
constexpr size_t kIHaveBytesMax = 1 + limits::kIHaveEntriesMax * kEntryBytesMax;
constexpr size_t kGossipBytesMax = kEntryBytesMax + 1 + 4 + limits::kBroadcastPayloadBytesMax;
constexpr size_t kSyncBytesMax = 4 + limits::kSyncBodyBytesMax;
static_assert(kShuffleBytesMax <= limits::kFrameBodyBytesMax, "every message must fit a frame");
static_assert(kIHaveBytesMax <= limits::kFrameBodyBytesMax, "every message must fit a frame");
static_assert(kGossipBytesMax <= limits::kFrameBodyBytesMax, "every message must fit a frame");
static_assert(kSyncBytesMax <= limits::kFrameBodyBytesMax, "every message must fit a frame");
static_assert(limits::kFrameBodyBytesMax <= UINT32_MAX, "body_len is a u32");
static_assert(limits::kShuffleNodesMax <= UINT8_MAX, "count is a u8");
static_assert(limits::kIHaveEntriesMax <= UINT8_MAX, "IHAVE count is a u8");

bool is_known_type(uint8_t t) {
  switch (static_cast<MessageType>(t)) {
    case MessageType::kJoin:
    case MessageType::kForwardJoin:
    case MessageType::kJoinAccept:
    case MessageType::kNeighbor:
    case MessageType::kNeighborReply:
    case MessageType::kDisconnect:
    case MessageType::kShuffle:
    case MessageType::kShuffleReply:
    case MessageType::kGossip:
    case MessageType::kIHave:
    case MessageType::kGraft:
    case MessageType::kPrune:
    case MessageType::kProbe:
    case MessageType::kProbeAck:
    case MessageType::kSyncDigest:
    case MessageType::kSyncDelta:
      return true;
  }
  return false;
}

std::string str(MessageType t) {
  return std::string(to_string(t));
}

// `code` with "context: " before the message of `s`.
Status with_context(Code code, const std::string& context, const Status& s) {
  return {code, context + ": " + std::string(s.message())};
}

// --- Encoding ----------------------------------------------------------------

Status check_ttl(MessageType t, uint8_t ttl) {
  if (ttl <= limits::kWalkLengthMax)
    return Status::ok();
  return {Code::kMalformed, str(t) + ": ttl " + std::to_string(ttl) + " above " +
                                std::to_string(limits::kWalkLengthMax)};
}

Status check_count(MessageType t, size_t count) {
  if (count <= limits::kShuffleNodesMax)
    return Status::ok();
  return {Code::kOversized, str(t) + ": " + std::to_string(count) + " nodes, limit " +
                                std::to_string(limits::kShuffleNodesMax)};
}

// What decode() would reject, checked before a byte is written. Names need no
// check: a NameTable holds only names that validate.
template <typename M>
Status check(const M&) {
  return Status::ok();
}
Status check(const ForwardJoin& m) {
  return check_ttl(MessageType::kForwardJoin, m.ttl);
}
Status check(const Shuffle& m) {
  if (Status s = check_ttl(MessageType::kShuffle, m.ttl); !s.is_ok())
    return s;
  return check_count(MessageType::kShuffle, m.nodes.size());
}
Status check(const ShuffleReply& m) {
  return check_count(MessageType::kShuffleReply, m.nodes.size());
}

Status check_payload_len(size_t len) {
  if (len <= limits::kBroadcastPayloadBytesMax)
    return Status::ok();
  return {Code::kOversized, "GOSSIP: payload of " + std::to_string(len) + " bytes, limit " +
                                std::to_string(limits::kBroadcastPayloadBytesMax)};
}
Status check_entry_count(size_t count) {
  if (count <= limits::kIHaveEntriesMax)
    return Status::ok();
  return {Code::kOversized, "IHAVE: " + std::to_string(count) + " entries, limit " +
                                std::to_string(limits::kIHaveEntriesMax)};
}
Status check_sync_body_len(MessageType t, size_t len) {
  if (len <= limits::kSyncBodyBytesMax)
    return Status::ok();
  return {Code::kOversized, str(t) + ": body of " + std::to_string(len) + " bytes, limit " +
                                std::to_string(limits::kSyncBodyBytesMax)};
}
Status check_kind(uint8_t kind) {
  if (kind <= kBroadcastKindMax)
    return Status::ok();
  return {Code::kMalformed, "GOSSIP: kind " + std::to_string(kind) + " (0.." +
                                std::to_string(kBroadcastKindMax) + ")"};
}
Status check(const Gossip& m) {
  if (Status s = check_kind(static_cast<uint8_t>(m.kind)); !s.is_ok())
    return s;
  return check_payload_len(m.payload.size());
}
Status check(const SyncDigest& m) {
  return check_sync_body_len(MessageType::kSyncDigest, m.body.size());
}
Status check(const SyncDelta& m) {
  return check_sync_body_len(MessageType::kSyncDelta, m.body.size());
}
Status check(const IHave& m) {
  return check_entry_count(m.entries.size());
}

size_t nodes_size(const std::vector<NodeId>& nodes, const NameTable& names) {
  size_t n = 1;  // count
  for (NodeId id : nodes)
    n += Writer::node_name_size(names.name(id));
  return n;
}

// The one field of the messages whose body is a single bool.
bool flag_of(const Neighbor& m) {
  return m.high_priority;
}
bool flag_of(const NeighborReply& m) {
  return m.accepted;
}
bool flag_of(const Disconnect& m) {
  return m.leaving;
}
template <typename M>
concept FlagBody = requires(const M& m) {
  flag_of(m);
};

// Empty bodies and single bools; the messages with names have overloads.
template <typename M>
size_t body_size(const M&, const NameTable&) {
  static_assert(FlagBody<M> || std::is_empty_v<M>, "a message with fields needs its own body");
  return FlagBody<M> ? 1 : 0;
}
size_t body_size(const ForwardJoin& m, const NameTable& names) {
  return Writer::node_name_size(names.name(m.joiner)) + 1;
}
size_t body_size(const Shuffle& m, const NameTable& names) {
  return Writer::node_name_size(names.name(m.origin)) + 1 + nodes_size(m.nodes, names);
}
size_t body_size(const ShuffleReply& m, const NameTable& names) {
  return nodes_size(m.nodes, names);
}
size_t body_size(const Gossip& m, const NameTable& names) {
  return kMessageIdBytes + Writer::node_name_size(names.name(m.origin)) + 2 + 1 + 4 +
         m.payload.size();
}
size_t body_size(const Probe&, const NameTable&) {
  return 8;
}
size_t body_size(const ProbeAck&, const NameTable&) {
  return 24;
}
size_t body_size(const SyncDigest& m, const NameTable&) {
  return 4 + m.body.size();
}
size_t body_size(const SyncDelta& m, const NameTable&) {
  return 4 + m.body.size();
}
size_t body_size(const IHave& m, const NameTable& names) {
  size_t n = 1;  // count
  for (const IHaveEntry& e : m.entries)
    n += kMessageIdBytes + Writer::node_name_size(names.name(e.origin)) + 2;
  return n;
}
size_t body_size(const Graft&, const NameTable&) {
  return kMessageIdBytes + 2;
}

void write_nodes(const std::vector<NodeId>& nodes, const NameTable& names, Writer& w) {
  BARREL_ASSERT(nodes.size() <= limits::kShuffleNodesMax);
  w.u8(static_cast<uint8_t>(nodes.size()));
  for (NodeId id : nodes)
    w.node_name(names.name(id));
}

template <typename M>
void write_body(const M& m, const NameTable&, Writer& w) {
  static_assert(FlagBody<M> || std::is_empty_v<M>, "a message with fields needs its own body");
  if constexpr (FlagBody<M>)
    w.u8(flag_of(m) ? 1 : 0);
}
void write_body(const ForwardJoin& m, const NameTable& names, Writer& w) {
  BARREL_ASSERT(m.ttl <= limits::kWalkLengthMax);
  w.node_name(names.name(m.joiner));
  w.u8(m.ttl);
}
void write_body(const Shuffle& m, const NameTable& names, Writer& w) {
  BARREL_ASSERT(m.ttl <= limits::kWalkLengthMax);
  w.node_name(names.name(m.origin));
  w.u8(m.ttl);
  write_nodes(m.nodes, names, w);
}
void write_body(const ShuffleReply& m, const NameTable& names, Writer& w) {
  write_nodes(m.nodes, names, w);
}

void write_id(const MessageId& id, Writer& w) {
  w.u64(id.hi);
  w.u64(id.lo);
}
void write_body(const Gossip& m, const NameTable& names, Writer& w) {
  BARREL_ASSERT(m.payload.size() <= limits::kBroadcastPayloadBytesMax);
  write_id(m.id, w);
  w.node_name(names.name(m.origin));
  w.u16(m.round);
  w.u8(static_cast<uint8_t>(m.kind));
  w.u32(static_cast<uint32_t>(m.payload.size()));
  w.bytes(m.payload.bytes());
}
void write_body(const Probe& m, const NameTable&, Writer& w) {
  w.u64(m.nonce);
}
void write_body(const ProbeAck& m, const NameTable&, Writer& w) {
  w.u64(m.nonce);
  w.u64(m.boot);
  w.u64(m.incarnation);
}
void write_sync_body(const Payload& body, Writer& w) {
  BARREL_ASSERT(body.size() <= limits::kSyncBodyBytesMax);
  w.u32(static_cast<uint32_t>(body.size()));
  w.bytes(body.bytes());
}
void write_body(const SyncDigest& m, const NameTable&, Writer& w) {
  write_sync_body(m.body, w);
}
void write_body(const SyncDelta& m, const NameTable&, Writer& w) {
  write_sync_body(m.body, w);
}
void write_body(const IHave& m, const NameTable& names, Writer& w) {
  BARREL_ASSERT(m.entries.size() <= limits::kIHaveEntriesMax);
  w.u8(static_cast<uint8_t>(m.entries.size()));
  for (const IHaveEntry& e : m.entries) {
    write_id(e.id, w);
    w.node_name(names.name(e.origin));
    w.u16(e.round);
  }
}
void write_body(const Graft& m, const NameTable&, Writer& w) {
  write_id(m.id, w);
  w.u16(m.round);
}

// --- Decoding ----------------------------------------------------------------

// A body that validated. Its names are views into the input, in frame order
// (the joiner or origin first, then the listed nodes); resolve_names() adds
// the handle each already has in the table (invalid if new).
//
// Plumtree: GOSSIP and GRAFT use entry 0 of msg_ids and rounds; an IHAVE
// entry i is (msg_ids[i], names[i], rounds[i]). The payload is a view too.
struct Parsed {
  MessageType type = MessageType::kJoin;
  bool flag = false;  // NEIGHBOR, NEIGHBOR_REPLY, DISCONNECT
  uint8_t ttl = 0;    // FORWARD_JOIN, SHUFFLE
  size_t name_count = 0;
  std::array<std::string_view, 1 + limits::kShuffleNodesMax> names;
  std::array<NodeId, 1 + limits::kShuffleNodesMax> ids;
  size_t entry_count = 0;  // GOSSIP, GRAFT: 1; IHAVE: count
  std::array<MessageId, limits::kIHaveEntriesMax> msg_ids;
  std::array<uint16_t, limits::kIHaveEntriesMax> rounds;
  uint8_t kind = 0;                  // GOSSIP
  std::span<const uint8_t> payload;  // GOSSIP; SYNC_DIGEST and SYNC_DELTA: the body
  std::array<uint64_t, 3> words{};   // PROBE: nonce; PROBE_ACK: nonce, boot, incarnation
};
static_assert(limits::kIHaveEntriesMax <= 1 + limits::kShuffleNodesMax,
              "IHAVE origins fit Parsed::names");

bool has_head(MessageType t) {
  return t == MessageType::kForwardJoin || t == MessageType::kShuffle;
}

// A read error inside a whole body: running out of bytes there means the
// body is shorter than its content (kMalformed), not that more should come.
// `where` names the field; it is only called on this error path, so a good
// frame builds no strings.
template <typename Where>
Status body_error(Where where, const Status& s) {
  if (s.code() == Code::kTruncated)
    return with_context(Code::kMalformed, where() + ": body ends early", s);
  return with_context(s.code(), where(), s);
}

Status parse_bool(Reader& r, MessageType t, const char* field, bool* out) {
  auto where = [&] { return str(t) + ": " + field; };
  Result<uint8_t> b = r.u8();
  if (!b.is_ok())
    return body_error(where, b.status());
  if (*b > 1)
    return {Code::kMalformed, where() + ": bool byte " + std::to_string(*b) + " (0 or 1)"};
  *out = *b == 1;
  return Status::ok();
}

Status parse_ttl(Reader& r, MessageType t, uint8_t* out) {
  Result<uint8_t> b = r.u8();
  if (!b.is_ok())
    return body_error([&] { return str(t) + ": ttl"; }, b.status());
  *out = *b;
  return check_ttl(t, *out);
}

template <typename Where>
Status parse_name(Reader& r, Where where, Parsed* p) {
  Result<std::string_view> name = r.node_name();
  if (!name.is_ok())
    return body_error(where, name.status());
  BARREL_ASSERT(p->name_count < p->names.size());
  p->names[p->name_count++] = *name;
  return Status::ok();
}

Status parse_nodes(Reader& r, Parsed* p) {
  const MessageType t = p->type;
  Result<uint8_t> count = r.u8();
  if (!count.is_ok())
    return body_error([&] { return str(t) + ": count"; }, count.status());
  if (Status s = check_count(t, *count); !s.is_ok())
    return s;
  for (size_t i = 0; i < *count; ++i) {
    auto where = [&] {
      return str(t) + ": node " + std::to_string(i + 1) + " of " + std::to_string(*count);
    };
    if (Status s = parse_name(r, where, p); !s.is_ok())
      return s;
  }
  return Status::ok();
}

// One (id, origin?, round) group at entry `i` of *p: GOSSIP and IHAVE
// entries carry an origin, GRAFT does not.
template <typename Where>
Status parse_entry(Reader& r, Where where, bool with_origin, size_t i, Parsed* p) {
  BARREL_ASSERT(i < p->msg_ids.size());
  Result<uint64_t> hi = r.u64();
  if (!hi.is_ok())
    return body_error([&] { return where() + ": id"; }, hi.status());
  Result<uint64_t> lo = r.u64();
  if (!lo.is_ok())
    return body_error([&] { return where() + ": id"; }, lo.status());
  p->msg_ids[i] = MessageId{*hi, *lo};
  if (with_origin) {
    if (Status s = parse_name(
            r, [&] { return where() + ": origin"; }, p);
        !s.is_ok())
      return s;
  }
  Result<uint16_t> round = r.u16();
  if (!round.is_ok())
    return body_error([&] { return where() + ": round"; }, round.status());
  p->rounds[i] = *round;
  p->entry_count = i + 1;
  return Status::ok();
}

Status parse_gossip(Reader& r, Parsed* p) {
  auto where = [] { return std::string("GOSSIP"); };
  if (Status s = parse_entry(r, where, true, 0, p); !s.is_ok())
    return s;
  Result<uint8_t> kind = r.u8();
  if (!kind.is_ok())
    return body_error([] { return std::string("GOSSIP: kind"); }, kind.status());
  if (Status s = check_kind(*kind); !s.is_ok())
    return s;
  p->kind = *kind;
  Result<uint32_t> len = r.u32();
  if (!len.is_ok())
    return body_error([] { return std::string("GOSSIP: payload length"); }, len.status());
  if (Status s = check_payload_len(*len); !s.is_ok())
    return s;
  Result<std::span<const uint8_t>> bytes = r.bytes(*len);
  if (!bytes.is_ok())
    return body_error([] { return std::string("GOSSIP: payload"); }, bytes.status());
  p->payload = *bytes;
  return Status::ok();
}

Status parse_words(Reader& r, size_t count, Parsed* p) {
  BARREL_ASSERT(count <= p->words.size());
  static constexpr const char* kProbeAckFields[] = {"nonce", "boot", "incarnation"};
  for (size_t i = 0; i < count; ++i) {
    Result<uint64_t> v = r.u64();
    if (!v.is_ok())
      return body_error([&] { return str(p->type) + ": " + kProbeAckFields[i]; }, v.status());
    p->words[i] = *v;
  }
  return Status::ok();
}

Status parse_sync_body(Reader& r, Parsed* p) {
  const MessageType t = p->type;
  Result<uint32_t> len = r.u32();
  if (!len.is_ok())
    return body_error([&] { return str(t) + ": body length"; }, len.status());
  if (Status s = check_sync_body_len(t, *len); !s.is_ok())
    return s;
  Result<std::span<const uint8_t>> bytes = r.bytes(*len);
  if (!bytes.is_ok())
    return body_error([&] { return str(t) + ": body"; }, bytes.status());
  p->payload = *bytes;
  return Status::ok();
}

Status parse_ihave(Reader& r, Parsed* p) {
  Result<uint8_t> count = r.u8();
  if (!count.is_ok())
    return body_error([] { return std::string("IHAVE: count"); }, count.status());
  if (Status s = check_entry_count(*count); !s.is_ok())
    return s;
  for (size_t i = 0; i < *count; ++i) {
    auto where = [&] {
      return "IHAVE: entry " + std::to_string(i + 1) + " of " + std::to_string(*count);
    };
    if (Status s = parse_entry(r, where, true, i, p); !s.is_ok())
      return s;
  }
  BARREL_ASSERT(p->entry_count == *count);
  return Status::ok();
}

// Parses the body that follows the header in `r` (which ends at the frame's
// end) into *p. Checks everything except whether the table has room.
Status parse_body(Reader& r, Parsed* p) {
  const MessageType t = p->type;
  switch (t) {
    case MessageType::kJoin:
    case MessageType::kJoinAccept:
      return Status::ok();
    case MessageType::kForwardJoin:
      if (Status s = parse_name(
              r, [&] { return str(t) + ": joiner"; }, p);
          !s.is_ok())
        return s;
      return parse_ttl(r, t, &p->ttl);
    case MessageType::kNeighbor:
      return parse_bool(r, t, "high_priority", &p->flag);
    case MessageType::kNeighborReply:
      return parse_bool(r, t, "accepted", &p->flag);
    case MessageType::kDisconnect:
      return parse_bool(r, t, "leaving", &p->flag);
    case MessageType::kShuffle:
      if (Status s = parse_name(
              r, [&] { return str(t) + ": origin"; }, p);
          !s.is_ok())
        return s;
      if (Status s = parse_ttl(r, t, &p->ttl); !s.is_ok())
        return s;
      return parse_nodes(r, p);
    case MessageType::kShuffleReply:
      return parse_nodes(r, p);
    case MessageType::kGossip:
      return parse_gossip(r, p);
    case MessageType::kIHave:
      return parse_ihave(r, p);
    case MessageType::kGraft:
      return parse_entry(
          r, [] { return std::string("GRAFT"); }, false, 0, p);
    case MessageType::kPrune:
      return Status::ok();
    case MessageType::kProbe:
      return parse_words(r, 1, p);
    case MessageType::kProbeAck:
      return parse_words(r, 3, p);
    case MessageType::kSyncDigest:
    case MessageType::kSyncDelta:
      return parse_sync_body(r, p);
  }
  BARREL_ASSERT(false && "type was checked by is_known_type");
  return Status::ok();
}

// Looks each name up once (a running node knows most of them); returns how
// many distinct names the table does not hold yet.
size_t resolve_names(Parsed* p, const NameTable& names) {
  size_t fresh = 0;
  for (size_t i = 0; i < p->name_count; ++i) {
    p->ids[i] = names.find(p->names[i]);
    if (p->ids[i].valid())
      continue;
    bool repeat = false;
    for (size_t j = 0; j < i && !repeat; ++j)
      repeat = !p->ids[j].valid() && p->names[j] == p->names[i];
    fresh += repeat ? 0 : 1;
  }
  BARREL_ASSERT(fresh <= p->name_count);
  return fresh;
}

// OK if the table has room for every name of `p` it does not hold yet, so
// that interning them cannot fail halfway through a frame.
Status check_room(Parsed* p, const NameTable& names) {
  const size_t fresh = resolve_names(p, names);
  if (fresh <= names.names_max() - names.size())
    return Status::ok();
  return Status::limit_exceeded(str(p->type) + ": name table full (" +
                                std::to_string(names.size()) + " of " +
                                std::to_string(names.names_max()) + " names, frame brings " +
                                std::to_string(fresh) + " new)");
}

// The handle of name i, interning it if new.
// REQUIRES: check_room() was OK (the name validated and there is room).
NodeId id_of(const Parsed& p, size_t i, NameTable& names) {
  BARREL_ASSERT(i < p.name_count);
  if (p.ids[i].valid())
    return p.ids[i];
  Result<NodeId> id = names.intern(p.names[i]);
  BARREL_ASSERT(id.is_ok());
  return *id;
}

// The handles of the listed nodes: every name after the head, if any.
std::vector<NodeId> list_ids(const Parsed& p, NameTable& names) {
  const size_t first = has_head(p.type) ? 1 : 0;
  BARREL_ASSERT(first <= p.name_count);
  std::vector<NodeId> ids;
  ids.reserve(p.name_count - first);
  for (size_t i = first; i < p.name_count; ++i)
    ids.push_back(id_of(p, i, names));
  return ids;
}

// Interns the names of a validated body and builds the Message into *out.
// REQUIRES: check_room(p, names) was OK.
// (Built in place with emplace: g++ 12 warns falsely, -Wmaybe-uninitialized,
// on moving a Message temporary into a Result under the sanitizers.)
void build(const Parsed& p, NameTable& names, Message* out) {
  switch (p.type) {
    case MessageType::kJoin:
      out->emplace<Join>();
      return;
    case MessageType::kForwardJoin:
      out->emplace<ForwardJoin>(ForwardJoin{id_of(p, 0, names), p.ttl});
      return;
    case MessageType::kJoinAccept:
      out->emplace<JoinAccept>();
      return;
    case MessageType::kNeighbor:
      out->emplace<Neighbor>(Neighbor{p.flag});
      return;
    case MessageType::kNeighborReply:
      out->emplace<NeighborReply>(NeighborReply{p.flag});
      return;
    case MessageType::kDisconnect:
      out->emplace<Disconnect>(Disconnect{p.flag});
      return;
    case MessageType::kShuffle: {
      const NodeId origin = id_of(p, 0, names);
      out->emplace<Shuffle>(Shuffle{origin, p.ttl, list_ids(p, names)});
      return;
    }
    case MessageType::kShuffleReply:
      out->emplace<ShuffleReply>(ShuffleReply{list_ids(p, names)});
      return;
    case MessageType::kGossip: {
      Gossip& g = out->emplace<Gossip>();
      g.id = p.msg_ids[0];
      g.origin = id_of(p, 0, names);
      g.round = p.rounds[0];
      g.kind = static_cast<BroadcastKind>(p.kind);
      g.payload = Payload(std::vector<uint8_t>(p.payload.begin(), p.payload.end()));
      return;
    }
    case MessageType::kIHave: {
      IHave& ih = out->emplace<IHave>();
      ih.entries.reserve(p.entry_count);
      for (size_t i = 0; i < p.entry_count; ++i)
        ih.entries.push_back(IHaveEntry{p.msg_ids[i], id_of(p, i, names), p.rounds[i]});
      return;
    }
    case MessageType::kGraft:
      out->emplace<Graft>(Graft{p.msg_ids[0], p.rounds[0]});
      return;
    case MessageType::kPrune:
      out->emplace<Prune>();
      return;
    case MessageType::kProbe:
      out->emplace<Probe>(Probe{p.words[0]});
      return;
    case MessageType::kProbeAck:
      out->emplace<ProbeAck>(ProbeAck{p.words[0], p.words[1], p.words[2]});
      return;
    case MessageType::kSyncDigest:
      out->emplace<SyncDigest>().body =
          Payload(std::vector<uint8_t>(p.payload.begin(), p.payload.end()));
      return;
    case MessageType::kSyncDelta:
      out->emplace<SyncDelta>().body =
          Payload(std::vector<uint8_t>(p.payload.begin(), p.payload.end()));
      return;
  }
  BARREL_ASSERT(false && "type was checked by is_known_type");
}

struct Header {
  MessageType type = MessageType::kJoin;
  size_t body_len = 0;
};

// Reads and checks the header, field by field as the bytes allow.
Result<Header> parse_header(Reader& r) {
  Result<uint8_t> version = r.u8();
  if (!version.is_ok())
    return with_context(Code::kTruncated, "header: version", version.status());
  if (*version != kProtocolVersion) {
    return Status(Code::kBadVersion, "header: version " + std::to_string(*version) +
                                         ", this codec speaks " + std::to_string(kProtocolVersion));
  }
  Result<uint8_t> type = r.u8();
  if (!type.is_ok())
    return with_context(Code::kTruncated, "header: type", type.status());
  if (!is_known_type(*type))
    return Status(Code::kUnknownType, "header: type " + std::to_string(*type));
  Result<uint32_t> body_len = r.u32();
  if (!body_len.is_ok())
    return with_context(Code::kTruncated, "header: body_len", body_len.status());
  if (*body_len > limits::kFrameBodyBytesMax) {
    return Status(Code::kOversized, "header: body_len " + std::to_string(*body_len) + " above " +
                                        std::to_string(limits::kFrameBodyBytesMax));
  }
  BARREL_ASSERT(r.offset() == kHeaderBytes);
  return Header{static_cast<MessageType>(*type), *body_len};
}

}  // namespace

size_t encoded_size(const Message& msg, const NameTable& names) {
  // The frame layout's size; for a message encode() rejects (a TTL or a list
  // out of its domain) that is what it would have been, not the 0 appended.
  return kHeaderBytes + std::visit([&](const auto& m) { return body_size(m, names); }, msg);
}

Status encode(const Message& msg, const NameTable& names, std::vector<uint8_t>* out) {
  BARREL_ASSERT(out != nullptr);
  if (Status s = std::visit([](const auto& m) { return check(m); }, msg); !s.is_ok())
    return s;
  const size_t body = std::visit([&](const auto& m) { return body_size(m, names); }, msg);
  if (body > limits::kFrameBodyBytesMax) {
    return {Code::kOversized, str(message_type(msg)) + ": body of " + std::to_string(body) +
                                  " bytes above " + std::to_string(limits::kFrameBodyBytesMax)};
  }
  // Grow geometrically, not to the exact size: callers append many frames.
  if (out->capacity() - out->size() < kHeaderBytes + body)
    out->reserve(std::max(out->size() + kHeaderBytes + body, 2 * out->capacity()));
  Writer w(out);
  w.u8(kProtocolVersion);
  w.u8(static_cast<uint8_t>(message_type(msg)));
  w.u32(static_cast<uint32_t>(body));
  std::visit([&](const auto& m) { write_body(m, names, w); }, msg);
  BARREL_ASSERT(w.written() == kHeaderBytes + body);
  return Status::ok();
}

Result<Decoded> decode(std::span<const uint8_t> in, NameTable& names) {
  Reader header_reader(in);
  Result<Header> header = parse_header(header_reader);
  if (!header.is_ok())
    return header.status();
  if (header_reader.remaining() < header->body_len) {
    return Status(Code::kTruncated,
                  str(header->type) + ": body_len " + std::to_string(header->body_len) + ", " +
                      std::to_string(header_reader.remaining()) + " body bytes present");
  }
  const size_t frame_bytes = kHeaderBytes + header->body_len;
  // The body reader ends where the frame ends and keeps frame offsets.
  Reader r(in.first(frame_bytes));
  const bool header_skipped = r.bytes(kHeaderBytes).is_ok();
  BARREL_ASSERT(header_skipped);
  Parsed parsed;
  parsed.type = header->type;
  if (Status s = parse_body(r, &parsed); !s.is_ok())
    return s;
  if (!r.empty()) {
    return Status(Code::kTrailingBytes, str(parsed.type) + ": " + std::to_string(r.remaining()) +
                                            " bytes after the content (body_len " +
                                            std::to_string(header->body_len) + ")");
  }
  if (Status s = check_room(&parsed, names); !s.is_ok())
    return s;
  Result<Decoded> out = Decoded{};
  build(parsed, names, &out->message);
  out->frame_bytes = frame_bytes;
  BARREL_ASSERT(message_type(out->message) == parsed.type);
  return out;
}

}  // namespace barrel::wire
