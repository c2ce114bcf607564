// log.cpp — the default sink writes whole lines to stderr.
#include "barrel/transport/log.h"

#include <unistd.h>

#include <utility>

namespace barrel::transport {

std::string_view to_string(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarn:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "?";
}

namespace {
void stderr_sink(LogLevel, std::string_view line) {
  std::string out(line);
  out.push_back('\n');
  // One write per line: lines from several nodes never interleave mid-line.
  // A failed or short write to stderr has nowhere better to be reported.
  size_t done = 0;
  for (int attempts = 0; done < out.size() && attempts < 8; ++attempts) {
    const ssize_t n = ::write(STDERR_FILENO, out.data() + done, out.size() - done);
    if (n <= 0)
      break;
    done += static_cast<size_t>(n);
  }
}
}  // namespace

Logger::Logger(std::string name, LogLevel min) : Logger(std::move(name), min, stderr_sink) {}

Logger::Logger(std::string name, LogLevel min, Sink sink)
    : name_(std::move(name)), min_(min), sink_(std::move(sink)) {}

void Logger::log(LogLevel l, std::string_view message) const {
  if (!enabled(l) || !sink_)
    return;
  std::string line;
  line.reserve(message.size() + name_.size() + 8);
  line.append(to_string(l)).append(" ").append(name_).append(": ").append(message);
  sink_(l, line);
}

}  // namespace barrel::transport
