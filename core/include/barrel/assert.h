// assert.h — invariant checks that stay on in every build.
//
// BARREL_ASSERT(cond) states something our own code guarantees. If it fails,
// the code is wrong, and the only safe response is to stop: it prints
// file:line and the condition to stderr and aborts. It is never used for
// input from a peer or a file: that is a Status (see status.h).
//
// barrel::kVerify guards checks that cost more than the work they guard —
// re-scanning a whole view pairwise after every input, a map lookup per
// timer — TigerBeetle's `constants.verify`. Such a check goes inside
// `if constexpr (kVerify) { ... }`. It is on in Debug and sanitizer builds
// (the ASan+UBSan CI job runs every test with it) and off in optimised
// builds, where the cheap assertions beside it stay on: a simulation of
// 100,000 nodes spent a fifth of its time in these re-scans, which the
// simulator's own per-input checkers (sim/src/checkers/) repeat in O(n).
// The CMake option BARREL_VERIFY sets it (BARREL_VERIFY_ENABLED).
#pragma once

namespace barrel {
#if defined(BARREL_VERIFY_ENABLED) && BARREL_VERIFY_ENABLED
inline constexpr bool kVerify = true;
#else
inline constexpr bool kVerify = false;
#endif
}  // namespace barrel

namespace barrel::detail {
[[noreturn]] void assert_fail(const char* cond, const char* file, int line);
}  // namespace barrel::detail

#define BARREL_ASSERT(cond)                                     \
  do {                                                          \
    if (__builtin_expect(!(cond), 0)) {                         \
      ::barrel::detail::assert_fail(#cond, __FILE__, __LINE__); \
    }                                                           \
  } while (0)
