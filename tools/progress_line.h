// progress_line.h — the progress line barrel-sim shows on stderr during long
// runs: rewritten in place ("\r") on a terminal, at most kRefreshesPerSecond
// times a second; one plain line per refresh when forced on a non-terminal
// (--progress), so logs stay readable.
//
// The wall clock is read here, in the tool, never in the simulator: progress
// is a measurement of the host and nothing in a run depends on it.
//
// Thread-safety: one owner (the main thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "barrel/sim/simulator.h"

namespace barrel::tools {

class ProgressLine {
 public:
  static constexpr int kRefreshesPerSecond = 4;

  // Shown when `forced`, or when stderr is a terminal and not `quiet`.
  ProgressLine(bool quiet, bool forced);

  bool enabled() const { return enabled_; }

  // A single run's position: "t=12.5s/115s (11%)  1.93M events/s  ETA 1m40s".
  void on_run(const barrel::sim::RunProgress& p);
  // Any text, e.g. the --seeds counts; rate-limited like on_run.
  void show(const std::string& text);
  // The run is over: a terminal's line is erased; a forced one gets a last
  // line with `text` (when not empty).
  void finish(const std::string& text);

  // Seconds since construction.
  double elapsed_seconds() const;

 private:
  using Clock = std::chrono::steady_clock;
  bool due();
  void write(const std::string& text);

  bool enabled_ = false;
  bool terminal_ = false;
  bool shown_ = false;
  Clock::time_point start_;
  Clock::time_point last_shown_;
  uint64_t last_events_ = 0;
};

// "1m40s", "12s", "2h05m": a wall duration for people.
std::string format_eta(double seconds);

}  // namespace barrel::tools
