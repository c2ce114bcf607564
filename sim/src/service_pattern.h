// service_pattern.h — the service names of a register or unregister step.
//
// A pattern names the k-th service (k = 1..count) of node i (1-based index):
// every "{i}" is replaced by i and every "{k}" by k, e.g. "svc{k}" gives
// svc1..svcK on every node, "job-{i}-{k}" a name per node and k. Other text
// is copied as is.
//
// Thread-safety: free functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace barrel::sim {

std::string expand_service(std::string_view pattern, uint32_t index_1, uint32_t k);

// The longest expansion for nodes 1..node_count and k in 1..count (each "{i}"
// and "{k}" at its widest), so a loader can bound the names before the run.
size_t service_bytes_max(std::string_view pattern, uint32_t node_count, uint32_t count);

}  // namespace barrel::sim
