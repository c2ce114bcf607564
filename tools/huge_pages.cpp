// huge_pages.cpp — see huge_pages.h.
#include "huge_pages.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <unistd.h>

namespace barrel::tools {

namespace {

constexpr const char* kTunables = "GLIBC_TUNABLES";
constexpr const char* kHugeTlb = "glibc.malloc.hugetlb";

// True when the kernel gives huge pages only to memory advised for them.
bool thp_mode_is_madvise() {
  std::FILE* f = std::fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  if (f == nullptr)
    return false;
  char line[128] = {};
  const bool read = std::fgets(line, sizeof line, f) != nullptr;
  std::fclose(f);
  return read && std::strstr(line, "[madvise]") != nullptr;
}

// Where `tunables` sets glibc.malloc.hugetlb (at its name), or null.
const char* hugetlb_setting(const char* tunables) {
  return tunables == nullptr ? nullptr : std::strstr(tunables, kHugeTlb);
}

}  // namespace

void maybe_reexec_with_huge_pages(uint32_t node_count, char** argv) {
  if (node_count < kHugePagesNodesMin)
    return;
  const char* env = std::getenv(kTunables);
  if (hugetlb_setting(env) != nullptr || !thp_mode_is_madvise())
    return;
  // A copy: setenv may invalidate what getenv returned.
  const bool had = env != nullptr;
  const std::string current = had ? env : "";
  const std::string ours = std::string(kHugeTlb) + "=1";
  if (setenv(kTunables, current.empty() ? ours.c_str() : (current + ":" + ours).c_str(), 1) != 0)
    return;
  std::fflush(nullptr);
  execv("/proc/self/exe", argv);
  // Not executed (no /proc, say): run as we are, without the setting, so a
  // child started by this run does not inherit it either.
  if (had)
    setenv(kTunables, current.c_str(), 1);
  else
    unsetenv(kTunables);
}

bool heap_on_huge_pages() {
  const char* at = hugetlb_setting(std::getenv(kTunables));
  if (at == nullptr)
    return false;
  at += std::strlen(kHugeTlb);
  return *at == '=' && at[1] != '\0' && at[1] != '0';
}

}  // namespace barrel::tools
