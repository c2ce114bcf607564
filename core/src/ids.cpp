#include "barrel/ids.h"

#include <string>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel {
namespace {

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool is_host_char(char c) {
  return is_name_char(c) || c == ':';
}

}  // namespace

Status validate_node_name(std::string_view name) {
  if (name.empty())
    return {Code::kBadName, "empty node name"};
  if (name.size() > limits::kNodeNameBytesMax) {
    return {Code::kBadName, "node name longer than 255 bytes"};
  }
  const size_t at = name.find('@');
  if (at == std::string_view::npos)
    return {Code::kBadName, "node name lacks '@' (name@host)"};
  if (at == 0)
    return {Code::kBadName, "node name has an empty name part (name@host)"};
  if (at + 1 == name.size()) {
    return {Code::kBadName, "node name has an empty host part (name@host)"};
  }
  for (size_t i = 0; i < at; ++i) {
    if (!is_name_char(name[i])) {
      return {Code::kBadName, "node name part allows only [A-Za-z0-9_.-]"};
    }
  }
  for (size_t i = at + 1; i < name.size(); ++i) {
    if (!is_host_char(name[i])) {
      return {Code::kBadName, "node host part allows only [A-Za-z0-9_.:-]"};
    }
  }
  return Status::ok();
}

NameTable::NameTable(size_t names_max) : names_max_(names_max) {
  BARREL_ASSERT(names_max > 0);
  BARREL_ASSERT(names_max < UINT32_MAX);
}

Result<NodeId> NameTable::intern(std::string_view name) {
  if (auto it = index_.find(name); it != index_.end())
    return NodeId(it->second);
  if (Status s = validate_node_name(name); !s.is_ok())
    return s;
  if (names_.size() >= names_max_) {
    return Status::limit_exceeded("name table full (" + std::to_string(names_max_) + " names)");
  }
  const auto id = static_cast<uint32_t>(names_.size());
  names_.emplace_back(name);
  index_.emplace(std::string_view(names_.back()), id);
  BARREL_ASSERT(index_.size() == names_.size());
  return NodeId(id);
}

NodeId NameTable::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? NodeId::invalid() : NodeId(it->second);
}

std::string_view NameTable::name(NodeId id) const {
  BARREL_ASSERT(id.valid());
  BARREL_ASSERT(id.value() < names_.size());
  return names_[id.value()];
}

}  // namespace barrel
