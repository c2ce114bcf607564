// trace_text.cpp — instants and node names as text (see trace_text.h).
#include "trace_text.h"

#include <cstdio>

namespace barrel::sim {

std::string trace_time(Instant t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%6llu.%06llus", static_cast<unsigned long long>(t.us() / 1000000),
                static_cast<unsigned long long>(t.us() % 1000000));
  return buf;
}

std::string trace_node(std::string_view pattern, uint32_t index) {
  if (index == kNoNode)
    return "-";
  std::string out(pattern);
  const size_t at = out.find("{i}");
  const std::string number = std::to_string(static_cast<uint64_t>(index) + 1);
  if (at == std::string::npos)
    return out + "#" + number;  // not a scenario's pattern: still unambiguous
  return out.replace(at, 3, number);
}

uint32_t trace_node_index(std::string_view pattern, uint32_t count, std::string_view name) {
  const size_t at = pattern.find("{i}");
  if (at == std::string_view::npos)
    return kNoNode;
  const std::string_view prefix = pattern.substr(0, at);
  const std::string_view suffix = pattern.substr(at + 3);
  if (name.size() <= prefix.size() + suffix.size() || !name.starts_with(prefix) ||
      !name.ends_with(suffix))
    return kNoNode;
  const std::string_view digits =
      name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.size() > 10 || digits[0] == '0')
    return kNoNode;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      return kNoNode;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v == 0 || v > count)
    return kNoNode;
  return static_cast<uint32_t>(v - 1);
}

}  // namespace barrel::sim
