// trace_log.h — barrel-sim --trace FILE: a compact log of every processed
// event of a run (time, kind, node, peer, message type and size), and its
// decoder (barrel-sim --trace-dump FILE).
//
// Why binary and not lines: a 1,000-node run processes millions of events,
// most of them message deliveries. As a text line a delivery costs ~60 bytes
// and a printf; as a record below it costs ~8 bytes (a tag byte, varint time
// delta, node, peer, type byte, varint size) and no formatting, so a trace is
// cheap enough to leave on while hunting a bug, and --trace-dump prints it
// as lines when a person wants to read it. The encoding holds only virtual
// quantities (no wall clock, no address), so the same scenario and seed give
// a byte-identical file, in a single run or under --seeds.
//
// Format, version 1. Integers are unsigned LEB128 varints unless said:
//   header   "BRLTRACE" (8 bytes), version (u16 little-endian), seed (u64
//            little-endian), node count, name pattern and scenario name (each
//            a varint length then its bytes)
//   record   tag (u8): the kind (1..kObservedKindMax, observer.h, 5 bits) |
//            0x20 aux | 0x40 peer | 0x80 time advanced; then the time since
//            the previous record (us) when it advanced; the node plus one (0:
//            no node); when flagged, the peer (a 0-based index), aux and aux2;
//            a delivery then carries its message type (u8, the wire type
//            byte) and its size on the wire (bytes)
//   trailer  tag 0x00, events processed, events written, trace hash (u64
//            little-endian), verdict (u8: 1 passed, 0 failed)
// A file without a trailer comes from a run that did not finish.
//
// Bound: records stop at bytes_max bytes (header included); the trailer (at
// most kTrailerBytesMax more) still goes, saying how many events were left
// out, and note() says so for the person running it.
//
// Thread-safety: one TraceLog per run (a --seeds worker has its own).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/sim/observer.h"
#include "barrel/status.h"

namespace barrel::sim {

inline constexpr uint64_t kTraceBytesMaxDefault = 256ull << 20;
inline constexpr uint16_t kTraceVersion = 1;

class TraceLog final : public RunObserver {
 public:
  static constexpr size_t kTrailerBytesMax = 1 + 10 + 10 + 8 + 1;

  // Writes to `file` (not owned, opened for binary writing; the caller closes
  // it after the run) at most `bytes_max` bytes of header and records.
  TraceLog(std::FILE* file, uint64_t bytes_max);

  void on_start(const Scenario& scenario) override;
  void on_event(const ObservedEvent& e) override;
  void on_end(const RunReport& report) override;

  bool write_failed() const { return write_failed_; }
  bool truncated() const { return truncated_; }
  uint64_t bytes_written() const { return bytes_; }
  uint64_t events_written() const { return written_; }
  // Empty unless the cap was reached; then what is missing and what to do.
  std::string note() const;

 private:
  void put_varint(uint64_t v);
  void put_fixed(uint64_t v, int bytes);
  void put_string(std::string_view s);
  // Writes the record in scratch_ to buf_ unless it passes the cap.
  void commit_record(Instant time);
  void flush();

  std::FILE* const file_;
  const uint64_t bytes_max_;
  std::vector<uint8_t> scratch_;  // the record being encoded
  std::vector<uint8_t> buf_;      // encoded, not yet written
  uint64_t bytes_ = 0;            // header and records accepted (written or in buf_)
  uint64_t written_ = 0;          // records accepted
  uint64_t seen_ = 0;             // events observed
  Instant last_ = Instant::zero();
  Instant cut_at_ = Instant::zero();  // the time of the first event left out
  uint64_t events_total_ = 0;         // set at on_end
  bool truncated_ = false;
  bool write_failed_ = false;
};

// Decodes the trace read from `in` and prints one line per record to `out`
// (the header and trailer as '#' lines). With a non-empty `node`, only the
// records naming that node (as node or peer) are printed. A malformed or
// unknown file is an error naming the byte offset, never an assert.
Status dump_trace(std::FILE* in, std::FILE* out, std::string_view node);

}  // namespace barrel::sim
