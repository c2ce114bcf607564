// frame_reader.cpp
#include "runtime/frame_reader.h"

namespace barrel::transport {

void FrameReader::push(std::span<const uint8_t> bytes) {
  if (start_ > 0 && start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
  } else if (start_ > (1u << 16) && start_ * 2 > buf_.size()) {
    // Compact: drop what was decoded, so the buffer stays about one frame.
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

Result<Message> FrameReader::next(NameTable& names) {
  std::span<const uint8_t> rest(buf_.data() + start_, buf_.size() - start_);
  if (rest.empty())
    return Status(Code::kTruncated, "no frame buffered");
  Result<wire::Decoded> d = wire::decode(rest, names);
  if (!d.is_ok())
    return d.status();  // kTruncated: wait for more (the decoder bounds the size first)
  start_ += d->frame_bytes;
  return std::move(d->message);
}

}  // namespace barrel::transport
