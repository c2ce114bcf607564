// codec_fuzz — libFuzzer target for the wire codec (core/src/wire/codec.cpp).
//
// Decodes the input as a stream of frames, back to back, into a fresh bounded
// NameTable, until the input is used up or a frame is rejected. Aborts if:
//   - decode() fails with anything but an input error or kLimitExceeded;
//   - a rejected frame changed the NameTable;
//   - a decoded message does not re-encode to exactly the bytes it consumed
//     (every message has one encoding), or encoded_size() disagrees.
// Memory errors are the sanitizers' (address, undefined) to report.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "barrel/codec.h"
#include "barrel/ids.h"
#include "barrel/status.h"

namespace {

// Small enough that a few full SHUFFLEs exhaust it (kLimitExceeded is input
// the decoder must survive too).
constexpr size_t kNamesMax = 100;

[[noreturn]] void fail(const char* what, const barrel::Status& s) {
  std::fprintf(stderr, "codec_fuzz: %s (%s)\n", what, s.to_string().c_str());
  std::abort();
}

// Checks one decode at the start of `in`; returns the bytes it consumed, or
// 0 when the frame was rejected (the stream stops there).
size_t check_one(std::span<const uint8_t> in, barrel::NameTable& names) {
  const size_t names_before = names.size();
  barrel::Result<barrel::wire::Decoded> d = barrel::wire::decode(in, names);
  if (!d.is_ok()) {
    const barrel::Code c = d.status().code();
    if (!barrel::is_input_error(c) && c != barrel::Code::kLimitExceeded)
      fail("decode returned a code that is no input error", d.status());
    if (names.size() != names_before)
      fail("a rejected frame changed the name table", d.status());
    return 0;
  }
  if (d->frame_bytes < barrel::wire::kHeaderBytes || d->frame_bytes > in.size())
    fail("frame_bytes outside the input", barrel::Status());
  std::vector<uint8_t> again;
  if (barrel::Status s = barrel::wire::encode(d->message, names, &again); !s.is_ok())
    fail("a decoded message does not encode", s);
  if (again.size() != d->frame_bytes || std::memcmp(again.data(), in.data(), again.size()) != 0)
    fail("re-encoding differs from the consumed bytes", barrel::Status());
  if (barrel::wire::encoded_size(d->message, names) != again.size())
    fail("encoded_size differs from the bytes encode appended", barrel::Status());
  return d->frame_bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  barrel::NameTable names(kNamesMax);
  std::span<const uint8_t> rest(data, size);
  // Bounded: every accepted frame consumes at least kHeaderBytes.
  while (!rest.empty()) {
    const size_t used = check_one(rest, names);
    if (used == 0)
      break;
    rest = rest.subspan(used);
  }
  return 0;
}
