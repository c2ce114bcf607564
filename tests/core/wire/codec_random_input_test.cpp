// codec_random_input_test — decode() is total: any bytes give either a valid
// message or a typed input error, never a crash or an out-of-bounds read.
//
// Method: about 220k seeded inputs from three generators — uniform random
// bytes, frames with a plausible header and grammar-flavoured random bodies,
// and valid frames mutated (bit flips, byte changes, insertions, deletions,
// truncations). For each input: an error must be an input error or
// kLimitExceeded and leave the NameTable unchanged; a success must re-encode
// to exactly the bytes it consumed (one encoding per message). The tally at
// the end proves the generators reached every decode rule, so the test cannot
// pass by rejecting everything at the first byte. Run it in the sanitizer
// build (-DBARREL_SANITIZE=ON) to prove no read leaves the input.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "barrel/codec.h"
#include "barrel/rng.h"
#include "core/wire/message_gen.h"

namespace barrel::wire {
namespace {

using Bytes = std::vector<uint8_t>;

// Decodes `in`; returns "" if the outcome is allowed, else what went wrong.
std::string check_total(std::span<const uint8_t> in, NameTable& names, std::map<Code, int>* tally) {
  const size_t names_before = names.size();
  Result<Decoded> d = decode(in, names);
  if (!d.is_ok()) {
    const Code c = d.status().code();
    (*tally)[c]++;
    if (!is_input_error(c) && c != Code::kLimitExceeded)
      return "unexpected code " + d.status().to_string();
    if (names.size() != names_before)
      return "rejected frame changed the name table: " + d.status().to_string();
    return "";
  }
  (*tally)[Code::kOk]++;
  if (d->frame_bytes < kHeaderBytes || d->frame_bytes > in.size())
    return "frame_bytes " + std::to_string(d->frame_bytes) + " out of the input";
  Bytes again;
  if (Status s = encode(d->message, names, &again); !s.is_ok())
    return "decoded message does not encode: " + s.to_string();
  if (again != Bytes(in.begin(), in.begin() + static_cast<ptrdiff_t>(d->frame_bytes)))
    return "re-encoding differs from the consumed bytes";
  return "";
}

// A byte that is often meaningful somewhere in the grammar.
uint8_t grammar_byte(Rng& rng) {
  static constexpr uint8_t kInteresting[] = {0, 1, 2, 3, 16, 17, 64, 65, 255, 'a', '@', 'h', ':'};
  if (rng.uniform(4) == 0)
    return static_cast<uint8_t>(rng.next());
  return kInteresting[rng.uniform(sizeof(kInteresting))];
}

Bytes random_bytes(Rng& rng) {
  Bytes b(static_cast<size_t>(rng.uniform(49)));
  for (uint8_t& x : b)
    x = static_cast<uint8_t>(rng.next());
  return b;
}

// Version 1 (mostly), a type near the known range, a body_len near the
// body's size (sometimes anything), a body of grammar-flavoured bytes.
Bytes plausible_frame(Rng& rng) {
  Bytes body(static_cast<size_t>(rng.uniform(40)));
  for (uint8_t& x : body)
    x = grammar_byte(rng);
  uint32_t len = static_cast<uint32_t>(body.size());
  const uint64_t pick = rng.uniform(8);
  if (pick == 0)
    len = static_cast<uint32_t>(rng.next());
  if (pick == 1 && len > 0)
    len -= static_cast<uint32_t>(1 + rng.uniform(len));
  if (pick == 2)
    len += static_cast<uint32_t>(rng.uniform(3));
  Bytes f = {static_cast<uint8_t>(rng.uniform(16) == 0 ? rng.uniform(4) : 1),
             static_cast<uint8_t>(rng.uniform(10)),
             static_cast<uint8_t>(len >> 24),
             static_cast<uint8_t>(len >> 16),
             static_cast<uint8_t>(len >> 8),
             static_cast<uint8_t>(len)};
  f.insert(f.end(), body.begin(), body.end());
  return f;
}

// 1..4 random edits of `f`.
void mutate(Rng& rng, Bytes& f) {
  const uint64_t edits = 1 + rng.uniform(4);
  for (uint64_t e = 0; e < edits; ++e) {
    const size_t at = f.empty() ? 0 : static_cast<size_t>(rng.uniform(f.size()));
    switch (rng.uniform(5)) {
      case 0:
        if (!f.empty())
          f[at] ^= static_cast<uint8_t>(1u << rng.uniform(8));
        break;
      case 1:
        if (!f.empty())
          f[at] = grammar_byte(rng);
        break;
      case 2:
        f.insert(f.begin() + static_cast<ptrdiff_t>(at), grammar_byte(rng));
        break;
      case 3:
        if (!f.empty())
          f.erase(f.begin() + static_cast<ptrdiff_t>(at));
        break;
      default:
        f.resize(at);
        break;
    }
  }
}

class RandomInput : public ::testing::Test {
 protected:
  // A fresh bounded table every 1000 inputs: small enough to fill up (so
  // kLimitExceeded is reached), renewed so later inputs can still succeed.
  NameTable& table(int i) {
    if (i % 1000 == 0)
      names_ = std::make_unique<NameTable>(48);
    return *names_;
  }

  std::unique_ptr<NameTable> names_;
  std::map<Code, int> tally_;
};

TEST_F(RandomInput, UniformRandomBytes) {
  Rng rng(0x5EED0001);
  for (int i = 0; i < 60000; ++i) {
    const Bytes in = random_bytes(rng);
    ASSERT_EQ(check_total(in, table(i), &tally_), "") << "input " << i;
  }
  EXPECT_GT(tally_[Code::kBadVersion], 50000);
}

TEST_F(RandomInput, PlausibleFrames) {
  Rng rng(0x5EED0002);
  for (int i = 0; i < 80000; ++i) {
    const Bytes in = plausible_frame(rng);
    ASSERT_EQ(check_total(in, table(i), &tally_), "") << "input " << i;
  }
  for (Code c : {Code::kOk, Code::kTruncated, Code::kBadVersion, Code::kUnknownType,
                 Code::kOversized, Code::kMalformed, Code::kTrailingBytes}) {
    EXPECT_GT(tally_[c], 100) << to_string(c);
  }
}

TEST_F(RandomInput, MutatedValidFrames) {
  NameTable source(4096);
  test::MessageGen gen(source, 0x5EED0003, 300);
  Rng rng(0x5EED0004);
  for (int i = 0; i < 80000; ++i) {
    Bytes in;
    ASSERT_TRUE(encode(gen.any(), source, &in).is_ok());
    mutate(rng, in);
    ASSERT_EQ(check_total(in, table(i), &tally_), "") << "input " << i;
  }
  for (Code c :
       {Code::kOk, Code::kTruncated, Code::kBadVersion, Code::kUnknownType, Code::kOversized,
        Code::kMalformed, Code::kTrailingBytes, Code::kBadName, Code::kLimitExceeded}) {
    EXPECT_GT(tally_[c], 100) << to_string(c);
  }
}

}  // namespace
}  // namespace barrel::wire
