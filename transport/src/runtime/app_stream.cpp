// app_stream.cpp
#include "runtime/app_stream.h"

#include <algorithm>

namespace barrel::transport {

namespace {
void put_be(std::vector<uint8_t>* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i)
    out->push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint64_t get_be(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v = (v << 8) | p[i];
  return v;
}
}  // namespace

std::vector<uint8_t> encode_app_frame(EndpointId to, EndpointId from,
                                      std::span<const uint8_t> bytes) {
  std::vector<uint8_t> out;
  out.reserve(kAppFrameHeaderBytes + bytes.size());
  put_be(&out, to, 8);
  put_be(&out, from, 8);
  put_be(&out, bytes.size(), 4);
  out.insert(out.end(), bytes.begin(), bytes.end());
  return out;
}

void AppReader::push(std::span<const uint8_t> bytes) {
  if (start_ > 0 && start_ * 2 >= buf_.size()) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

Result<std::optional<AppFrame>> AppReader::next(size_t max_bytes) {
  const size_t have = buf_.size() - start_;
  const uint8_t* p = buf_.data() + start_;
  if (!magic_seen_) {
    // Judge each byte as it comes: a wrong first byte fails at once.
    const size_t n = std::min(have, kAppStreamMagic.size());
    if (!std::equal(p, p + n, kAppStreamMagic.begin()))
      return Status(Code::kBadVersion, "the application stream does not start with BAP/1");
    if (n < kAppStreamMagic.size())
      return std::optional<AppFrame>();
    start_ += kAppStreamMagic.size();
    magic_seen_ = true;
    return next(max_bytes);
  }
  if (have < kAppFrameHeaderBytes)
    return std::optional<AppFrame>();
  const uint64_t len = get_be(p + 16, 4);
  if (len > max_bytes)
    return Status(Code::kOversized, "application message of " + std::to_string(len) +
                                        " bytes is above the limit of " +
                                        std::to_string(max_bytes));
  if (have < kAppFrameHeaderBytes + len)
    return std::optional<AppFrame>();
  AppFrame f;
  f.to = get_be(p, 8);
  f.from = get_be(p + 8, 8);
  f.bytes.assign(p + kAppFrameHeaderBytes, p + kAppFrameHeaderBytes + len);
  start_ += kAppFrameHeaderBytes + len;
  return std::optional<AppFrame>(std::move(f));
}

}  // namespace barrel::transport
