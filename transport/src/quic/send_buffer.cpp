// send_buffer.cpp — see send_buffer.h.
#include "quic/send_buffer.h"

#include <algorithm>

#include "barrel/assert.h"

namespace barrel::transport::quic {

void SendBuffer::append(std::span<const uint8_t> data) {
  BARREL_ASSERT(!fin_);
  if (data.empty())
    return;
  // The last chunk may grow (and reallocate) only while ngtcp2 holds no
  // pointer into it: it lies entirely at or after the send position.
  if (!chunks_.empty()) {
    std::vector<uint8_t>& last = chunks_.back();
    const uint64_t last_start = end_ - last.size();
    if (last_start >= sent_ && last.size() + data.size() <= kCoalesceMax) {
      last.insert(last.end(), data.begin(), data.end());
      end_ += data.size();
      return;
    }
  }
  chunks_.emplace_back(data.begin(), data.end());
  end_ += data.size();
}

size_t SendBuffer::unsent_vecs(ngtcp2_vec* out, size_t max) const {
  size_t n = 0;
  size_t off = send_off_;
  for (size_t i = send_idx_; i < chunks_.size() && n < max; ++i) {
    const std::vector<uint8_t>& c = chunks_[i];
    BARREL_ASSERT(off < c.size());
    // ngtcp2_vec's base is non-const; ngtcp2 only reads it.
    out[n].base = const_cast<uint8_t*>(c.data() + off);
    out[n].len = c.size() - off;
    ++n;
    off = 0;
  }
  return n;
}

void SendBuffer::mark_sent(uint64_t n) {
  BARREL_ASSERT(n <= unsent());
  sent_ += n;
  while (n > 0) {
    const size_t left = chunks_[send_idx_].size() - send_off_;
    const size_t step = static_cast<size_t>(std::min<uint64_t>(n, left));
    send_off_ += step;
    n -= step;
    if (send_off_ == chunks_[send_idx_].size()) {
      ++send_idx_;
      send_off_ = 0;
    }
  }
}

void SendBuffer::ack_to(uint64_t offset) {
  BARREL_ASSERT(offset <= sent_);
  acked_ = std::max(acked_, offset);
  while (!chunks_.empty() && base_ + chunks_.front().size() <= acked_) {
    base_ += chunks_.front().size();
    chunks_.pop_front();
    // A fully acked chunk was fully sent, so the send position lies after it.
    BARREL_ASSERT(send_idx_ > 0);
    --send_idx_;
  }
}

}  // namespace barrel::transport::quic
