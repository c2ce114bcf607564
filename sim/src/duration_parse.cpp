// duration_parse.cpp — integer parsing and formatting of durations.
#include "duration_parse.h"

#include <cstdint>

#include "barrel/assert.h"

namespace barrel::sim {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t us;
};

// Longest suffix first is not needed: the suffix is everything after the digits.
constexpr Unit kUnits[] = {
    {"us", 1},
    {"ms", 1000},
    {"s", 1000 * 1000},
    {"m", 60 * 1000 * 1000},
    {"h", int64_t{3600} * 1000 * 1000},
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

bool parse_duration(std::string_view text, Duration* out, std::string* why) {
  BARREL_ASSERT(out != nullptr);
  BARREL_ASSERT(why != nullptr);
  if (text.empty()) {
    *why = "empty duration";
    return false;
  }
  if (text[0] == '-') {
    *why = "negative duration '" + std::string(text) + "'";
    return false;
  }
  size_t digits = 0;
  // Bounded by the text's length.
  while (digits < text.size() && is_digit(text[digits]))
    ++digits;
  if (digits == 0) {
    *why = "'" + std::string(text) + "' is not a duration";
    return false;
  }
  const std::string_view suffix = text.substr(digits);
  if (suffix.empty()) {
    *why = "duration '" + std::string(text) + "' has no unit";
    return false;
  }
  if (suffix[0] == '.') {
    *why = "duration '" + std::string(text) + "' is not an integer";
    return false;
  }
  const Unit* unit = nullptr;
  for (const Unit& u : kUnits) {
    if (u.suffix == suffix)
      unit = &u;
  }
  if (unit == nullptr) {
    *why = "unknown unit '" + std::string(suffix) + "' in duration '" + std::string(text) + "'";
    return false;
  }
  // Accumulate with an overflow bound: kDurationMax is far below INT64_MAX.
  const int64_t limit_us = kDurationMax.us();
  int64_t value = 0;
  for (size_t i = 0; i < digits; ++i) {
    value = value * 10 + (text[i] - '0');
    if (value > limit_us / unit->us) {
      *why = "duration '" + std::string(text) + "' is longer than 366 days";
      return false;
    }
  }
  *out = Duration::micros(value * unit->us);
  BARREL_ASSERT(out->us() >= 0 && *out <= kDurationMax);
  return true;
}

std::string format_duration(Duration d) {
  const int64_t us = d.us();
  if (us == 0)
    return "0s";
  // Largest unit that divides exactly; kUnits is in increasing order.
  const Unit* best = &kUnits[0];
  for (const Unit& u : kUnits) {
    if (us % u.us == 0)
      best = &u;
  }
  BARREL_ASSERT(us % best->us == 0);
  return std::to_string(us / best->us) + std::string(best->suffix);
}

std::string format_seconds(Duration d) {
  int64_t us = d.us();
  std::string sign;
  if (us < 0) {
    sign = "-";
    us = -us;
  }
  std::string s = sign + std::to_string(us / 1'000'000);
  int64_t frac = us % 1'000'000;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 6 - digits.size(), '0');
    // Bounded: at most six trailing zeros.
    while (!digits.empty() && digits.back() == '0')
      digits.pop_back();
    s += "." + digits;
  }
  return s + "s";
}

}  // namespace barrel::sim
