// bounded_view.h — a bounded, insertion-ordered set of NodeIds.
//
// The common shape of HyParView's active and passive views: a vector whose
// capacity is reserved once at construction (from the configured view size),
// kept in insertion order, without duplicates. Order never depends on NodeId
// values (ids.h): members are appended, removal keeps the order of the rest,
// and random picks draw an index from the Rng.
//
// Policy when full: insert() REQUIRES room; the owning view decides whom to
// evict first (ActiveView: the protocol sends DISCONNECT; PassiveView: a
// random member, or one the caller prefers to lose).
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "barrel/ids.h"
#include "barrel/rng.h"

namespace barrel::hyparview {

class BoundedView {
 public:
  // REQUIRES: capacity >= 1.
  explicit BoundedView(size_t capacity);

  size_t size() const { return members_.size(); }
  size_t capacity() const { return capacity_; }
  bool empty() const { return members_.empty(); }
  bool full() const { return members_.size() >= capacity_; }
  bool contains(NodeId id) const;
  // REQUIRES: i < size().
  NodeId at(size_t i) const;
  std::span<const NodeId> members() const { return members_; }
  // Bumped by every change of the members (never 0; 64 bits, so it never
  // wraps): a host may skip re-checking a view whose version it has seen.
  uint64_t version() const { return version_; }

  // Appends `id`. REQUIRES: id valid, not a member, not full.
  void insert(NodeId id);
  // Removes `id` if present (order of the others kept); true if it was there.
  bool remove(NodeId id);
  // Removes and returns the member at `i`. REQUIRES: i < size().
  NodeId remove_at(size_t i);
  void clear() {
    members_.clear();
    ++version_;
  }

  // A uniformly random index. REQUIRES: !empty().
  size_t random_index(Rng& rng) const;
  // A uniformly random member other than `a` and `b`, or NodeId::invalid()
  // if there is none. Either may be invalid() (excludes nothing).
  NodeId random_member_except(Rng& rng, NodeId a, NodeId b) const;

  // Asserts: size within capacity, every member valid, no duplicates.
  void check_invariants() const;

 private:
  std::vector<NodeId> members_;
  uint64_t version_ = 1;
  uint32_t capacity_;
};

}  // namespace barrel::hyparview
