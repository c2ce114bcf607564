// anti_entropy.cpp — the digest exchange (protocol in anti_entropy.h).
#include "sync/anti_entropy.h"

#include <utility>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "sync/sync_codec.h"

namespace barrel::sync {

AntiEntropy::AntiEntropy(const RegistryConfig& config, Rng& rng, hyparview::EffectSink& sink,
                         NodeStats& stats, registry::Registry& registry,
                         liveness::Liveness& liveness, Instant now)
    : config_(config),
      rng_(rng),
      sink_(sink),
      stats_(stats),
      registry_(registry),
      liveness_(liveness) {
  // The first period is drawn in [0, period) so nodes started together do
  // not sync in lockstep; later ones in [period/2, 3*period/2).
  next_sync_ = now + Duration::micros(static_cast<int64_t>(
                         rng_.uniform(static_cast<uint64_t>(config_.sync_period.us()))));
  BARREL_ASSERT(next_sync_ >= now);
}

void AntiEntropy::on_peer_up(Instant now, NodeId peer) {
  BARREL_ASSERT(peer.valid());
  send_digest(now, peer, true);
}

Status AntiEntropy::on_digest(Instant now, NodeId from, const SyncDigest& m) {
  Result<DigestBody> body =
      decode_digest_body(m.body.bytes(), registry_.dot_check(), registry_.digest_bytes());
  if (!body.is_ok()) {
    stats_.sync_digests_rejected++;
    return body.status();
  }
  liveness_.on_heard(now, from, body->boot, body->incarnation);
  for (const liveness::Claim& c : body->claims)
    liveness_.on_claim(now, c);
  if (body->same_digest)
    return Status::ok();  // in sync: nothing to send, no reply wanted
  ormap::Delta delta = registry_.delta_for(body->digest);
  if (!delta.empty()) {
    std::vector<uint8_t> bytes;
    if (encode_delta_body(delta, &bytes).is_ok()) {
      stats_.sync_deltas_sent++;
      sink_.send(from, SyncDelta{Payload(std::move(bytes))});
    }
  }
  if (body->want_reply && !(registry_.digest() == body->digest))
    send_digest(now, from, false);
  return Status::ok();
}

Status AntiEntropy::on_delta(Instant now, NodeId from, const SyncDelta& m) {
  (void)from;
  Result<ormap::Delta> delta = decode_delta_body(m.body.bytes(), registry_.dot_check());
  if (!delta.is_ok()) {
    stats_.registry_deltas_rejected++;
    return delta.status();
  }
  return registry_.apply_sync_delta(now, *delta);
}

void AntiEntropy::handle_timers(Instant now, std::span<const NodeId> active) {
  if (now < next_sync_)
    return;
  next_sync_ = now + jittered_period();
  if (active.empty())
    return;
  send_digest(now, active[rng_.uniform(active.size())], true);
  BARREL_ASSERT(next_sync_ > now);
}

void AntiEntropy::send_digest(Instant now, NodeId to, bool want_reply) {
  DigestBody body;
  body.boot = liveness_.boot();
  body.incarnation = liveness_.incarnation();
  body.want_reply = want_reply;
  body.claims = liveness_.sync_claims(now, to, limits::kSyncClaimsMax);
  std::vector<uint8_t> bytes;
  encode_digest_body(body, registry_.digest_bytes(), &bytes);  // no copy of the digest
  BARREL_ASSERT(bytes.size() <= limits::kSyncBodyBytesMax);
  stats_.sync_digests_sent++;
  sink_.send(to, SyncDigest{Payload(std::move(bytes))});
}

Duration AntiEntropy::jittered_period() {
  const uint64_t p = static_cast<uint64_t>(config_.sync_period.us());
  return Duration::micros(static_cast<int64_t>(p / 2 + rng_.uniform(p)));
}

}  // namespace barrel::sync
