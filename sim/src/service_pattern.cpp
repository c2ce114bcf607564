// service_pattern.cpp — expanding "{i}" and "{k}" in service name patterns.
#include "service_pattern.h"

#include "barrel/assert.h"

namespace barrel::sim {
namespace {

// Expands with the given replacement texts; bounded by the pattern's length.
std::string expand(std::string_view pattern, const std::string& i, const std::string& k) {
  std::string out;
  out.reserve(pattern.size() + 16);
  size_t at = 0;
  while (at < pattern.size()) {
    const std::string_view rest = pattern.substr(at);
    if (rest.substr(0, 3) == "{i}") {
      out += i;
      at += 3;
    } else if (rest.substr(0, 3) == "{k}") {
      out += k;
      at += 3;
    } else {
      out += pattern[at];
      at += 1;
    }
  }
  return out;
}

}  // namespace

std::string expand_service(std::string_view pattern, uint32_t index_1, uint32_t k) {
  BARREL_ASSERT(index_1 >= 1 && k >= 1);
  return expand(pattern, std::to_string(index_1), std::to_string(k));
}

size_t service_bytes_max(std::string_view pattern, uint32_t node_count, uint32_t count) {
  BARREL_ASSERT(node_count >= 1 && count >= 1);
  return expand(pattern, std::to_string(node_count), std::to_string(count)).size();
}

}  // namespace barrel::sim
