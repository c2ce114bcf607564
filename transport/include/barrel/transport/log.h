// log.h — leveled log lines for the transport and the daemon.
//
// The core never logs (it emits events); the transport logs what an operator
// needs: connections, authentication outcomes with their reasons, protocol
// violations by peers. One line per record: "LEVEL name: message".
//
// Thread-safety: a Logger is used from its node's io_context thread only; the
// default sink writes each line with one write(2), so lines of nodes on
// different threads do not interleave within a line.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace barrel::transport {

enum class LogLevel : uint8_t { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
std::string_view to_string(LogLevel l);

class Logger {
 public:
  using Sink = std::function<void(LogLevel, std::string_view line)>;
  // Writes to stderr at `min` and above.
  explicit Logger(std::string name = "barrel", LogLevel min = LogLevel::kInfo);
  Logger(std::string name, LogLevel min, Sink sink);

  bool enabled(LogLevel l) const { return l >= min_; }
  void log(LogLevel l, std::string_view message) const;
  void debug(std::string_view m) const { log(LogLevel::kDebug, m); }
  void info(std::string_view m) const { log(LogLevel::kInfo, m); }
  void warn(std::string_view m) const { log(LogLevel::kWarn, m); }
  void error(std::string_view m) const { log(LogLevel::kError, m); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  LogLevel min_;
  Sink sink_;
};

}  // namespace barrel::transport
