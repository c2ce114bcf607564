// network.h — the simulated network: link latency and QUIC-like connection
// semantics (who monitors whom, and which failures are pending).
//
// Latency. The one-way latency of a link is a pure function of the network
// seed (derive_seed(run seed, kNetwork, 0)) and the UNORDERED pair of node
// indices: kConstant gives `min`; kUniform gives min + splitmix64(seed ^ pair)
// mod (max - min + 1) microseconds (the modulo bias is below 2^-40 for any
// span under 2^24 s, and irrelevant to a simulation). So a link's latency is
// stable for the whole run and the same in both directions, and — because two
// messages on one link travel for the same time and the event heap breaks
// ties by push order — messages on one link arrive in the order they were
// sent (QUIC stream order), with no per-pair state.
//
// Connections, as QUIC would report them to the host:
//   - Each live node N keeps a small list of monitored peers: OpenLink{X}
//     adds X with X's epoch at that time (X live), CloseLink{X} removes it. A
//     reverse index (who monitors X) finds the monitors when X crashes.
//   - OpenLink{X} with X dead or never started: on_link_failed(X) is fed to N
//     at now + detection_delay (the handshake timeout).
//   - A Send to X that arrives when X is dead (or restarted: epoch changed) is
//     dropped; the sender gets on_link_failed(X) at arrival + detection_delay,
//     unless it monitors X (then on_link_down comes anyway). A burst of sends
//     to one dead node yields one pending LinkFailed per (sender, target):
//     the pending set dedupes, and the entry is consumed when it fires.
//   - Crash of X: X's epoch is bumped; every live N monitoring X gets
//     on_link_down(X) at crash + detection_delay (the idle timeout), fed only
//     if N is still alive and still monitors X with the epoch it opened — so
//     a CloseLink in between cancels it. Messages X sent before crashing are
//     still delivered (they are on the wire).
//
// Loss (NetworkSpec::loss_ppm, draws from the loss Rng, derive_seed(run
// seed, kNetwork, 1), so enabling loss shifts no other draw). Messages travel
// on QUIC streams, which retransmit: a lost packet never loses a message, it
// delays it. Each transmission of a message is lost with probability
// loss_ppm; a loss costs one retransmission round of 3 x the link's one-way
// latency (at least 1 ms, QUIC's timer granularity): about one RTT until the
// loss is detected (ACK threshold or PTO) plus the retransmission's own
// trip. At most kLossRoundsMax rounds are drawn per message (the chance of
// more is loss^8). Stream order is kept: a message sent on a link behind a
// delayed one arrives no earlier than it (head-of-line blocking), which needs
// the one piece of per-link state: per sender, the links whose last message
// is still delayed (to, to's epoch, arrival), pruned at every send of that
// sender, so bounded by the sender's links with a delayed message in flight.
// With loss 0 nothing is drawn or recorded: runs without loss are unchanged.
// Duplication is not modelled: a QUIC stream delivers each byte once.
//
// Per-node state is four small vectors (bounded by the node's active view,
// its pending NEIGHBORs and its pending failures), no per-node map, so the
// network scales to 100k nodes.
//
// Thread-safety: one owner.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "barrel/rng.h"
#include "barrel/sim/scenario.h"
#include "barrel/time.h"

namespace barrel::sim {

class Network {
 public:
  static constexpr uint32_t kNoEpoch = UINT32_MAX;
  static constexpr uint32_t kLossRoundsMax = 8;
  struct Monitor {
    uint32_t peer;
    uint32_t epoch;
  };

  // REQUIRES: spec validated (latency.min >= 0, max >= min for kUniform,
  // loss_ppm < kPpmOne).
  Network(const NetworkSpec& spec, uint64_t network_seed, uint64_t loss_seed, uint32_t node_count);

  // When a message `from` sends to `to` (of epoch to_epoch) at `now` arrives:
  // now + latency, plus the retransmission rounds its losses cost, and no
  // earlier than a delayed message before it on the same link. Sets
  // *lost_rounds to the losses drawn (0 when loss is off).
  Instant arrival(uint32_t from, uint32_t to, uint32_t to_epoch, Instant now,
                  uint32_t* lost_rounds);

  // One-way latency between nodes a and b (symmetric, stable).
  Duration latency(uint32_t a, uint32_t b) const;
  Duration detection_delay() const { return detection_delay_; }

  // --- monitored links ------------------------------------------------------
  // N starts monitoring X (X live, with epoch x_epoch). An existing entry for
  // X is kept as it is: if it is of an older epoch, its LinkDown is pending.
  void open(uint32_t n, uint32_t x, uint32_t x_epoch);
  // N stops monitoring X (no-op if it did not).
  void close(uint32_t n, uint32_t x);
  // The epoch with which N monitors X, or kNoEpoch.
  uint32_t monitored_epoch(uint32_t n, uint32_t x) const;
  // X crashed: appends to *monitors every node that monitored X (their
  // entries stay until the LinkDown fires or they close), forgets X's own
  // monitors and pending failures.
  void crash(uint32_t x, std::vector<uint32_t>* monitors);
  size_t monitors_of(uint32_t n) const { return links_[n].monitors.size(); }
  // Whom N monitors, in open order.
  std::span<const Monitor> monitored_by_node(uint32_t n) const { return links_[n].monitors; }

  // --- pending LinkFailed dedupe ---------------------------------------------
  // True if N had no pending failure for X (one is recorded now).
  bool add_pending_failure(uint32_t n, uint32_t x);
  // True if N had a pending failure for X (it is consumed).
  bool take_pending_failure(uint32_t n, uint32_t x);

 private:
  // The last message this node sent to `to` (of `epoch`) arrives at `until`,
  // later than its latency alone would have it.
  struct Stall {
    uint32_t to;
    uint32_t epoch;
    Instant until;
  };
  struct Links {
    std::vector<Monitor> monitors;       // whom this node monitors, in open order
    std::vector<uint32_t> monitored_by;  // who monitors this node (reverse index)
    std::vector<uint32_t> pending_failures;
    std::vector<Stall> stalls;  // empty unless loss is on
  };

  Duration retransmit_delay(Duration latency) const;

  LatencyModel latency_;
  Duration detection_delay_;
  Ppm loss_ppm_;
  uint64_t seed_;
  Rng loss_rng_;
  std::vector<Links> links_;
};

}  // namespace barrel::sim
