// config.h — the options of one Node, with defaults from the papers.
//
// Like ngtcp2_settings and leveldb::Options: a plain struct whose in-class
// initialisers are the defaults. NodeConfig::validate() rejects values out
// of range (it never clamps); Node::create() calls it.
#pragma once

#include <cstdint>

#include "barrel/status.h"
#include "barrel/time.h"

namespace barrel {

// HyParView (Leitão, Pereira, Rodrigues, DSN 2007).
// Glossary: ARWL = active random walk length, PRWL = passive random walk
// length, ka / kp = active / passive entries carried by a SHUFFLE.
struct HyParViewConfig {
  // Active view bound: symmetric, monitored links; broadcast runs over them.
  // Range 1..limits::kActiveViewSizeMax. Paper: log(N) + c; default 5.
  uint32_t active_size = 5;
  // Passive view bound: known peers kept as replacements.
  // Range 1..limits::kPassiveViewSizeMax. Default 30.
  uint32_t passive_size = 30;
  // FORWARD_JOIN walk length. Range 1..limits::kWalkLengthMax. Default 6.
  uint8_t arwl = 6;
  // The walk step at which a FORWARD_JOIN puts the joiner in the passive view.
  // Range 0..arwl. Default 3.
  uint8_t prwl = 3;
  // Active / passive members carried by one SHUFFLE (plus the sender).
  // 1 + ka + kp <= limits::kShuffleNodesMax. Defaults 3 and 4.
  uint32_t shuffle_ka = 3;
  uint32_t shuffle_kp = 4;
  // SHUFFLE walk length (TTL); the paper uses ARWL. Range 1..kWalkLengthMax.
  uint8_t shuffle_ttl = 6;
  // Period of the SHUFFLE. Each node draws its first shuffle uniformly in
  // [0, period) and every later one in [period/2, 3*period/2), so nodes do
  // not shuffle in lockstep. Range 100 ms..1 h. Default 10 s.
  Duration shuffle_period = Duration::seconds(10);
  // How long a NEIGHBOR request waits for its reply before the target is
  // treated as unreachable (a backstop: the host normally reports a failed
  // connection sooner). Range 10 ms..10 min. Default 5 s.
  Duration neighbor_timeout = Duration::seconds(5);
  // While the active view is below active_size and the passive view has
  // candidates, one NEIGHBOR attempt is started at least this often.
  // Range 10 ms..10 min. Default 1 s.
  Duration repair_period = Duration::seconds(1);
  // While the active view has fewer than this many members, repair asks with
  // a high-priority NEIGHBOR, which is always accepted (a full view evicts a
  // random member). The paper uses 1: only an empty view asks with high
  // priority. In simulation that leaves nodes with one or two neighbours at
  // 10k nodes, since every full view rejects their low-priority requests:
  // long tails, an overlay diameter of 46 and broadcasts 92 hops deep. With 3
  // the deficit moves to nodes that can afford it (an evicted member keeps
  // 4 of 5): diameter 10. Range 1..limits::kActiveViewSizeMax. Default 3.
  uint32_t repair_high_below = 3;
  // While the active view is empty and the node has joined, JOIN is resent
  // to the next contact this often. Range 10 ms..1 h. Default 5 s
  // (the Erlang original's contact_retry_ms).
  Duration contact_retry = Duration::seconds(5);
};

// Plumtree epidemic broadcast trees (Leitão, Pereira, Rodrigues, SRDS 2007)
// over HyParView's active view.
struct PlumtreeConfig {
  // How long a node waits, after the first IHAVE announcing an id it lacks,
  // for the GOSSIP before it GRAFTs the first announcer (the paper's first
  // timer). Range 1 ms..10 min. Default 1 s.
  Duration ihave_timeout = Duration::seconds(1);
  // The paper's second, shorter timer: after a GRAFT, how long to wait for
  // the GOSSIP before GRAFTing the next announcer. Range 1 ms..10 min.
  // Default 500 ms.
  Duration graft_timeout = Duration::millis(500);
  // IHAVE batching: queued announcements are sent at most this long after
  // the first was queued (sooner if a peer's batch is full). Range
  // 1 ms..10 s. Default 100 ms.
  Duration lazy_flush_period = Duration::millis(100);
  // How long received ids (duplicate detection) and payloads (answers to
  // GRAFT) are remembered; the caches' bounds in limits.h may forget them
  // sooner. Must exceed ihave_timeout. Range 1 s..1 h. Default 60 s.
  Duration message_ttl = Duration::seconds(60);
};

struct NodeConfig {
  HyParViewConfig hyparview;
  PlumtreeConfig plumtree;

  // OK, or kInvalidArgument naming the first field out of range.
  Status validate() const;
};

}  // namespace barrel
