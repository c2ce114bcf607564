// trace_log.cpp — the --trace writer (format in trace_log.h).
#include "barrel/sim/trace_log.h"

#include "barrel/assert.h"
#include "barrel/sim/scenario.h"
#include "barrel/sim/simulator.h"
#include "trace_text.h"

namespace barrel::sim {
namespace {

// Written to the file in chunks of about this size.
constexpr size_t kFlushBytes = 64 << 10;

// Tag bits above the kind (5 bits). The node is always written (plus one,
// 0: none): nearly every event has one.
constexpr uint8_t kHasAux = 0x20;
constexpr uint8_t kHasPeer = 0x40;
constexpr uint8_t kTimeAdvanced = 0x80;
static_assert(kObservedKindMax < kHasAux);

}  // namespace

TraceLog::TraceLog(std::FILE* file, uint64_t bytes_max) : file_(file), bytes_max_(bytes_max) {
  BARREL_ASSERT(file_ != nullptr);
  buf_.reserve(kFlushBytes + 64);
}

void TraceLog::put_varint(uint64_t v) {
  // Bounded: 7 bits per byte, at most 10 bytes.
  while (v >= 0x80) {
    scratch_.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  scratch_.push_back(static_cast<uint8_t>(v));
}

void TraceLog::put_fixed(uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    scratch_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void TraceLog::put_string(std::string_view s) {
  put_varint(s.size());
  // Byte by byte: g++ 12 warns falsely (-Wstringop-overflow) on a range
  // insert into a possibly empty vector.
  for (char c : s)
    scratch_.push_back(static_cast<uint8_t>(c));
}

void TraceLog::on_start(const Scenario& scenario) {
  BARREL_ASSERT(bytes_ == 0 && seen_ == 0);
  scratch_.clear();
  for (char c : std::string_view("BRLTRACE"))
    scratch_.push_back(static_cast<uint8_t>(c));
  put_fixed(kTraceVersion, 2);
  put_fixed(scenario.seed, 8);
  put_varint(scenario.node_count);
  put_string(scenario.name_pattern);
  put_string(scenario.name);
  // The header goes whatever the cap: a decoder needs it to read anything.
  buf_.insert(buf_.end(), scratch_.begin(), scratch_.end());
  bytes_ += scratch_.size();
}

void TraceLog::on_event(const ObservedEvent& e) {
  seen_ += 1;
  if (truncated_ || write_failed_)
    return;
  BARREL_ASSERT(e.time >= last_);
  BARREL_ASSERT(static_cast<uint8_t>(e.kind) >= 1 &&
                static_cast<uint8_t>(e.kind) <= kObservedKindMax);
  scratch_.clear();
  uint8_t tag = static_cast<uint8_t>(e.kind);
  tag |= e.peer != kNoNode ? kHasPeer : 0;
  tag |= (e.aux != 0 || e.aux2 != 0) ? kHasAux : 0;
  tag |= e.time > last_ ? kTimeAdvanced : 0;
  scratch_.push_back(tag);
  if ((tag & kTimeAdvanced) != 0)
    put_varint(e.time.us() - last_.us());
  put_varint(e.node == kNoNode ? 0 : static_cast<uint64_t>(e.node) + 1);
  if ((tag & kHasPeer) != 0)
    put_varint(e.peer);
  if ((tag & kHasAux) != 0) {
    put_varint(e.aux);
    put_varint(e.aux2);
  }
  if (e.kind == ObservedKind::kDeliver) {
    BARREL_ASSERT(e.message != nullptr);
    scratch_.push_back(static_cast<uint8_t>(message_type(*e.message)));
    put_varint(e.bytes);
  }
  commit_record(e.time);
}

void TraceLog::commit_record(Instant time) {
  if (bytes_ + scratch_.size() > bytes_max_) {
    truncated_ = true;  // full: this record and every later one are left out
    cut_at_ = time;
    return;
  }
  buf_.insert(buf_.end(), scratch_.begin(), scratch_.end());
  bytes_ += scratch_.size();
  written_ += 1;
  last_ = time;
  if (buf_.size() >= kFlushBytes)
    flush();
}

void TraceLog::on_end(const RunReport& report) {
  events_total_ = report.events;
  BARREL_ASSERT(seen_ == report.events);
  scratch_.clear();
  scratch_.push_back(0);
  put_varint(report.events);
  put_varint(written_);
  put_fixed(report.trace_hash, 8);
  scratch_.push_back(report.passed() ? 1 : 0);
  BARREL_ASSERT(scratch_.size() <= kTrailerBytesMax);
  buf_.insert(buf_.end(), scratch_.begin(), scratch_.end());
  bytes_ += scratch_.size();
  flush();
  if (!write_failed_ && std::fflush(file_) != 0)
    write_failed_ = true;
}

void TraceLog::flush() {
  if (write_failed_ || buf_.empty()) {
    buf_.clear();
    return;
  }
  if (std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size())
    write_failed_ = true;  // the tool reports it after the run; the run goes on
  buf_.clear();
}

std::string TraceLog::note() const {
  if (!truncated_)
    return "";
  return "trace cap of " + std::to_string(bytes_max_) + " bytes (--trace-max) reached at t=" +
         trace_time(cut_at_).substr(trace_time(cut_at_).find_first_not_of(' ')) + ": " +
         std::to_string(written_) + " of " + std::to_string(events_total_) +
         " events are in the file, the rest are not (raise --trace-max to keep them)";
}

}  // namespace barrel::sim
