// json_check.h — a strict RFC 8259 syntax check, for tests of the JSON report.
//
// Header-only (each test file is its own executable). It validates and builds
// nothing: objects, arrays, strings with their escapes, numbers,
// true/false/null; nesting is bounded by kDepthMax.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace barrel::sim::test {

class JsonChecker {
 public:
  static constexpr int kDepthMax = 64;

  explicit JsonChecker(std::string_view doc) : s_(doc) {}

  bool check(std::string* why) {
    space();
    bool ok = value(0);
    space();
    if (ok && i_ != s_.size())
      ok = fail("trailing characters");
    if (!ok && why != nullptr)
      *why = why_ + " at offset " + std::to_string(i_);
    return ok;
  }

 private:
  bool fail(const char* what) {
    if (why_.empty())
      why_ = what;
    return false;
  }
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r'))
      ++i_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word)
      return fail("bad literal");
    i_ += word.size();
    return true;
  }
  bool digits() {
    const size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9')
      ++i_;
    return i_ > start || fail("digits expected");
  }
  bool number() {
    if (s_[i_] == '-')
      ++i_;
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
    } else if (!digits()) {
      return false;
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (!digits())
        return false;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-'))
        ++i_;
      return digits();
    }
    return true;
  }
  bool string() {
    ++i_;  // the opening quote
    while (i_ < s_.size() && s_[i_] != '"') {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c < 0x20)
        return fail("raw control character in a string");
      if (c == '\\') {
        ++i_;
        if (i_ >= s_.size())
          return fail("unterminated escape");
        const char e = s_[i_];
        if (e == 'u') {
          for (int k = 0; k < 4; ++k) {
            ++i_;
            const char h = i_ < s_.size() ? s_[i_] : 'x';
            const bool hex =
                (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
            if (!hex)
              return fail("bad \\u escape");
          }
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return fail("bad escape");
        }
      }
      ++i_;
    }
    if (i_ >= s_.size())
      return fail("unterminated string");
    ++i_;
    return true;
  }
  bool members(int depth, char close, bool object) {
    ++i_;  // the opening bracket
    space();
    if (i_ < s_.size() && s_[i_] == close) {
      ++i_;
      return true;
    }
    for (;;) {  // bounded by the document's length: each round consumes input
      space();
      if (object) {
        if (i_ >= s_.size() || s_[i_] != '"' || !string())
          return fail("object key expected");
        space();
        if (i_ >= s_.size() || s_[i_] != ':')
          return fail("':' expected");
        ++i_;
        space();
      }
      if (!value(depth + 1))
        return false;
      space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == close) {
        ++i_;
        return true;
      }
      return fail("',' or closing bracket expected");
    }
  }
  bool value(int depth) {
    if (depth > kDepthMax)
      return fail("nested too deep");
    if (i_ >= s_.size())
      return fail("value expected");
    const char c = s_[i_];
    if (c == '{')
      return members(depth, '}', true);
    if (c == '[')
      return members(depth, ']', false);
    if (c == '"')
      return string();
    if (c == 't')
      return literal("true");
    if (c == 'f')
      return literal("false");
    if (c == 'n')
      return literal("null");
    if (c == '-' || (c >= '0' && c <= '9'))
      return number();
    return fail("value expected");
  }

  std::string_view s_;
  size_t i_ = 0;
  std::string why_;
};

inline bool json_is_valid(std::string_view doc, std::string* why) {
  return JsonChecker(doc).check(why);
}

}  // namespace barrel::sim::test
