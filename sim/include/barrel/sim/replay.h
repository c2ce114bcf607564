// replay.h — replays a recorded node (core record.h) in the simulator's
// process: the same Node, created as it was, fed every recorded input at its
// recorded time; after each input the effects it produces are compared with
// the recorded ones. The Node is deterministic, so a faithful recording of a
// correct core replays without divergence; a divergence names the first input
// whose effects differ, and the first differing effect, with node names.
//
// Thread-safety: a free function over its own NameTable and Node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "barrel/result.h"
#include "barrel/time.h"

namespace barrel::sim {

struct ReplayDivergence {
  size_t input_index = 0;   // 0-based, among the recorded inputs
  Instant at;               // the input's recorded time
  std::string input;        // the input, described (record::describe)
  size_t effect_index = 0;  // 0-based, among that input's effects
  std::string expected;     // the recorded effect, or "(none)"
  std::string actual;       // the replayed effect, or "(none)"
};

struct ReplayReport {
  std::string self;    // the recorded node's name
  size_t inputs = 0;   // inputs replayed (up to and including a divergent one)
  size_t effects = 0;  // effects compared equal
  // The recording ends after an input whose effects were never written (the
  // node stopped mid-input): that input was replayed but not checked.
  bool last_input_unchecked = false;
  std::optional<ReplayDivergence> divergence;  // the first, if any
};

// Replays the recording in `bytes`. An error (the reader's, naming the byte
// offset; kMalformed for records out of order; the Node's for a CREATE it
// refuses) means the recording is unusable; a divergence is a report.
Result<ReplayReport> replay(std::span<const uint8_t> bytes);

// The report for a human, several lines ending in "\n".
std::string to_text(const ReplayReport& r);

}  // namespace barrel::sim
