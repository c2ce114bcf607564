// liveness_probe.cpp — probing a peer whose monitored link was lost, and the
// suspicion raised when every probe fails (see liveness.h).
#include <algorithm>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "liveness/liveness.h"

namespace barrel::liveness {

Liveness::ProbeState* Liveness::find_probe(NodeId peer) {
  for (ProbeState& p : probes_) {
    if (p.peer == peer)
      return &p;
  }
  return nullptr;
}

bool Liveness::is_probing(NodeId peer) const {
  return std::any_of(probes_.begin(), probes_.end(),
                     [peer](const ProbeState& p) { return p.peer == peer; });
}

// Leaving an active view is not death (a full view evicts, a peer leaves, a
// network blips): ask the peer directly before suspecting it. One nonce per
// probing, so a late ack of an earlier attempt still counts.
//
// The first PROBE goes out at a random instant in [now, now + probe_spread):
// every neighbour of a crashed node loses its link at the same moment (the
// transport's idle timeout), and without the spread all of them would fail
// their probes together and each broadcast its own SUSPECT (and later DEAD).
// Spread, the first SUSPECT usually reaches the others while they are still
// probing, and suspect() then stays silent: measured in hyparview-1k's 50 %
// crash, ~1.5 SUSPECTs per crashed node instead of ~5.
void Liveness::on_link_lost(Instant now, NodeId peer, uint64_t incarnation_hint) {
  BARREL_ASSERT(peer.valid());
  BARREL_ASSERT(peer != self_);
  if (ProbeState* p = find_probe(peer)) {
    p->hint = std::max(p->hint, incarnation_hint);
  } else if (probes_.size() >= limits::kProbesMax) {
    stats_.probes_skipped++;  // bound: the peer's other neighbours probe it
  } else {
    const uint64_t spread = static_cast<uint64_t>(config_.probe_spread.us());
    const Instant first =
        now + Duration::micros(static_cast<int64_t>(spread == 0 ? 0 : rng_.uniform(spread)));
    probes_.push_back(ProbeState{peer, rng_.next(), incarnation_hint, 0, false, first});
    if (first <= now)
      send_probe(now, probes_.back());
  }
  check_invariants();
}

void Liveness::send_probe(Instant now, ProbeState& p) {
  BARREL_ASSERT(!p.awaiting);
  BARREL_ASSERT(p.attempts < config_.probe_attempts);
  p.attempts++;
  p.awaiting = true;
  p.deadline = now + config_.probe_timeout;
  sink_.send(p.peer, Probe{p.nonce});
  stats_.probes_sent++;
}

void Liveness::on_link_failed(Instant now, NodeId peer) {
  reprobe_failed(peer);
  for (size_t i = 0; i < probes_.size(); ++i) {
    if (probes_[i].peer == peer && probes_[i].awaiting) {
      probe_failed(now, i);
      break;
    }
  }
  check_invariants();
}

bool Liveness::probe_failed(Instant now, size_t i) {
  BARREL_ASSERT(i < probes_.size());
  ProbeState& p = probes_[i];
  BARREL_ASSERT(p.awaiting);
  if (p.attempts < config_.probe_attempts) {
    p.awaiting = false;
    p.deadline = now + config_.probe_interval;
    return false;
  }
  const NodeId peer = p.peer;
  const uint64_t hint = p.hint;
  remove_probe(i);
  suspect(now, peer, hint);
  return true;
}

void Liveness::remove_probe(size_t i) {
  BARREL_ASSERT(i < probes_.size());
  probes_.erase(probes_.begin() + static_cast<std::ptrdiff_t>(i));
}

// Every probe failed: SUSPECT at the largest incarnation we know of (the
// record's, or the Node's hint), unless the record already holds a suspicion
// or death there (someone else raised it; our own timer decides anyway).
void Liveness::suspect(Instant now, NodeId peer, uint64_t hint) {
  const std::string_view name = names_.name(peer);
  const Record* r = table_.find(name);
  const uint64_t incarnation = std::max(r != nullptr ? r->incarnation : 0, hint);
  const Claim c{MemberState::kSuspect, std::string(name), r != nullptr ? r->boot : 0, incarnation};
  BARREL_ASSERT(c.boot <= c.incarnation);
  if (r != nullptr && !supersedes(c, r->state, r->incarnation))
    return;
  const MergeResult m = merge(now, c, /*originated=*/true);
  if (!m.changed)
    return;  // dropped: the table holds only suspects (counted there)
  BARREL_ASSERT(m.became_suspect);
  broadcasts_.push_back(c);
  stats_.suspicions_raised++;
}

// Back in the active view: the link works, so the peer is alive.
void Liveness::on_peer_up(Instant /*now*/, NodeId peer) {
  for (size_t i = 0; i < probes_.size(); ++i) {
    if (probes_[i].peer == peer) {
      remove_probe(i);
      break;
    }
  }
  check_invariants();
}

void Liveness::on_probe(Instant /*now*/, NodeId from, const Probe& m) {
  BARREL_ASSERT(from.valid());
  sink_.send(from, ProbeAck{m.nonce, boot_, incarnation_});
}

// The ack ends probing however it ends: the peer answered. Its boot and
// incarnation are merged only if consistent (boot <= incarnation).
void Liveness::on_probe_ack(Instant now, NodeId from, const ProbeAck& m) {
  reprobe_acked(now, from, m);  // a re-probe and a link probe may both await it
  for (size_t i = 0; i < probes_.size(); ++i) {
    if (probes_[i].peer != from)
      continue;
    if (probes_[i].nonce != m.nonce)
      break;
    remove_probe(i);
    if (m.boot <= m.incarnation)
      merge(now, Claim{MemberState::kAlive, std::string(names_.name(from)), m.boot, m.incarnation},
            false);
    break;
  }
  check_invariants();
}

void Liveness::run_probe_timers(Instant now, size_t start) {
  size_t i = 0;
  while (i < probes_.size() && broadcasts_.size() - start < kTickBroadcastsMax) {
    ProbeState& p = probes_[i];
    if (p.deadline > now) {
      ++i;
    } else if (!p.awaiting) {
      send_probe(now, p);
      ++i;
    } else if (!probe_failed(now, i)) {
      ++i;  // removed probes shift the next one into slot i
    }
  }
}

Instant Liveness::next_probe_deadline() const {
  Instant next = Instant::never();
  for (const ProbeState& p : probes_)
    next = std::min(next, p.deadline);
  return next;
}

}  // namespace barrel::liveness
