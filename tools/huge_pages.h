// huge_pages.h — lets a large simulation run on transparent huge pages.
//
// A 100k-node run touches ~1 GiB of small heap objects at random; with 4 KiB
// pages most of its memory accesses miss the TLB (perf: ~20 % of its time).
// glibc 2.35+ backs malloc's heap with huge pages when the tunable
// glibc.malloc.hugetlb=1 is set, but tunables are read only when a process
// starts, so barrel-sim sets it and executes itself again, once, before the
// run. Nothing in the run depends on addresses: the trace hash is the same.
//
// It does so only when it helps and never against the user's choice:
//   - the kernel's THP mode is `madvise` (with `always` the heap is already
//     on huge pages; with `never` there is nothing to gain);
//   - GLIBC_TUNABLES does not already name glibc.malloc.hugetlb (the user's
//     own setting wins, and it guards the re-execution against a loop);
//   - the scenario has at least kHugePagesNodesMin nodes (small runs would
//     only grow their resident set in 2 MiB steps);
//   - --no-huge-pages was not given.
#pragma once

#include <cstdint>

namespace barrel::tools {

inline constexpr uint32_t kHugePagesNodesMin = 20'000;

// Re-executes this process (/proc/self/exe, the same argv) with
// glibc.malloc.hugetlb=1 when the conditions above hold; returns (and the
// run goes on as it is) when they do not or when the execution fails.
void maybe_reexec_with_huge_pages(uint32_t node_count, char** argv);

// True when this process's malloc was started with glibc.malloc.hugetlb
// set to a mode other than 0 (by the re-execution above or by the user).
bool heap_on_huge_pages();

}  // namespace barrel::tools
