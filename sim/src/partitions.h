// partitions.h — the network partitions in effect: who can reach whom.
//
// A partition maps every node to a group (uint16 per node: 0 is the implicit
// group of the nodes no selector named, 1..k the scenario's groups in order)
// and cuts every pair of its groups. Several may be in effect at once (at most
// kPartitionsActiveMax): a and b reach each other when no partition in effect
// puts them in different groups. Each partition gets a run-wide serial (1, 2,
// ...) when it starts; a LinkDown it causes carries that serial, and fires
// only if the partition is still in effect (network.h, engine_faults.cpp).
//
// A one-way cut (add_one_way) marks its `from` nodes 1 and its `to` nodes 2
// (0: neither): a node marked 1 cannot reach a node marked 2; the reverse
// direction passes. reaches(a, b) is the direction a message travels;
// reachable(a, b) is both directions, which a QUIC connection needs (its
// handshake and acknowledgements travel back), so a connection across a
// one-way cut fails and an established one goes down as across a cut, while
// the messages `to` sends to `from` still arrive (the receiver gets the
// packets; only the sender never hears the acknowledgements).
//
// Memory: 2 bytes per node per partition in effect (200 KB at 100k nodes),
// nothing when none is. reachable() is one comparison per partition in effect.
//
// Thread-safety: one owner.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace barrel::sim {

class Partitions {
 public:
  explicit Partitions(uint32_t node_count) : node_count_(node_count) {}

  bool any() const { return !cuts_.empty(); }
  size_t in_effect_count() const { return cuts_.size(); }

  // Whether a message from a reaches b (true when no partition is in effect).
  bool reaches(uint32_t a, uint32_t b) const {
    for (const Cut& c : cuts_) {
      if (c.one_way ? (c.group[a] == kFromSide && c.group[b] == kToSide) : c.group[a] != c.group[b])
        return false;
    }
    return true;
  }

  // Whether a and b reach each other both ways (a connection can live).
  bool reachable(uint32_t a, uint32_t b) const { return reaches(a, b) && reaches(b, a); }

  // Whether a cut of this kind over `group` separates a and b (both ways).
  static bool separates(bool one_way, const std::vector<uint16_t>& group, uint32_t a, uint32_t b) {
    if (!one_way)
      return group[a] != group[b];
    return (group[a] == kFromSide && group[b] == kToSide) ||
           (group[a] == kToSide && group[b] == kFromSide);
  }

  static constexpr uint16_t kFromSide = 1;  // one-way cuts: the side that cannot send
  static constexpr uint16_t kToSide = 2;

  // The serial the next add() will return.
  uint32_t next_serial() const { return next_serial_; }

  // Whether the partition with this serial is still in effect.
  bool in_effect(uint32_t serial) const;

  // Starts a partition (`group`: one entry per node) and returns its serial.
  // REQUIRES: in_effect_count() < kPartitionsActiveMax, group.size() == node count.
  uint32_t add(const std::string& name, std::vector<uint16_t> group);
  // Starts a one-way cut: side[i] is kFromSide, kToSide or 0. Same REQUIRES.
  uint32_t add_one_way(const std::string& name, std::vector<uint16_t> side);

  // Ends the partitions named `name` (empty: all in effect); appends their
  // serials to *healed, in start order.
  void heal(const std::string& name, std::vector<uint32_t>* healed);

 private:
  struct Cut {
    uint32_t serial;
    std::string name;
    std::vector<uint16_t> group;  // per node
    bool one_way = false;
  };

  uint32_t node_count_;
  uint32_t next_serial_ = 1;
  std::vector<Cut> cuts_;  // in start order, at most kPartitionsActiveMax
};

}  // namespace barrel::sim
