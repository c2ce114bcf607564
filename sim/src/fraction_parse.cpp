// fraction_parse.cpp — decimal and percentage fractions to ppm, digit by digit.
#include "fraction_parse.h"

#include <cstdint>

#include "barrel/assert.h"

namespace barrel::sim {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Integer part bound: keeps value * 10^6 far from overflow.
constexpr uint64_t kIntegerPartMax = 1000;

}  // namespace

bool parse_fraction_ppm(std::string_view text, uint64_t* out, std::string* why) {
  BARREL_ASSERT(out != nullptr);
  BARREL_ASSERT(why != nullptr);
  const std::string quoted = "'" + std::string(text) + "'";
  const bool percent = !text.empty() && text.back() == '%';
  std::string_view body = percent ? text.substr(0, text.size() - 1) : text;
  if (!body.empty() && body[0] == '-') {
    *why = "negative fraction " + quoted;
    return false;
  }
  const size_t dot = body.find('.');
  const std::string_view whole = body.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : body.substr(dot + 1);
  bool ok = !whole.empty() && (dot == std::string_view::npos || !frac.empty());
  for (char c : whole)
    ok = ok && is_digit(c);
  for (char c : frac)
    ok = ok && is_digit(c);
  if (!ok) {
    *why = quoted + " is not a fraction";
    return false;
  }
  // A percentage has two fewer decimal places of ppm resolution.
  const size_t frac_digits_max = percent ? 4 : 6;
  if (frac.size() > frac_digits_max) {
    *why = "fraction " + quoted + " is finer than 1 ppm";
    return false;
  }
  uint64_t integer = 0;
  for (char c : whole) {
    integer = integer * 10 + static_cast<uint64_t>(c - '0');
    if (integer > kIntegerPartMax) {
      *why = "fraction " + quoted + " is far above 1";
      return false;
    }
  }
  // Scale: ppm per unit of the integer part, then per fractional digit.
  uint64_t scale = percent ? 10'000 : 1'000'000;
  uint64_t ppm = integer * scale;
  for (char c : frac) {
    scale /= 10;
    ppm += static_cast<uint64_t>(c - '0') * scale;
  }
  BARREL_ASSERT(scale >= 1);
  *out = ppm;
  return true;
}

std::string format_ppm(uint64_t ppm) {
  std::string s = std::to_string(ppm / kPpmOne);
  uint64_t frac = ppm % kPpmOne;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 6 - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0')
      digits.pop_back();
    s += "." + digits;
  }
  return s;
}

}  // namespace barrel::sim
