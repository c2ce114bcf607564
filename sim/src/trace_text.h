// trace_text.h — how the decoded trace (trace_dump.cpp) and --watch
// (watch.cpp) write instants, nodes and messages as text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "barrel/sim/observer.h"
#include "barrel/time.h"

namespace barrel::sim {

// "   12.345678s": seconds with microseconds, right-aligned on 13 columns so
// that the lines of a long run stay aligned.
std::string trace_time(Instant t);

// The name of 0-based node `index` under `pattern` ("node{i}@sim" gives
// "node3@sim" for index 2); "-" for kNoNode.
std::string trace_node(std::string_view pattern, uint32_t index);

// The 0-based index of `name` among `count` nodes named by `pattern`, or
// kNoNode. Parses the decimal between the pattern's prefix and suffix.
uint32_t trace_node_index(std::string_view pattern, uint32_t count, std::string_view name);

}  // namespace barrel::sim
