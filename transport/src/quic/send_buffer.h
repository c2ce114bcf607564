// send_buffer.h — one stream's outgoing bytes, owned until the peer acks them.
//
// ngtcp2 does not copy stream data: the bytes handed to writev_stream must stay
// valid and unchanged until acked_stream_data_offset covers them, because a
// retransmission reads them again (quic.md, gotcha 13). So the buffer is a list
// of chunks that never move; a chunk is freed only once fully acknowledged.
//
// Offsets are absolute stream offsets: acked <= sent <= end.
// Thread-safety: none (one connection, one io_context thread).
#pragma once

#include <ngtcp2/ngtcp2.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

namespace barrel::transport::quic {

class SendBuffer {
 public:
  // Copies `data` to the end. Small writes are coalesced into the last chunk
  // while nothing of that chunk has been handed to ngtcp2 yet.
  void append(std::span<const uint8_t> data);
  // The stream ends after the bytes appended so far.
  void set_fin() { fin_ = true; }

  // Fills up to `max` vectors with the unsent bytes, in order; returns how many.
  size_t unsent_vecs(ngtcp2_vec* out, size_t max) const;
  // `n` bytes of the unsent data (from the front) were written into packets.
  void mark_sent(uint64_t n);
  void mark_fin_sent() { fin_sent_ = true; }
  // The peer acknowledged everything below `offset` (cumulative).
  void ack_to(uint64_t offset);

  uint64_t unacked() const { return end_ - acked_; }
  uint64_t unsent() const { return end_ - sent_; }
  bool fin() const { return fin_; }
  bool fin_pending() const { return fin_ && !fin_sent_; }
  // Something remains to hand to ngtcp2 (bytes or the FIN).
  bool has_pending() const { return unsent() > 0 || fin_pending(); }
  size_t chunk_count() const { return chunks_.size(); }

 private:
  // Coalescing stops at this size, so a chunk's allocation stays modest.
  static constexpr size_t kCoalesceMax = 16 * 1024;

  std::deque<std::vector<uint8_t>> chunks_;
  uint64_t base_ = 0;   // stream offset of chunks_.front()
  uint64_t acked_ = 0;  // everything below is acknowledged
  uint64_t sent_ = 0;   // everything below was handed to ngtcp2
  uint64_t end_ = 0;    // stream offset after the last byte
  // Where `sent_` lies: chunk index (relative to the front) and offset in it.
  size_t send_idx_ = 0;
  size_t send_off_ = 0;
  bool fin_ = false;
  bool fin_sent_ = false;
};

}  // namespace barrel::transport::quic
