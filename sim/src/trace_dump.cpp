// trace_dump.cpp — barrel-sim --trace-dump: a trace file (format in
// trace_log.h) as lines a person reads. The file is input: anything malformed
// is a returned Status naming the byte offset, never an assert.
#include <cinttypes>
#include <cstdio>
#include <string>

#include "barrel/message.h"
#include "barrel/sim/trace_log.h"
#include "trace_text.h"

namespace barrel::sim {
namespace {

// Reads `in` through a buffer, counting the offset for error messages.
class Reader {
 public:
  explicit Reader(std::FILE* in) : in_(in) {}

  // False at the end of the file.
  bool u8(uint8_t* out) {
    if (at_ == size_) {
      size_ = std::fread(buf_, 1, sizeof buf_, in_);
      at_ = 0;
      if (size_ == 0)
        return false;
    }
    *out = buf_[at_++];
    offset_ += 1;
    return true;
  }
  bool varint(uint64_t* out) {
    uint64_t v = 0;
    // Bounded: at most 10 bytes of 7 bits.
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = 0;
      if (!u8(&b))
        return false;
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        *out = v;
        return shift < 63 || b <= 1;
      }
    }
    return false;
  }
  bool fixed(int bytes, uint64_t* out) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) {
      uint8_t b = 0;
      if (!u8(&b))
        return false;
      v |= static_cast<uint64_t>(b) << (8 * i);
    }
    *out = v;
    return true;
  }
  bool string(size_t max, std::string* out) {
    uint64_t n = 0;
    if (!varint(&n) || n > max)
      return false;
    out->clear();
    for (uint64_t k = 0; k < n; ++k) {
      uint8_t c = 0;
      if (!u8(&c))
        return false;
      out->push_back(static_cast<char>(c));
    }
    return true;
  }
  uint64_t offset() const { return offset_; }

 private:
  std::FILE* in_;
  uint8_t buf_[1 << 16];
  size_t size_ = 0, at_ = 0;
  uint64_t offset_ = 0;
};

Status malformed(const Reader& r, const char* what) {
  return Status(Code::kMalformed,
                "malformed trace at byte " + std::to_string(r.offset()) + ": " + what);
}

struct Header {
  uint64_t seed = 0;
  uint64_t nodes = 0;
  std::string pattern, name;
};

// Names longer than this are not from a scenario.
constexpr size_t kNameBytesMax = 4096;

Status read_header(Reader& r, Header* h) {
  std::string magic;
  for (int k = 0; k < 8; ++k) {
    uint8_t c = 0;
    if (!r.u8(&c))
      return malformed(r, "shorter than its header");
    magic.push_back(static_cast<char>(c));
  }
  if (magic != "BRLTRACE")
    return Status(Code::kInvalidArgument, "not a barrel-sim trace (no BRLTRACE magic)");
  uint64_t version = 0;
  if (!r.fixed(2, &version))
    return malformed(r, "no version");
  if (version != kTraceVersion)
    return Status(Code::kBadVersion, "trace version " + std::to_string(version) +
                                         " (this barrel-sim reads version " +
                                         std::to_string(kTraceVersion) + ")");
  if (!r.fixed(8, &h->seed) || !r.varint(&h->nodes) || h->nodes > UINT32_MAX ||
      !r.string(kNameBytesMax, &h->pattern) || !r.string(kNameBytesMax, &h->name))
    return malformed(r, "bad header");
  return Status::ok();
}

struct Record {
  uint8_t kind = 0;
  uint64_t time_us = 0;
  uint64_t node = kNoNode, peer = kNoNode, aux = 0, aux2 = 0;
  uint8_t type = 0;
  uint64_t bytes = 0;
};

// One record after its tag; the fields are checked against the header.
Status read_record(Reader& r, uint8_t tag, const Header& h, Record* rec) {
  rec->kind = tag & 0x1f;
  if (rec->kind == 0 || rec->kind > kObservedKindMax)
    return malformed(r, "unknown record kind");
  uint64_t delta = 0;
  if ((tag & 0x80) != 0 && (!r.varint(&delta) || delta > UINT64_MAX - rec->time_us))
    return malformed(r, "bad time");
  rec->time_us += delta;
  uint64_t node_1 = 0;  // the node plus one; 0: none
  if (!r.varint(&node_1) || node_1 > h.nodes)
    return malformed(r, "bad node index");
  rec->node = node_1 == 0 ? kNoNode : node_1 - 1;
  rec->peer = kNoNode;
  rec->aux = rec->aux2 = 0;
  if ((tag & 0x40) != 0 && (!r.varint(&rec->peer) || rec->peer >= h.nodes))
    return malformed(r, "bad peer index");
  if ((tag & 0x20) != 0 && (!r.varint(&rec->aux) || !r.varint(&rec->aux2)))
    return malformed(r, "bad aux");
  if (rec->kind == static_cast<uint8_t>(ObservedKind::kDeliver) &&
      (!r.u8(&rec->type) || !r.varint(&rec->bytes)))
    return malformed(r, "bad message");
  return Status::ok();
}

