// duration_parse.h — durations as scenarios write them, and as reports print them.
//
// Grammar (no sign, no spaces, no fractions, the unit is mandatory):
//   duration := DIGITS unit        unit := "us" | "ms" | "s" | "m" | "h"
// e.g. 1500us, 50ms, 10s, 2m, 1h. Values above kDurationMax are rejected, so
// every parsed duration can be added to any instant of a run without overflow.
//
// Parsing is integer only: "1500us" is exactly 1500 microseconds.
#pragma once

#include <string>
#include <string_view>

#include "barrel/time.h"

namespace barrel::sim {

// The largest duration a scenario may write: 366 days.
inline constexpr Duration kDurationMax = Duration::seconds(int64_t{366} * 24 * 3600);

// The form every duration error names.
inline constexpr std::string_view kDurationForm =
    "an integer with a unit us, ms, s, m or h (e.g. 1500us, 50ms, 10s, 2m)";

// Parses `text`. On success returns true and sets *out. On failure returns
// false and sets *why to what is wrong ("unknown unit 'x'", "missing unit").
bool parse_duration(std::string_view text, Duration* out, std::string* why);

// Human form with the largest exact unit: "0s", "1500us", "50ms", "10s",
// "2m", "1h"; spans that are not whole milliseconds print in microseconds.
// Parses back with parse_duration (for non-negative values).
std::string format_duration(Duration d);

// Seconds with up to six decimals, trailing zeros trimmed: "61.8s", "0.05s",
// "180s". Integer arithmetic only. Negative values get a leading '-'.
std::string format_seconds(Duration d);

}  // namespace barrel::sim
