// liveness.h — cluster-wide death decisions, SWIM-style, over Plumtree
// (DESIGN.md §2, Liveness), sans I/O.
//
// Internal to the core. The Node routes PROBE / PROBE_ACK here, tells it of
// lost links and of peers back in the active view, decodes kLiveness
// broadcasts (claim_codec.h) into on_claim(), and after each input drains
// take_broadcasts() (claims to broadcast over Plumtree) and take_changes()
// (names whose record changed: their registry entries may have died).
//
// Protocol summary (details at each handler):
//   link lost   leaving an active view is not death: PROBE the peer, up to
//               probe_attempts times, probe_interval apart, each failing on
//               on_link_failed() or after probe_timeout; a PROBE_ACK or the
//               peer back in the active view ends the probing (alive);
//   all failed  SUSPECT(peer, boot, max(record incarnation, hint)) is
//               broadcast unless the record is already suspect or dead there;
//   claim       merged by the lattice (claim.h); a new suspicion gets the
//               deadline now + suspicion_timeout();
//   deadline    a suspicion not refuted in time turns dead here, at every node
//               holding it; the node that broadcast the SUSPECT also
//               broadcasts DEAD (for nodes that joined after the SUSPECT);
//   about self  see on_claim(): a suspicion or death of our incarnation is
//               refuted with ALIVE(incarnation + 1); an older one (a past life,
//               or an incarnation already refuted) is answered with ALIVE at
//               the current incarnation, rate-limited by refute_interval.
//
// Bounds: limits::kProbesMax probes in flight (more lost links are not
// probed, counted in probes_skipped); limits::kMembersMax records
// (member_table.h). A timer tick turns at most kTickBroadcastsMax probes and
// suspicions into broadcasts and forgets at most kTickExpiryMax dead records;
// the rest stays due (next_deadline() is then <= now, so the host calls again).
//
// Invariants (check_invariants()): boot <= incarnation; probes within their
// bound, one per peer, never self; self never in the table; the table's own.
//
// Determinism: probes are kept in arrival order; the table orders by names
// and update counters, never by NodeId; nonces come from the Node's Rng.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/config.h"
#include "barrel/ids.h"
#include "barrel/limits.h"
#include "barrel/message.h"
#include "barrel/node.h"
#include "barrel/rng.h"
#include "barrel/service.h"
#include "barrel/time.h"
#include "hyparview/effect_sink.h"
#include "liveness/claim.h"
#include "liveness/member_table.h"

namespace barrel::liveness {

// Broadcasts (SUSPECT or DEAD) one timer tick may produce: each fans out to
// O(active view) effects in the Node (kEffectsPerInputMax).
inline constexpr size_t kTickBroadcastsMax = 16;
// Dead records one timer tick may forget (no effects; bounds the work).
inline constexpr size_t kTickExpiryMax = 256;

class Liveness {
 public:
  // `config` (validated), `names`, `rng`, `sink` and `stats` must outlive this
  // object. `boot`: this life's boot incarnation (µs of wall clock at boot,
  // larger than any incarnation of an earlier life). `members_max` bounds the
  // table (tests use less). REQUIRES: self is a name in `names`.
  Liveness(const LivenessConfig& config, const NameTable& names, NodeId self, uint64_t boot,
           Rng& rng, hyparview::EffectSink& sink, NodeStats& stats,
           size_t members_max = limits::kMembersMax);
  Liveness(const Liveness&) = delete;
  Liveness& operator=(const Liveness&) = delete;

  uint64_t boot() const { return boot_; }
  uint64_t incarnation() const { return incarnation_; }

  // --- Probing (liveness_probe.cpp) -----------------------------------------
  // HyParView lost its monitored link to `peer` (PeerDown{kLinkLost}): PROBE
  // it. `incarnation_hint`: the incarnation to suspect it at if the probes
  // fail (e.g. of its registry entries), raised to the record's. A peer
  // already probed keeps its probing (the hint is raised). Beyond
  // limits::kProbesMax probes: not probed, stats.probes_skipped++.
  void on_link_lost(Instant now, NodeId peer, uint64_t incarnation_hint);
  // The host could not reach `peer`: the outstanding probe failed. No-op
  // unless a PROBE to `peer` awaits its ack.
  void on_link_failed(Instant now, NodeId peer);
  // `peer` is back in the active view: it is alive, probing ends.
  void on_peer_up(Instant now, NodeId peer);
  // PROBE: answered with PROBE_ACK{nonce, boot, incarnation}.
  void on_probe(Instant now, NodeId from, const Probe& m);
  // PROBE_ACK: with the nonce of our probe of `from`, probing ends and its
  // boot and incarnation are merged as an alive claim (direct evidence).
  // Another nonce, or no probe of `from`: ignored.
  void on_probe_ack(Instant now, NodeId from, const ProbeAck& m);

