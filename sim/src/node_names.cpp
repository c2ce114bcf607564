// node_names.cpp — pattern-generated node names and their reverse lookup.
#include "node_names.h"

#include "barrel/assert.h"
#include "barrel/ids.h"

namespace barrel::sim {
namespace {

constexpr std::string_view kPlaceholder = "{i}";

}  // namespace

bool NodeNames::make(std::string_view pattern, uint32_t count, NodeNames* out, std::string* why) {
  BARREL_ASSERT(out != nullptr && why != nullptr);
  BARREL_ASSERT(count >= 1);
  const size_t at = pattern.find(kPlaceholder);
  if (at == std::string_view::npos) {
    *why = "name pattern '" + std::string(pattern) + "' lacks {i}";
    return false;
  }
  if (pattern.find(kPlaceholder, at + 1) != std::string_view::npos) {
    *why = "name pattern '" + std::string(pattern) + "' holds {i} more than once";
    return false;
  }
  NodeNames n;
  n.prefix_ = std::string(pattern.substr(0, at));
  n.suffix_ = std::string(pattern.substr(at + kPlaceholder.size()));
  n.count_ = count;
  // Names differ only in the digits of i, so checking the shortest and the
  // longest name checks them all (length and character classes).
  for (uint32_t i : {uint32_t{1}, count}) {
    const std::string name = n.name(i);
    if (Status s = validate_node_name(name); !s.is_ok()) {
      *why = "name pattern '" + std::string(pattern) + "' gives '" + name +
             "': " + std::string(s.message());
      return false;
    }
  }
  *out = std::move(n);
  return true;
}

std::string NodeNames::name(uint32_t index) const {
  BARREL_ASSERT(index >= 1);
  BARREL_ASSERT(index <= count_);
  return prefix_ + std::to_string(index) + suffix_;
}

uint32_t NodeNames::index_of(std::string_view name) const {
  if (name.size() <= prefix_.size() + suffix_.size())
    return 0;
  if (name.substr(0, prefix_.size()) != prefix_)
    return 0;
  if (name.substr(name.size() - suffix_.size()) != suffix_)
    return 0;
  const std::string_view digits =
      name.substr(prefix_.size(), name.size() - prefix_.size() - suffix_.size());
  // No leading zero: "node01@sim" is not node 1.
  if (digits.empty() || digits[0] == '0' || digits.size() > 10)
    return 0;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      return 0;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > count_)
    return 0;
  BARREL_ASSERT(name == this->name(static_cast<uint32_t>(v)));
  return static_cast<uint32_t>(v);
}

std::string NodeNames::describe() const {
  if (count_ == 0)
    return "no nodes";
  if (count_ == 1)
    return name(1);
  return name(1) + " .. " + name(count_);
}

}  // namespace barrel::sim
