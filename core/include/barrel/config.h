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
  // While the active view is empty, this many NEIGHBOR requests go out at
  // once (capped at active_size); otherwise one at a time. A dead passive
  // member costs a whole connection timeout, and after a massive failure
  // most passive members are dead: one at a time, survivors of a 90 %
  // failure of 10,000 nodes were still apart 40 s later
  // (scenarios/README.md). Range 1..limits::kRepairPendingMax (8). Default 3.
  uint32_t repair_parallel = 3;
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

// Liveness: cluster-wide death decisions, SWIM-style, over Plumtree
// (DESIGN.md §2). Leaving an active view is not death: a node that lost a
// monitored link to a peer probes it directly; only when the probes fail does
// it broadcast SUSPECT(peer, incarnation). A suspect that hears it refutes
// with ALIVE(incarnation + 1); without a refutation every node declares the
// peer dead when its suspicion timeout runs out.
struct LivenessConfig {
  // Direct probes sent to a peer whose link was lost before suspecting it.
  // Range 1..10. Default 2.
  uint32_t probe_attempts = 2;
  // How long one probe waits for its PROBE_ACK (a backstop: the host normally
  // reports a failed connection sooner). Range 10 ms..10 min. Default 5 s.
  Duration probe_timeout = Duration::seconds(5);
  // Pause between two probe attempts. Range 0..10 min. Default 1 s.
  Duration probe_interval = Duration::seconds(1);
  // The first probe goes out at a random instant within this long after the
  // link loss, so the neighbours of a crashed node (which all lose their
  // links at once) do not all suspect it at once: the first SUSPECT then
  // silences the others. Range 0..10 min. Default 1 s.
  Duration probe_spread = Duration::seconds(3);
  // Suspicion timeout = suspicion_min + suspicion_per_log2 * floor(log2 N),
  // N the node's estimate of the cluster size: it grows with log N because a
  // SUSPECT and its refutation each cross the broadcast tree, whose depth
  // grows with log N. Ranges 100 ms..1 h and 0..10 min. Defaults 2 s and 1 s
  // (11 s at N = 1,000; 18 s at N = 100,000).
  Duration suspicion_min = Duration::seconds(2);
  Duration suspicion_per_log2 = Duration::seconds(1);
  // How long a dead member's record is kept (it filters late registry state
  // and stale claims). Range 1 s..1 day. Default 10 min.
  Duration dead_retention = Duration::seconds(600);
  // Every dead_reprobe_period (jittered in [period/2, 3*period/2)) a node
  // PROBEs one member it holds dead. An answer means the member is alive
  // and out of reach of our part of the overlay — a healed partition: the
  // node bridges to it (a NEIGHBOR that is always accepted) and sends it our
  // claims, which it refutes. Without it the two halves of a healed
  // partition never merge (hyparview.h, bridge()). Range 100 ms..1 h.
  // Default 10 s.
  Duration dead_reprobe_period = Duration::seconds(10);
  // A node refutes claims about an older incarnation of itself (after a
  // restart) at most this often; claims about its current incarnation are
  // always refuted at once. Range 10 ms..10 min. Default 1 s.
  Duration refute_interval = Duration::seconds(1);
};

// Service registry on the OR-Map, and its anti-entropy.
struct RegistryConfig {
  // Every sync_period (jittered uniformly in [period/2, 3*period/2)) a node
  // sends its digest to one random active member, which answers with what the
  // node lacks (and its own digest, for what it lacks). A new active member
  // is synced at once. Range 10 ms..1 h. Default 2 s.
  Duration sync_period = Duration::seconds(2);
  // Registrations made within this long of the first are broadcast as one
  // delta group (one Plumtree broadcast instead of one per service: a node
  // registering 10 services costs its cluster a tenth of the messages).
  // Other operations are broadcast at once. Range 0..1 s. Default 20 ms.
  Duration register_linger = Duration::millis(20);
  // Entries carried by one anti-entropy answer (replicas are never split, see
  // ormap/digest.h). Range 1..limits::kRegistryDeltaEntriesMax. Default 256.
  uint32_t sync_entries_max = 256;
};

struct NodeConfig {
  HyParViewConfig hyparview;
  PlumtreeConfig plumtree;
  LivenessConfig liveness;
  RegistryConfig registry;

  // OK, or kInvalidArgument naming the first field out of range.
  Status validate() const;
};

}  // namespace barrel
