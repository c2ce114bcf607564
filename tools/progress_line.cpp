// progress_line.cpp — the progress line on stderr (see progress_line.h).
#include "progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace barrel::tools {

ProgressLine::ProgressLine(bool quiet, bool forced)
    : terminal_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()), last_shown_(start_) {
  enabled_ = forced || (terminal_ && !quiet);
}

double ProgressLine::elapsed_seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

// True at most kRefreshesPerSecond times a second; the first call waits one
// period too, so a short run prints nothing.
bool ProgressLine::due() {
  const Clock::time_point now = Clock::now();
  if (now - last_shown_ < std::chrono::milliseconds(1000 / kRefreshesPerSecond))
    return false;
  last_shown_ = now;
  return true;
}

void ProgressLine::write(const std::string& text) {
  if (terminal_) {
    // Erase to the end of the line, so a shorter text leaves no tail.
    std::fprintf(stderr, "\r%s\033[K", text.c_str());
  } else {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::on_run(const barrel::sim::RunProgress& p) {
  const double seconds_since = std::chrono::duration<double>(Clock::now() - last_shown_).count();
  if (!enabled_ || !due())
    return;
  const double now_s = static_cast<double>(p.now.us()) / 1e6;
  const double end_s = static_cast<double>(p.end.us()) / 1e6;
  const double rate =
      seconds_since > 0 ? static_cast<double>(p.events - last_events_) / seconds_since : 0;
  last_events_ = p.events;
  const double elapsed = elapsed_seconds();
  // Virtual time moves at about the same pace through a run: the remaining
  // share of it, at the pace so far.
  const std::string eta = now_s > 0 ? format_eta(elapsed * (end_s - now_s) / now_s) : "?";
  char buf[160];
  std::snprintf(buf, sizeof buf, "[barrel-sim] t=%.1fs/%.0fs (%.0f%%)  %.2fM events/s  ETA %s",
                now_s, end_s, end_s > 0 ? 100 * now_s / end_s : 100, rate / 1e6, eta.c_str());
  write(buf);
}

void ProgressLine::show(const std::string& text) {
  if (enabled_ && due())
    write(text);
}

void ProgressLine::finish(const std::string& text) {
  if (!enabled_)
    return;
  if (terminal_) {
    if (shown_)
      std::fputs("\r\033[K", stderr);
  } else if (!text.empty()) {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  std::fflush(stderr);
}

std::string format_eta(double seconds) {
  const auto s = static_cast<long long>(seconds < 0 ? 0 : seconds + 0.5);
  char buf[48];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, (s % 3600) / 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%llds", s);
  }
  return buf;
}

}  // namespace barrel::tools
