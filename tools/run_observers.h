// run_observers.h — barrel-sim's --trace and --watch for one run: opens the
// trace file (its "{seed}" expanded), checks the watched node's name, hands
// both observers to the run and, after it, closes the file and says what was
// written (and, when the --trace-max cap cut the log short, what is missing).
// Also --trace-dump.
//
// Used by a single run (barrel_sim_main.cpp) and by each --seeds worker
// (seed_runner.cpp): one RunObservers per run.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "barrel/sim/scenario.h"
#include "barrel/sim/simulator.h"
#include "barrel/sim/trace_log.h"
#include "barrel/sim/watch.h"
#include "sim_args.h"

namespace barrel::tools {

class RunObservers {
 public:
  RunObservers() = default;
  RunObservers(const RunObservers&) = delete;
  RunObservers& operator=(const RunObservers&) = delete;
  ~RunObservers();

  // Before the run, for `scenario` with its seed set: empty on success,
  // else what is wrong (a usage error: exit 2 before running).
  std::string open(const Args& args, const barrel::sim::Scenario& scenario);
  // Adds the open observers to `options`.
  void attach(barrel::sim::RunOptions* options);
  // After the run: closes the trace file and appends to *out what to print
  // ("trace: wrote ..." unless `quiet`, and the cap note whatever `quiet`).
  // False when the trace could not be written completely.
  bool close(bool quiet, std::string* out);

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::optional<barrel::sim::TraceLog> log_;
  std::optional<barrel::sim::NodeWatch> watch_;
};

// barrel-sim --trace-dump FILE [--watch NODE]: the exit status.
int dump_trace_file(const Args& args);

}  // namespace barrel::tools
