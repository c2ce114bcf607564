// assert.h — invariant checks that stay on in every build.
//
// BARREL_ASSERT(cond) states something our own code guarantees. If it fails,
// the code is wrong, and the only safe response is to stop: it prints
// file:line and the condition to stderr and aborts. It is never used for
// input from a peer or a file: that is a Status (see status.h).
#pragma once

namespace barrel::detail {
[[noreturn]] void assert_fail(const char* cond, const char* file, int line);
}  // namespace barrel::detail

#define BARREL_ASSERT(cond)                                     \
  do {                                                          \
    if (__builtin_expect(!(cond), 0)) {                         \
      ::barrel::detail::assert_fail(#cond, __FILE__, __LINE__); \
    }                                                           \
  } while (0)
