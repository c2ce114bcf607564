// claim.h — one liveness claim, "node N (boot B) is alive / suspect / dead at
// incarnation I", and the lattice that orders claims about one node.
//
// Incarnations: a node's first incarnation is its boot incarnation (µs of
// wall clock at boot), raised by 1 by each refutation. A restarted node boots
// with a value larger than any incarnation of its previous life, so the
// incarnations of successive lives never overlap and (incarnation, state)
// alone orders every claim about a name, across restarts.
//
// The lattice: a claim supersedes a record iff (incarnation, state) is
// lexicographically larger, with kAlive < kSuspect < kDead: a suspicion beats
// the alive claim it is about, a death beats both, and only the node itself
// can raise its incarnation (refute) to beat either. `boot` is merged
// separately, by max: it is "the newest life heard of". Merging is therefore
// commutative, associative and idempotent, so nodes converge whatever order
// claims reach them in.
//
// Validity (validate_claim): the node name passes validate_node_name, the
// state is one of the three, and boot <= incarnation. The last holds for
// every honest claim: a life's incarnations start at its boot and only grow,
// and a node that suspects a peer claims max(record incarnation, hint), where
// the record's incarnation is already >= the largest boot it merged. boot 0
// means "boot unknown" (a suspicion raised before anything was heard of the
// peer's life).
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>

#include "barrel/service.h"
#include "barrel/status.h"

namespace barrel::liveness {

struct Claim {
  MemberState state = MemberState::kAlive;
  std::string node;          // "name@host"
  uint64_t boot = 0;         // the boot incarnation of the life claimed about (0: unknown)
  uint64_t incarnation = 0;  // the incarnation the state is about
  bool operator==(const Claim&) const = default;
};

// True iff (inc, s) > (record_inc, record_s) lexicographically, with
// kAlive < kSuspect < kDead (the enum's numeric order).
constexpr bool supersedes(MemberState s, uint64_t inc, MemberState record_s, uint64_t record_inc) {
  if (inc != record_inc)
    return inc > record_inc;
  return static_cast<uint8_t>(s) > static_cast<uint8_t>(record_s);
}

// True iff claim `a` supersedes a record at (s, inc).
constexpr bool supersedes(const Claim& a, MemberState s, uint64_t inc) {
  return supersedes(a.state, a.incarnation, s, inc);
}

// True iff `v` is one of the three MemberState values.
constexpr bool is_member_state(uint8_t v) {
  return v >= static_cast<uint8_t>(MemberState::kAlive) &&
         v <= static_cast<uint8_t>(MemberState::kDead);
}

// OK, or kBadName (the node name), or kMalformed (state out of range, or
// boot > incarnation), with a message naming the field.
Status validate_claim(const Claim& c);

}  // namespace barrel::liveness
