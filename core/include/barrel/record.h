// record.h — a recording of one Node's life: its creation, every input it
// received (with its time) and the effects each input produced.
//
// The Node is deterministic (node.h): the same creation and the same inputs
// give the same effects. So a host that records them (the runtime, with
// RuntimeConfig::record_path) lets the simulator replay that node's decisions
// exactly (sim/include/barrel/sim/replay.h) and name the first effect that
// differs. Names are recorded, never NodeIds: a NodeId's value depends on the
// order in which a process met a name (ids.h), and the replaying process
// meets them in another order.
//
// Format (all integers big-endian), version 1:
//
//   file     := magic "BRREC" version:u8 record*
//   record   := tag:u8 body_len:u32 body[body_len]     body_len <= kRecordBodyBytesMax
//   tag 1 CREATE   := config self:str seed:u64 now:u64 boot_wall_us:u64 names_max:u64
//   tag 2 INPUT    := kind:u8 now:u64 args            (args by kind, record_writer.cpp)
//   tag 3 EFFECTS  := count:u32 effect[count]         the effects of the INPUT before it
//   str      := len:u32 bytes[len]
//   effect   := 1 Send to:str frame | 2 OpenLink peer:str | 3 CloseLink peer:str
//             | 4 Emit event                           frame: the wire codec's (codec.h)
//
// CREATE comes first and once; then INPUT, EFFECTS pairs. A recording cut
// short (a crash) may end after an INPUT, or inside a record: the reader
// reports the latter as kTruncated at its offset.
//
// The core does no I/O: Writer appends to a byte buffer the host writes out.
// Reader is total: every length is checked against the bytes present and
// kRecordBodyBytesMax before anything is allocated, and every error names the
// byte offset where the file went wrong.
//
// Thread-safety: plain values; the NameTable rule of ids.h applies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "barrel/config.h"
#include "barrel/effect.h"
#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/node.h"
#include "barrel/result.h"
#include "barrel/service.h"
#include "barrel/status.h"
#include "barrel/time.h"

namespace barrel::record {

inline constexpr std::string_view kMagic = "BRREC";
inline constexpr uint8_t kVersion = 1;
inline constexpr size_t kHeaderBytes = 6;  // magic + version
// Largest record body; a broadcast payload or a frame is far smaller. Bounds
// what a corrupt length can make the reader (or the writer) allocate.
inline constexpr size_t kRecordBodyBytesMax = 16 * 1024 * 1024;

enum class RecordTag : uint8_t { kCreate = 1, kInput = 2, kEffects = 3 };

// Node::create()'s arguments, with the name table's bound.
struct Create {
  NodeConfig config = {};
  std::string self = {};
  uint64_t seed = 0;
  Instant now = {};
  uint64_t boot_wall_us = 0;
  uint64_t names_max = 0;
};

// One input of node.h. Its value on the wire is recorded; never renumber.
enum class InputKind : uint8_t {
  kJoin = 1,               // peer: the contact
  kLeave = 2,              //
  kBroadcast = 3,          // payload
  kRegisterService = 4,    // service, endpoint, metadata
  kUnregisterService = 5,  // service
  kCloseEndpoint = 6,      // endpoint
  kDeliver = 7,            // peer: the sender; msg
  kLinkDown = 8,           // peer
  kLinkFailed = 9,         // peer
  kTimers = 10,            // handle_timers
};
inline constexpr uint8_t kInputKindMax = 10;
std::string_view to_string(InputKind k);

// One input with its arguments; fields a kind does not use stay default.
// NodeIds are handles of the NameTable the Writer or Reader was given.
struct Input {
  // `= {}` everywhere: hosts build Inputs with designated initializers.
  InputKind kind = InputKind::kTimers;
  Instant now = {};
  NodeId peer = {};
  Message msg = {};
  std::vector<uint8_t> payload = {};
  std::string service = {};
  EndpointId endpoint = 0;
  Metadata metadata = {};
};

// Feeds `in` to `node` (the one mapping from an Input to a Node call).
// Returns the Node's answer (OK for the inputs that return nothing).
Status apply(Node& node, const Input& in);

// One line for a human: "deliver from b@h: GOSSIP ...", "Send to b@h: JOIN".
std::string describe(const Input& in, const NameTable& names);
std::string describe(const Effect& e, const NameTable& names);

using Record = std::variant<Create, Input, std::vector<Effect>>;

// Appends records to bytes(); the host moves them to its file.
class Writer {
 public:
  // REQUIRES: `names` outlives the writer; every NodeId given is its handle.
  explicit Writer(const NameTable& names) : names_(names) {}

  // The header and the CREATE record: first, and once.
  Status create(const Create& c);
  // On error (a record above kRecordBodyBytesMax, a message the codec
  // refuses) nothing is appended.
  Status input(const Input& in);
  Status effects(std::span<const Effect> effects);

  // The bytes appended so far and not yet taken.
  const std::vector<uint8_t>& bytes() const { return out_; }
  // Hands the bytes over, leaving the buffer empty (bounded memory).
  std::vector<uint8_t> take();

 private:
  Status append(RecordTag tag, const std::vector<uint8_t>& body);
  const NameTable& names_;
  std::vector<uint8_t> out_;
  bool created_ = false;
};

// Reads a whole recording from memory.
class Reader {
 public:
  // REQUIRES: `bytes` outlives the reader.
  explicit Reader(std::span<const uint8_t> bytes) : in_(bytes) {}

  // The next record, or nullopt at the end of the bytes. Names in it are
  // interned in `names`. Errors (kTruncated, kBadVersion, kMalformed,
  // kOversized, kUnknownType, kBadName, kTrailingBytes, kLimitExceeded, or the
  // wire codec's) say "at byte N"; after an error the reader stays failed.
  Result<std::optional<Record>> next(NameTable& names);

  // The offset of the next record, or of the error once failed.
  size_t offset() const { return pos_; }

 private:
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
  bool header_read_ = false;
  std::optional<Status> failed_;
};

}  // namespace barrel::record
