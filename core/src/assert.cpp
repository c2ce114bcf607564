#include "barrel/assert.h"

#include <cstdio>
#include <cstdlib>

namespace barrel::detail {

void assert_fail(const char* cond, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, cond);
  std::fflush(stderr);
  std::abort();
}

}  // namespace barrel::detail