  // --- Claims (liveness.cpp) -------------------------------------------------
  // A claim from a kLiveness broadcast or an anti-entropy digest.
  // A claim about a node we hold no record of is kept only if the relevance
  // predicate (set_relevance) says the node matters here: otherwise every
  // node would keep a record of every death in the cluster (5,000 records at
  // each of 5,000 survivors after half of a 10k cluster fails), though only
  // the nodes holding the dead node's registry entries, or knowing it as a
  // neighbour, act on it. Plumtree forwards the claim all the same.
  // REQUIRES: validate_claim(c) is OK (the decoders guarantee it).
  void on_claim(Instant now, const Claim& c);
  // Which unknown nodes' claims to keep (see on_claim). Default: all.
  using Relevance = std::function<bool(std::string_view node)>;
  void set_relevance(Relevance relevance) { relevance_ = std::move(relevance); }
  // Whether a suspicion or death of `node` is news to the cluster: the Node
  // answers "it has registry entries" (as far as this node's replica knows).
  // A death only matters to the nodes holding the dead node's services, and
  // to nobody if it had none; then the SUSPECT and DEAD stay local (the
  // record still decides here, and a re-probe that finds the node alive
  // sends it our claims to refute). Why: a cluster-wide broadcast per death
  // costs O(N) messages each, and a 50 % failure of 10k nodes without
  // services would flood 5,000 x ~4 broadcasts through 5,000 survivors (the
  // 10k broadcast scenario went from 14 s to many minutes). Default: all.
  void set_newsworthy(Relevance newsworthy) { newsworthy_ = std::move(newsworthy); }
  // Direct evidence from `node` itself (an anti-entropy digest's sender): an
  // alive claim. Ignored if `node` is self, an invalid name, or boot > incarnation.
  void on_heard(Instant now, std::string_view node, uint64_t boot, uint64_t incarnation);
  // The same for a digest's sender by handle. Every digest carries one (each
  // peer every sync_period), and nearly all of them merge to nothing: the
  // record is already alive at that boot and incarnation. So the records of
  // the last kHeardCacheSize senders are kept by pointer, and one whose merge
  // would change nothing — judged by the lattice itself, against the record
  // as it is now — costs neither the name nor the table lookup.
  void on_heard(Instant now, NodeId from, uint64_t boot, uint64_t incarnation);
  // Our own registry entries were removed by others (someone declared this
  // incarnation dead; we may not have heard the claim): raise the
  // incarnation by 1, queue ALIVE, return the new incarnation.
  uint64_t refute(Instant now);

  // N for the suspicion timeout. 0 (the default): max(1, member_count()).
  void set_cluster_size_estimate(size_t n) { estimate_ = n; }
  // suspicion_min + suspicion_per_log2 * floor(log2(max(N, 1))).
  Duration suspicion_timeout() const;

  // --- Timers (liveness.cpp) -------------------------------------------------
  void handle_timers(Instant now);
  // The earliest instant handle_timers() has work, or Instant::never().
  Instant next_deadline() const;

  // --- Re-probing the dead (liveness_reprobe.cpp) ---------------------------------
  // Every dead_reprobe_period one dead member (a random one) gets a PROBE;
  // at most one re-probe is in flight. Its PROBE_ACK makes the member
  // "revived": take_revived() hands it to the Node, which bridges to it.

  // --- Outputs, drained by the Node after each input ---------------------------
  // Members that answered a re-probe (alive although we hold them dead): in
  // another part of a partition that has healed. In arrival order.
  void take_revived(std::vector<NodeId>* out);
  // Claims to broadcast (BroadcastKind::kLiveness), in the order produced.
  void take_broadcasts(std::vector<Claim>* out);
  // Names whose record changed (state, incarnation or boot), each once, in
  // the order of their first change. A record forgotten (expiry, eviction)
  // is not a change.
  void take_changes(std::vector<std::string>* out);

