// cli_util.h — helpers for tests that run the built barrel-sim binary
// (BARREL_SIM_BIN) or another program in a child process and read back its
// exit status, stdout, stderr and output files.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace barrel::sim::test {

inline const std::string kSource = BARREL_SOURCE_DIR;
inline const std::string kData = kSource + "/tests/sim/data/";

struct RunResult {
  int status = -1;  // exit status, or -1 when the process did not exit normally
  std::string out;
  std::string err;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A path under the test temp dir, unique to this process and `name`.
inline std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "barrel_" + std::to_string(::getpid()) + "_" + name;
}

// Runs `command` through the shell; stdout is captured (at most 4 MiB),
// stderr goes to a file read back afterwards.
inline RunResult run_command(const std::string& command) {
  static int counter = 0;
  const std::string err_path = temp_path("stderr_" + std::to_string(++counter) + ".txt");
  RunResult r;
  std::FILE* p = ::popen((command + " 2>" + err_path).c_str(), "r");
  if (p == nullptr)
    return r;
  char buf[4096];
  for (size_t n = 0; (n = std::fread(buf, 1, sizeof buf, p)) > 0 && r.out.size() < (4u << 20);)
    r.out.append(buf, n);
  const int wait_status = ::pclose(p);
  r.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  r.err = read_file(err_path);
  std::remove(err_path.c_str());
  return r;
}

#ifdef BARREL_SIM_BIN
inline RunResult run_sim(const std::string& args) {
  return run_command(std::string(BARREL_SIM_BIN) + " " + args);
}
#endif

// The value after the last "trace hash: " (e.g. "0x0123456789abcdef"), or "".
inline std::string trace_hash_of(const std::string& out) {
  const std::string key = "trace hash: ";
  const size_t at = out.rfind(key);
  if (at == std::string::npos)
    return "";
  return out.substr(at + key.size(), 18);
}

// The line starting with `prefix`, without the prefix, or "".
inline std::string line_after(const std::string& out, const std::string& prefix) {
  const size_t at = out.find("\n" + prefix);
  if (at == std::string::npos)
    return "";
  const size_t start = at + 1 + prefix.size();
  return out.substr(start, out.find('\n', start) - start);
}

// The lines that say what failed: "run failure: ...", each "FAIL ..." check
// (indented in the summary) and the "result: ..." verdict.
inline std::string failure_lines(const std::string& out) {
  std::string lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    const std::string text = line.substr(std::min(line.size(), line.find_first_not_of(' ')));
    if (text.starts_with("FAIL ") || text.starts_with("result: ") ||
        text.find("run failure:") != std::string::npos)
      lines += text + "\n";
  }
  return lines;
}

}  // namespace barrel::sim::test
