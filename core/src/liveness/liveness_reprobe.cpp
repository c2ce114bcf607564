// liveness_reprobe.cpp — re-probing members held dead, to find the other side
// of a healed partition (liveness.h; why in config.h, dead_reprobe_period).
//
// One re-probe at a time, of a random dead record, every period (jittered).
// The target is named by its record; only a name the host's table knows can
// be probed (a name we never had a handle for was never a neighbour). The
// re-probe ends with a PROBE_ACK (the member is revived: handed to the Node,
// and its boot and incarnation merged as an alive claim — which does not
// undo a death at the same incarnation: only the member's own refutation
// does, once it hears the claim the Node sends it), with on_link_failed (it
// is dead indeed), or after probe_timeout.
#include <utility>

#include "barrel/assert.h"
#include "liveness/liveness.h"

namespace barrel::liveness {

void Liveness::run_reprobe(Instant now) {
  if (reprobe_.peer.valid() && reprobe_.deadline <= now)
    reprobe_ = Reprobe{};  // no answer in time: dead indeed, or unreachable
  if (reprobe_.peer.valid() || now < next_reprobe_)
    return;
  const uint64_t p = static_cast<uint64_t>(config_.dead_reprobe_period.us());
  next_reprobe_ = now + Duration::micros(static_cast<int64_t>(p / 2 + rng_.uniform(p)));
  const size_t dead = table_.dead_count();
  if (dead == 0)
    return;
  const std::string* name = table_.dead_at(static_cast<size_t>(rng_.uniform(dead)));
  BARREL_ASSERT(name != nullptr);
  const NodeId peer = names_.find(*name);
  if (!peer.valid() || peer == self_)
    return;
  reprobe_ = Reprobe{peer, rng_.next(), now + config_.probe_timeout};
  stats_.probes_sent++;
  sink_.send(peer, Probe{reprobe_.nonce});
  BARREL_ASSERT(next_reprobe_ > now);
}

bool Liveness::reprobe_acked(Instant now, NodeId from, const ProbeAck& m) {
  if (!reprobe_.peer.valid() || reprobe_.peer != from || reprobe_.nonce != m.nonce)
    return false;
  reprobe_ = Reprobe{};
  revived_.push_back(from);
  if (m.boot <= m.incarnation)
    merge(now, Claim{MemberState::kAlive, std::string(names_.name(from)), m.boot, m.incarnation},
          false);
  check_invariants();
  return true;
}

void Liveness::reprobe_failed(NodeId peer) {
  if (reprobe_.peer.valid() && reprobe_.peer == peer)
    reprobe_ = Reprobe{};
}

}  // namespace barrel::liveness