  // --- Queries -----------------------------------------------------------------
  struct RecordView {
    MemberState state;
    uint64_t boot;
    uint64_t incarnation;
  };
  std::optional<RecordView> record(std::string_view node) const;
  // Is an entry written by `node` at (entry_boot, entry_incarnation) dead or
  // superseded? For another node: true iff a record exists and (entry_boot <
  // record.boot || (record.state == kDead && entry_incarnation <=
  // record.incarnation)). For self: true iff entry_boot < boot() (an entry of
  // an earlier life of this node).
  bool entry_is_dead(std::string_view node, uint64_t entry_boot, uint64_t entry_incarnation) const;
  // Claims for an anti-entropy digest to `peer` (member_table.h), at `now`:
  // dead records only while younger than half the dead_retention, so that a
  // death stops spreading long before nodes forget it (else a node that
  // forgot it would learn it again from one that had not, and the record
  // would circulate for ever).
  std::vector<Claim> sync_claims(Instant now, std::string_view peer, size_t max) const;
  // The same by handle; the name is looked up only if a claim may be sent.
  std::vector<Claim> sync_claims(Instant now, NodeId peer, size_t max) const;
  // Every suspect and dead record, sorted by name.
  std::vector<MemberInfo> not_alive() const { return table_.not_alive(); }
  size_t member_count() const { return table_.size(); }
  // Probes in flight.
  size_t probing() const { return probes_.size(); }
  bool is_probing(NodeId peer) const;
  // New records ignored because the table held only suspects.
  uint64_t claims_dropped() const { return table_.dropped(); }
  const MemberTable& table() const { return table_; }

  void check_invariants() const;

 private:
  // One peer being probed. `deadline`: while awaiting, the ack timeout;
  // otherwise when the next attempt goes out.
  struct ProbeState {
    NodeId peer;
    uint64_t nonce = 0;
    uint64_t hint = 0;
    uint32_t attempts = 0;  // PROBEs sent
    bool awaiting = false;  // a PROBE awaits its ack
    Instant deadline;
  };

  // Probing (liveness_probe.cpp).
  ProbeState* find_probe(NodeId peer);
  void send_probe(Instant now, ProbeState& p);
  // The outstanding probe of probes_[i] failed: retry later or suspect.
  // Returns true if the probe was removed.
  bool probe_failed(Instant now, size_t i);
  void remove_probe(size_t i);
  void suspect(Instant now, NodeId peer, uint64_t hint);
  // Runs due probes while this tick (which began with `start` broadcasts
  // queued) has queued fewer than kTickBroadcastsMax.
  void run_probe_timers(Instant now, size_t start);
  Instant next_probe_deadline() const;

  // Re-probing (liveness_reprobe.cpp).
  void run_reprobe(Instant now);
  // True if the ack answered the re-probe.
  bool reprobe_acked(Instant now, NodeId from, const ProbeAck& m);
  void reprobe_failed(NodeId peer);

  // Claims (liveness.cpp).
  void on_claim_about_self(Instant now, const Claim& c);
  // Merges `c` into the table and records what changed.
  MergeResult merge(Instant now, const Claim& c, bool originated);
  void announce_alive(Instant now);
  void note_change(std::string_view node);
  bool is_news(std::string_view node) const { return !newsworthy_ || newsworthy_(node); }
  // on_heard(NodeId): the record of a recent digest sender, valid while the
  // table's erasures() is the one noted.
  struct Heard {
    NodeId node;
    const Record* record = nullptr;
    uint64_t erasures = 0;
  };
  static constexpr size_t kHeardCacheSize = 8;  // the active view (5 by default) and some
  void remember_heard(NodeId node, const Record* record);
  // on_heard by name; returns the record after the merge, or null if none.
  const Record* merge_heard(Instant now, std::string_view node, uint64_t boot,
                            uint64_t incarnation);

  const LivenessConfig& config_;
  const NameTable& names_;
  NodeId self_;
  std::string self_name_;
  uint64_t boot_;
  uint64_t incarnation_;
  Rng& rng_;
  hyparview::EffectSink& sink_;
  NodeStats& stats_;
  MemberTable table_;
  std::vector<ProbeState> probes_;  // arrival order; <= limits::kProbesMax
  size_t estimate_ = 0;
  Instant last_announce_ = Instant::never();  // never: no ALIVE about self yet
  std::vector<Claim> broadcasts_;
  std::vector<std::string> changes_;
  Relevance relevance_;   // empty: every claim is kept
  Relevance newsworthy_;  // empty: every suspicion and death is broadcast
  // The re-probe in flight (peer invalid: none) and when the next one goes.
  struct Reprobe {
    NodeId peer;
    uint64_t nonce = 0;
    Instant deadline = Instant::never();
  } reprobe_;
  Instant next_reprobe_;
  std::vector<NodeId> revived_;
  std::array<Heard, kHeardCacheSize> heard_{};
  size_t heard_next_ = 0;  // the slot a new sender takes, round robin
};

}  // namespace barrel::liveness
