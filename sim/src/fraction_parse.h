// fraction_parse.h — fractions as scenarios write them, in parts per million.
//
// Grammar (no sign, no exponent):
//   fraction := DIGITS [ "." DIGITS ]          a decimal, e.g. 0.5, 1, 0.125
//             | DIGITS [ "." DIGITS ] "%"      a percentage, e.g. 50%, 12.5%
// The value is converted to Ppm with integer arithmetic only (the digits are
// read, never a double), so "0.1" is exactly 100000 ppm. A value that needs a
// finer resolution than 1 ppm is rejected, not rounded. The caller checks the
// range (scenarios require 0 < fraction <= 1).
#pragma once

#include <string>
#include <string_view>

#include "barrel/rng.h"

namespace barrel::sim {

inline constexpr std::string_view kFractionForm =
    "a fraction in (0, 1] as a decimal or a percentage (e.g. 0.5 or \"50%\")";

// Parses `text`. On success returns true and sets *out (may exceed kPpmOne;
// values above 1000 are rejected to keep the arithmetic bounded). On failure
// returns false and sets *why.
bool parse_fraction_ppm(std::string_view text, uint64_t* out, std::string* why);

// "0.5", "0.125", "1": the shortest decimal form of a Ppm.
std::string format_ppm(uint64_t ppm);

}  // namespace barrel::sim
