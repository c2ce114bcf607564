// network.h — the simulated network: link latency and QUIC-like connection
// semantics (who monitors whom, and which failures are pending), plus the
// faults beyond QUIC (duplication, reordering) and up-link bandwidth.
//
// Latency. The one-way latency of a link is ONE draw of its LatencyModel
// (latency_model.h) from a stateless splitmix64 counter seeded with the
// network seed (derive_seed(run seed, kNetwork, 0)) xor the UNORDERED pair of
// node indices: kConstant gives `min`; kUniform min + splitmix64(seed ^ pair)
// mod (max - min + 1) microseconds (the modulo bias is below 2^-40 for any
// span under 2^24 s); kNormal and kLognormal a clamped draw. So a link's
// latency is stable for the whole run and the same in both directions, and —
// because two messages on one link travel for the same time and the event
// heap breaks ties by push order — messages on one link arrive in the order
// they were sent (QUIC stream order), with no per-pair state. Jitter comes
// from loss (retransmission rounds) and, beyond QUIC, reordering.
//
// Link classes (NetworkSpec::links). The engine resolves each override's two
// selectors once, at setup, into one 32-bit mask per node (bit 2k: in
// override k's `from`, bit 2k+1: in its `to`); a link's model is that of the
// first override with one end in `from` and the other in `to` (either
// direction), found with a few bit operations: no string work per message,
// 4 bytes per node, nothing when there are no overrides.
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
//
// Bandwidth (NetworkSpec::bandwidth_bytes_per_s > 0). Each node has one
// up-link: a message of B bytes occupies it for ceil(B * 10^6 / bandwidth)
// microseconds, starting when the link is free (sends serialise in send
// order), and travels its latency after its last byte left. B is the encoded
// size (wire::encoded_size, exactly what wire mode encodes). Per node: the
// instant its up-link is free again (8 bytes), reset at a crash. Send order is
// kept, so stream order is too.
//
// Beyond QUIC. A QUIC stream never duplicates nor reorders; these faults model
// what a host with a bug, or a datagram transport, could do, to check that the
// core copes. Each draws from its own Rng (derive_seed(network seed, kNetwork,
// 1 and 2)), only when enabled, so runs without them are unchanged.
//   - Duplication (duplicate_ppm): the message is delivered a second time,
//     max(latency, 1 ms) * U[0, 1] after its first arrival.
//   - Reordering (reorder_ppm): the message is held back by an extra delay,
//     uniform in [0, reorder_delay] (default 2 x latency, at least 1 ms);
//     messages sent after it on the link are not held behind it, so they may
//     overtake it (and a held-back message never delays later ones).
//
// Per-node state is four small vectors (plus the class mask and the up-link
// instant when used), bounded by the node's active view, its pending
// NEIGHBORs and its pending failures, no per-node map, so the
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

  // What transit() decided for one message.
  struct Transit {
    Instant at;                               // arrival
    Instant duplicate_at = Instant::never();  // arrival of a duplicate, if any
    uint32_t lost_rounds = 0;                 // retransmission rounds (loss)
    bool reordered = false;                   // held back by a reorder delay
  };

  // REQUIRES: spec validated (latency_model_valid, loss_ppm < kPpmOne,
  // duplicate_ppm and reorder_ppm <= kPpmOne). spec.links is not read here:
  // the engine resolves it (set_link_classes).
  Network(const NetworkSpec& spec, uint64_t network_seed, uint64_t loss_seed, uint32_t node_count);

  // Link classes: models[k] for the links between a node with bit 2k and one
  // with bit 2k+1 in masks (one mask per node). REQUIRES: models.size() <=
  // kLinkOverridesMax, masks.size() == node count.
  void set_link_classes(std::vector<LatencyModel> models, std::vector<uint32_t> masks);

  // Whether transit() needs the message's size (bandwidth is limited).
  bool needs_size() const { return bandwidth_ > 0; }

  // How a message `from` sends to `to` (of epoch to_epoch) at `now`, of
  // `bytes` encoded bytes (read only when needs_size()), travels: leaves when
  // the up-link is free and its bytes are out, arrives its latency later plus
  // the retransmission rounds its losses cost, no earlier than a delayed
  // message before it on the same link, plus a reorder delay; maybe twice.
  Transit transit(uint32_t from, uint32_t to, uint32_t to_epoch, Instant now, uint64_t bytes);

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
  const LatencyModel& model_of(uint32_t a, uint32_t b) const;
  Instant depart(uint32_t from, Instant now, uint64_t bytes);
  Instant hold_in_order(uint32_t from, uint32_t to, uint32_t to_epoch, Instant sent, Instant at,
                        Instant unhindered);

  LatencyModel latency_;
  Duration detection_delay_;
  Ppm loss_ppm_;
  Ppm duplicate_ppm_;
  Ppm reorder_ppm_;
  Duration reorder_delay_;
  uint64_t bandwidth_;  // bytes per second, 0 = unlimited
  uint64_t seed_;
  Rng loss_rng_;
  Rng duplicate_rng_;
  Rng reorder_rng_;
  std::vector<Links> links_;
  std::vector<LatencyModel> class_models_;  // per override
  std::vector<uint32_t> class_masks_;       // per node; empty without overrides
  std::vector<Instant> uplink_free_;        // per node; empty without bandwidth
};

}  // namespace barrel::sim
