// dot.h — a dot: one event (an add) of one replica, (replica, counter).
//
// Replica identity: a ReplicaId is a 64-bit value the caller gives, NOT the
// process-local NodeId handle (state crosses processes, and NodeId values
// differ between them). The caller must make it unique per (node name,
// incarnation): e.g. derived from the node's boot HLC timestamp and its name,
// or drawn from the host-seeded Rng at boot. A restarted node MUST use a new
// replica id: reusing one with its counter reset to 0 would mint dots that
// every peer's context already covers, so its new adds would look removed.
// 64 bits rather than the name string keep dots at 16 bytes in memory and on
// the wire; ordering by replica id is content-based (the same in every
// process), so it may decide iteration order.
//
// Counters start at 1; counter 0 is never a dot (a version-vector entry of 0
// means "nothing seen" and is not stored).
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace barrel::ormap {

using ReplicaId = uint64_t;

struct Dot {
  ReplicaId replica = 0;
  uint64_t counter = 0;
  constexpr auto operator<=>(const Dot&) const = default;
  constexpr bool valid() const { return counter != 0; }
};

// "(replica, counter)", for error messages. Built by appends: g++ 12 at -O3
// reports a false -Wrestrict on `"(" + std::string&&` (GCC PR 105329),
// which -Werror turned into a failed Release build.
inline std::string to_string(Dot d) {
  std::string s = "(";
  s += std::to_string(d.replica);
  s += ", ";
  s += std::to_string(d.counter);
  s += ")";
  return s;
}

}  // namespace barrel::ormap
