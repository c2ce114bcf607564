// ids.h — node names and their interned handles.
//
// A node is named "name@host" (the Erlang original's convention):
//   name := [A-Za-z0-9_.-]+      host := [A-Za-z0-9_.:-]+
// at most limits::kNodeNameBytesMax (255) bytes in all, exactly one '@'.
// validate_node_name() checks this before anything is allocated for a name.
//
// Inside one process names are interned in a NameTable to a NodeId, a 32-bit
// handle, so views, caches and messages stay compact. The table is owned by
// the host and shared by every Node that host runs (the simulator runs 100k
// Nodes on one table); it must outlive them.
//
// Determinism rule: a NodeId's numeric value depends on the order in which a
// process first met a name, so it must never decide protocol behaviour.
// The core keeps views in insertion order and never sorts by NodeId where the
// order could reach an effect. (That is what lets a real node's recorded
// inputs replay in the simulator, whose table is filled in another order.)
//
// Thread-safety: a NameTable is not thread-safe; one per host thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "barrel/result.h"
#include "barrel/status.h"

namespace barrel {

class NodeId {
 public:
  constexpr NodeId() = default;
  constexpr explicit NodeId(uint32_t v) : v_(v) {}
  static constexpr NodeId invalid() { return NodeId(); }
  constexpr bool valid() const { return v_ != kInvalid; }
  constexpr uint32_t value() const { return v_; }
  constexpr bool operator==(const NodeId&) const = default;

 private:
  static constexpr uint32_t kInvalid = UINT32_MAX;
  uint32_t v_ = kInvalid;
};

// OK, or kBadName with a message saying what is wrong. Never allocates.
Status validate_node_name(std::string_view name);

class NameTable {
 public:
  // `names_max` bounds the table: interning a new name beyond it fails with
  // kLimitExceeded (a peer cannot grow our memory without bound).
  explicit NameTable(size_t names_max);
  NameTable(const NameTable&) = delete;
  NameTable& operator=(const NameTable&) = delete;

  // The handle for `name`, interning it if new.
  // Returns kBadName (invalid name) or kLimitExceeded (table full).
  Result<NodeId> intern(std::string_view name);
  // The handle for `name` if already interned, else NodeId::invalid().
  NodeId find(std::string_view name) const;
  // REQUIRES: id was returned by this table.
  std::string_view name(NodeId id) const;
  size_t size() const { return names_.size(); }
  size_t names_max() const { return names_max_; }

 private:
  size_t names_max_;
  std::deque<std::string> names_;                         // deque: string_views into it stay valid
  std::unordered_map<std::string_view, uint32_t> index_;  // lookups only, never iterated
};

}  // namespace barrel

template <>
struct std::hash<barrel::NodeId> {
  size_t operator()(barrel::NodeId id) const noexcept { return id.value(); }
};
