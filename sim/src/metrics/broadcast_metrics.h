// broadcast_metrics.h — per-broadcast records and their aggregates.
//
// The engine tells a BroadcastTracker what happens to each broadcast: its
// send (origin, instant, who was a live member then), each delivery at a
// node (hops, instant), each Gossip message carrying its id that reached a
// live node, and each crash. From these the tracker answers:
//   reliability  delivered / eligible, where eligible = members at the send
//                that have not crashed since and are members at the instant
//                of judgement (a node that died mid-broadcast is not counted
//                against it);
//   RMR          m / (n - 1) - 1, m = Gossip messages received, n = nodes that
//                delivered it (origin included), for n > 1 (Plumtree paper);
//   LDH          hops of the last delivery; also the maximum hops;
//   latency      per delivery away from the origin, delivered_at - sent_at;
//                percentiles by nearest rank.
// Deliveries are keyed by node index; a node's membership at send and its
// delivery are bits, so one record costs 2 bits per node plus 4 bytes per
// delivery.
//
// Bound: at most kBroadcastRecordsMax records; on_sent() refuses more (the
// engine fails the run: a scenario broadcasting that much is a typo).
//
// Thread-safety: one owner.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "barrel/rng.h"
#include "barrel/sim/simulator.h"
#include "barrel/time.h"

namespace barrel::sim {

inline constexpr size_t kBroadcastRecordsMax = 1u << 16;

// A broadcast's id, as the core's MessageId (hi, lo).
struct BroadcastKey {
  uint64_t hi = 0, lo = 0;
  auto operator<=>(const BroadcastKey&) const = default;
};

// A fixed-size set of node indexes.
class NodeBits {
 public:
  NodeBits() = default;
  explicit NodeBits(uint32_t n) : n_(n), words_((n + 63) / 64, 0) {}
  uint32_t size() const { return n_; }
  bool get(uint32_t i) const { return (words_[i / 64] >> (i % 64)) & 1u; }
  void set(uint32_t i) { words_[i / 64] |= uint64_t{1} << (i % 64); }
  void clear(uint32_t i) { words_[i / 64] &= ~(uint64_t{1} << (i % 64)); }
  // |this & a| and |this & a & b|.
  uint32_t count_and(const NodeBits& a) const;
  uint32_t count_and(const NodeBits& a, const NodeBits& b) const;
  uint32_t count() const;

 private:
  uint32_t n_ = 0;
  std::vector<uint64_t> words_;
};

struct BroadcastRecord {
  BroadcastKey id;
  uint32_t origin = 0;
  Instant sent_at;
  uint32_t members_at_send = 0;
  uint32_t delivered = 0;  // deliveries at nodes that were members at the send
  uint16_t last_hops = 0;  // LDH
  uint16_t max_hops = 0;
  uint64_t gossip_received = 0;
  Instant last_delivery_at;
  std::vector<uint32_t> latencies_us;  // deliveries away from the origin
  NodeBits eligible;                   // member at the send, not crashed since
  NodeBits got;                        // delivered by the node's current incarnation
};

// One judgement of one broadcast against the members at an instant.
struct Reliability {
  uint32_t eligible = 0;
  uint32_t delivered = 0;
  Ppm ppm() const;  // kPpmOne when eligible == 0
};

class BroadcastTracker {
 public:
  enum class Delivery { kCounted, kUnknownId, kDuplicate };

  explicit BroadcastTracker(uint32_t node_count) : node_count_(node_count) {}

  // Starts the record of `id`. False when the id is already tracked or the
  // record bound is reached.
  bool on_sent(BroadcastKey id, uint32_t origin, Instant now, const NodeBits& members);
  // `node` delivered `id` after `hops` hops. kDuplicate: the node's current
  // incarnation delivered it already (a protocol bug).
  Delivery on_delivered(BroadcastKey id, uint32_t node, uint16_t hops, Instant now);
  // A Gossip message carrying `id` reached a live node.
  void on_gossip(BroadcastKey id);
  // `node` crashed: it is no longer eligible for any broadcast sent so far,
  // and its next incarnation may deliver them again.
  void on_crash(uint32_t node);

  const std::vector<BroadcastRecord>& records() const { return records_; }
  // Counted deliveries so far (every on_delivered() that returned kCounted).
  uint64_t deliveries() const { return deliveries_; }
  // Judges `r` against the members at the instant of judgement.
  static Reliability judge(const BroadcastRecord& r, const NodeBits& members_now);
  // m / (n - 1) - 1; false when fewer than two nodes delivered.
  static bool rmr(const BroadcastRecord& r, double* out);

  // Aggregates over records sent in [from, to). Records sent after
  // `judged_by` are counted as sent but not judged (still in flight).
  BroadcastSummary summarize(const std::string& name, Instant from, Instant to, Instant judged_by,
                             const NodeBits& members_now) const;

 private:
  uint32_t node_count_;
  std::vector<BroadcastRecord> records_;
  std::map<BroadcastKey, uint32_t> index_;
  uint64_t deliveries_ = 0;
};

// The nearest-rank percentile `pct` (1..100) of `values`, which it reorders.
// 0 when empty.
uint64_t percentile(std::vector<uint32_t>* values, uint32_t pct);

}  // namespace barrel::sim
