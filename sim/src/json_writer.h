// json_writer.h — a small pretty-printing JSON writer (for report_json.cpp):
// values in order, commas and indentation tracked.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/assert.h"
#include "barrel/sim/report_json.h"

namespace barrel::sim {

// Writes one JSON value into a string, tracking commas and indentation.
// Containers nest at most a few levels; the stack is bounded by the layout.
class JsonWriter {
 public:
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void key(std::string_view k) {
    BARREL_ASSERT(!stack_.empty() && stack_.back().object);
    element();
    out_ += json_quote(k);
    out_ += ": ";
    after_key_ = true;
  }
  void string(std::string_view s) { scalar(json_quote(s)); }
  void uint(uint64_t v) { scalar(std::to_string(v)); }
  void boolean(bool b) { scalar(b ? "true" : "false"); }
  void null() { scalar("null"); }
  // Finite doubles only; JSON has no NaN or infinity.
  void real(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, std::isfinite(v) ? v : 0.0);
    scalar(buf);
  }
  std::string take() {
    BARREL_ASSERT(stack_.empty());
    return std::move(out_) + "\n";
  }

 private:
  struct Level {
    bool object;
    bool empty;
  };
  void element() {
    if (stack_.empty())
      return;
    if (!stack_.back().empty)
      out_ += ",";
    stack_.back().empty = false;
    out_ += "\n";
    out_.append(2 * stack_.size(), ' ');
  }
  void scalar(std::string_view text) {
    if (!after_key_)
      element();
    after_key_ = false;
    out_ += text;
  }
  void open(char c) {
    scalar(std::string(1, c));
    stack_.push_back(Level{c == '{', true});
  }
  void close(char c) {
    BARREL_ASSERT(!stack_.empty());
    BARREL_ASSERT(stack_.back().object == (c == '}'));
    const bool empty = stack_.back().empty;
    stack_.pop_back();
    if (!empty) {
      out_ += "\n";
      out_.append(2 * stack_.size(), ' ');
    }
    out_ += c;
  }
  std::string out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

}  // namespace barrel::sim
