#include "node/control_protocol.h"

#include <cstdio>
#include <utility>

namespace barrel::node {

namespace {

constexpr size_t kLengthBytes = 4;
constexpr size_t kHeaderBytes = 4;  // version, kind, count:u16

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 24));
  out.push_back(static_cast<uint8_t>(v >> 16));
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

uint32_t get_u32(std::span<const uint8_t> b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) |
         uint32_t{b[at + 3]};
}

bool known_kind(uint8_t k) {
  return k >= static_cast<uint8_t>(FrameKind::kRequest) &&
         k <= static_cast<uint8_t>(FrameKind::kRecord);
}

}  // namespace

std::string_view to_string(FrameKind k) {
  switch (k) {
    case FrameKind::kRequest:
      return "request";
    case FrameKind::kRow:
      return "row";
    case FrameKind::kOk:
      return "ok";
    case FrameKind::kError:
      return "error";
    case FrameKind::kRecord:
      return "record";
  }
  return "unknown";
}

Result<std::vector<uint8_t>> encode_frame(const Frame& frame) {
  if (frame.fields.size() > kFieldsMax)
    return Status(Code::kOversized, "too many fields");
  size_t body = kHeaderBytes;
  for (const std::string& f : frame.fields) {
    body += kLengthBytes + f.size();
    if (body > kFrameBytesMax)
      return Status(Code::kOversized, "frame above " + std::to_string(kFrameBytesMax) + " bytes");
  }
  std::vector<uint8_t> out;
  out.reserve(kLengthBytes + body);
  put_u32(out, static_cast<uint32_t>(body));
  out.push_back(kProtocolVersion);
  out.push_back(static_cast<uint8_t>(frame.kind));
  out.push_back(static_cast<uint8_t>(frame.fields.size() >> 8));
  out.push_back(static_cast<uint8_t>(frame.fields.size()));
  for (const std::string& f : frame.fields) {
    put_u32(out, static_cast<uint32_t>(f.size()));
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

Result<Frame> decode_body(std::span<const uint8_t> body) {
  if (body.size() < kHeaderBytes)
    return Status(Code::kTruncated, "frame body shorter than its header");
  if (body.size() > kFrameBytesMax)
    return Status(Code::kOversized, "frame above the maximum");
  if (body[0] != kProtocolVersion)
    return Status(Code::kBadVersion, "control protocol version " + std::to_string(body[0]));
  if (!known_kind(body[1]))
    return Status(Code::kUnknownType, "frame kind " + std::to_string(body[1]));
  Frame f;
  f.kind = static_cast<FrameKind>(body[1]);
  const size_t count = (size_t{body[2]} << 8) | body[3];
  if (count > kFieldsMax)
    return Status(Code::kOversized, "too many fields");
  size_t at = kHeaderBytes;
  f.fields.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (body.size() - at < kLengthBytes)
      return Status(Code::kMalformed, "field length runs past the frame");
    const size_t len = get_u32(body, at);
    at += kLengthBytes;
    if (len > body.size() - at)
      return Status(Code::kMalformed, "field runs past the frame");
    f.fields.emplace_back(reinterpret_cast<const char*>(body.data() + at), len);
    at += len;
  }
  if (at != body.size())
    return Status(Code::kTrailingBytes, "bytes after the last field");
  if ((f.kind == FrameKind::kOk && !f.fields.empty()) ||
      (f.kind == FrameKind::kError && f.fields.size() != 2) ||
      (f.kind == FrameKind::kRequest && f.fields.empty()))
    return Status(Code::kMalformed, "wrong field count for a " + std::string(to_string(f.kind)));
  return f;
}

Status FrameDecoder::feed(std::span<const uint8_t> bytes) {
  if (!failed_.is_ok())
    return failed_;
  // Compact what next() consumed before growing.
  if (pos_ > 0) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  // Callers drain next() after every feed, so less than one frame stays
  // buffered between feeds; with chunks of at most a frame, two frames' worth
  // is the most a well-behaved caller can reach.
  if (buf_.size() + bytes.size() > 2 * (kLengthBytes + kFrameBytesMax)) {
    failed_ = Status(Code::kOversized, "more than two frames buffered (next() not drained?)");
    return failed_;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
  return Status::ok();
}

Result<std::optional<Frame>> FrameDecoder::next() {
  if (!failed_.is_ok())
    return failed_;
  const std::span<const uint8_t> rest(buf_.data() + pos_, buf_.size() - pos_);
  if (rest.size() < kLengthBytes)
    return std::optional<Frame>();
  const size_t len = get_u32(rest, 0);
  if (len < kHeaderBytes || len > kFrameBytesMax) {
    failed_ = Status(Code::kOversized, "frame length " + std::to_string(len) + " out of bounds");
    return failed_;
  }
  if (rest.size() - kLengthBytes < len)
    return std::optional<Frame>();
  Result<Frame> f = decode_body(rest.subspan(kLengthBytes, len));
  if (!f.is_ok()) {
    failed_ = f.status();
    return failed_;
  }
  pos_ += kLengthBytes + len;
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  return std::optional<Frame>(std::move(f).value());
}

Frame ok_frame() {
  return Frame{FrameKind::kOk, {}};
}

Frame error_frame(const Status& s) {
  return Frame{FrameKind::kError, {std::string(to_string(s.code())), std::string(s.message())}};
}

Frame row_frame(std::vector<std::string> fields) {
  return Frame{FrameKind::kRow, std::move(fields)};
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], 0 if invalid
// (overlongs, surrogates and code points above U+10FFFF are invalid).
size_t utf8_sequence(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
  const auto cont = [&](size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  const uint8_t c = b(0);
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2))
      return 0;
    if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) >= 0xA0))
      return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3))
      return 0;
    if ((c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) >= 0x90))
      return 0;
    return 4;
  }
  return 0;
}

}  // namespace

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x80) {
      const size_t n = utf8_sequence(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", c);
          out += esc;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
  return out;
}

}  // namespace barrel::node