std::string record_line(const Record& rec, const Header& h) {
  const auto kind = static_cast<ObservedKind>(rec.kind);
  std::string line = trace_time(Instant::from_us(rec.time_us)) + "  ";
  std::string name(to_string(kind));
  if (name.empty())
    name = "kind" + std::to_string(rec.kind);  // named by a newer barrel-sim
  name.resize(std::max<size_t>(name.size() + 1, 12), ' ');
  line += name;
  const auto node = [&h](uint64_t i) { return trace_node(h.pattern, static_cast<uint32_t>(i)); };
  if (kind == ObservedKind::kDeliver) {
    line += node(rec.node) + " <- " + node(rec.peer) + "  " +
            std::string(to_string(static_cast<MessageType>(rec.type))) + " " +
            std::to_string(rec.bytes) + "B";
    return line;
  }
  if (rec.node != kNoNode)
    line += node(rec.node);
  if (rec.peer != kNoNode)
    line += (kind == ObservedKind::kJoin ? " via " : " -> ") + node(rec.peer);
  if (kind == ObservedKind::kStep)
    line += "#" + std::to_string(rec.aux) + " (repetition " + std::to_string(rec.aux2) + ")";
  else if (kind == ObservedKind::kExpect || kind == ObservedKind::kWindow)
    line += "#" + std::to_string(rec.aux) + (rec.aux2 != 0 ? " (settling)" : "");
  else if (kind == ObservedKind::kLinkDown && rec.aux != 0)
    line += " (partition " + std::to_string(rec.aux) + ")";
  else if (to_string(kind).empty() && (rec.aux != 0 || rec.aux2 != 0))
    line += std::string(rec.node != kNoNode ? " " : "") + "aux " + std::to_string(rec.aux) + "/" +
            std::to_string(rec.aux2);
  return line;
}

}  // namespace

Status dump_trace(std::FILE* in, std::FILE* out, std::string_view node) {
  Reader r(in);
  Header h;
  if (Status s = read_header(r, &h); !s.is_ok())
    return s;
  std::fprintf(out,
               "# barrel-sim trace v%u: scenario %s, seed %" PRIu64 ", %" PRIu64 " nodes (%s)\n",
               kTraceVersion, h.name.c_str(), h.seed, h.nodes, h.pattern.c_str());
  uint64_t only = kNoNode;
  if (!node.empty()) {
    only = trace_node_index(h.pattern, static_cast<uint32_t>(h.nodes), node);
    if (only == kNoNode)
      return Status(Code::kInvalidArgument, "no node '" + std::string(node) + "' in this trace");
  }
  Record rec;
  uint64_t records = 0;
  // Bounded by the file's size: each iteration consumes at least one byte.
  for (uint8_t tag = 0; r.u8(&tag);) {
    if (tag == 0) {
      uint64_t events = 0, written = 0, hash = 0, passed = 0;
      if (!r.varint(&events) || !r.varint(&written) || !r.fixed(8, &hash) || !r.fixed(1, &passed))
        return malformed(r, "bad trailer");
      if (written != records || written > events)
        return malformed(r, "the trailer's count does not match the records");
      std::fprintf(out, "# end: %" PRIu64 " events, trace hash 0x%016" PRIx64 ", %s\n", events,
                   hash, passed != 0 ? "PASS" : "FAIL");
      if (written < events)
        std::fprintf(out,
                     "# TRUNCATED: only the first %" PRIu64 " of %" PRIu64
                     " events are in this file (the run's --trace-max cap)\n",
                     written, events);
      uint8_t extra = 0;
      return r.u8(&extra) ? malformed(r, "bytes after the trailer") : Status::ok();
    }
    if (Status s = read_record(r, tag, h, &rec); !s.is_ok())
      return s;
    records += 1;
    if (only == kNoNode || rec.node == only || rec.peer == only)
      std::fprintf(out, "%s\n", record_line(rec, h).c_str());
  }
  std::fprintf(out, "# no trailer: the run did not finish (%" PRIu64 " records)\n", records);
  return Status::ok();
}

}  // namespace barrel::sim
