// report_text.h — the human summary barrel-sim prints.
//
// format_header() is printed before the run: every knob that decides the run
// (scenario, seed, nodes, duration, network, the resolved HyParView config),
// so a run can be reproduced from its own output. format_summary() is
// printed after it: time and event counts, message and link counters,
// healing records, each expectation PASS/FAIL with its file:line, and the
// first nodes' views. format_failures() is the short form (--quiet): only
// what failed. trace_hash_line() is the last line of every run.
//
// Everything virtual is printed with integer arithmetic; only the wall time
// and the event rate are floating point (they are measurements of the host,
// not part of the run).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "barrel/sim/scenario.h"
#include "barrel/sim/simulator.h"

namespace barrel::sim {

std::string format_header(const Scenario& scenario, const std::string& scenario_path);

std::string format_summary(const Scenario& scenario, const RunReport& report, double wall_seconds);

// "run failure: ..." and one "FAIL ..." line per failed expectation; empty
// when the run passed.
std::string format_failures(const RunReport& report);

// "connected", "symmetric", "view_bounds", "active_min", "healed_within":
// the scenario language's name of a check.
std::string_view expectation_kind_name(Expectation::Kind kind);

// "connected", "active_min 2", "healed_within 30s": an expectation's check.
std::string describe_check(const Expectation& e);

// "trace hash: 0x0123456789abcdef\n".
std::string trace_hash_line(uint64_t trace_hash);

}  // namespace barrel::sim
