// liveness.cpp — claims, refutations, suspicion timers and queries (see
// liveness.h for the summary; probing is in liveness_probe.cpp).
#include "liveness/liveness.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::liveness {

Liveness::Liveness(const LivenessConfig& config, const NameTable& names, NodeId self, uint64_t boot,
                   Rng& rng, hyparview::EffectSink& sink, NodeStats& stats, size_t members_max)
    : config_(config),
      names_(names),
      self_(self),
      self_name_(names.name(self)),
      boot_(boot),
      incarnation_(boot),
      rng_(rng),
      sink_(sink),
      stats_(stats),
      table_(members_max) {
  BARREL_ASSERT(self.valid());
  BARREL_ASSERT(config.probe_attempts >= 1);
  probes_.reserve(limits::kProbesMax);
  next_reprobe_ = Instant::zero() + config_.dead_reprobe_period;
}

// --- Claims ---------------------------------------------------------------------

MergeResult Liveness::merge(Instant now, const Claim& c, bool originated) {
  BARREL_ASSERT(c.node != self_name_);
  const MergeResult r = table_.merge(now, c, now + suspicion_timeout(), originated);
  if (r.changed)
    note_change(c.node);
  if (r.became_dead)
    stats_.members_declared_dead++;
  BARREL_ASSERT(!(r.changed && r.dropped));
  return r;
}

// A claim about another node is merged by the lattice; one about this node
// may need an answer (on_claim_about_self).
void Liveness::on_claim(Instant now, const Claim& c) {
  BARREL_ASSERT(validate_claim(c).is_ok());
  if (c.node == self_name_)
    on_claim_about_self(now, c);
  else if (table_.find(c.node) != nullptr || !relevance_ || relevance_(c.node) ||
           is_probing(names_.find(c.node)))
    merge(now, c, /*originated=*/false);
  check_invariants();
}

// A suspicion or death of our current incarnation (or a later one: a claim
// can only be that high if our own refutation crossed it) is refuted at once
// with ALIVE at an incarnation above it. An older one — about a past life
// (incarnation < boot) or an incarnation already refuted — is already beaten
// by our current ALIVE; a node that still holds it has not heard that ALIVE,
// so it is announced again, without a raise, at most once per
// refute_interval (many stale claims arrive together after a mass restart).
// An ALIVE about self says nothing we do not know: ignored. A claim at
// UINT64_MAX cannot be beaten and comes from no honest node: ignored.
void Liveness::on_claim_about_self(Instant now, const Claim& c) {
  BARREL_ASSERT(c.node == self_name_);
  if (c.state == MemberState::kAlive)
    return;
  if (c.incarnation >= incarnation_) {
    if (c.incarnation == UINT64_MAX)
      return;
    incarnation_ = c.incarnation + 1;
    announce_alive(now);
    return;
  }
  if (!last_announce_.is_never() && now < last_announce_ + config_.refute_interval)
    return;
  announce_alive(now);
}

void Liveness::announce_alive(Instant now) {
  BARREL_ASSERT(incarnation_ >= boot_);
  broadcasts_.push_back(Claim{MemberState::kAlive, self_name_, boot_, incarnation_});
  stats_.refutations_sent++;
  last_announce_ = now;
}

void Liveness::on_heard(Instant now, std::string_view node, uint64_t boot, uint64_t incarnation) {
  (void)merge_heard(now, node, boot, incarnation);
}

const Record* Liveness::merge_heard(Instant now, std::string_view node, uint64_t boot,
                                    uint64_t incarnation) {
  if (node == self_name_ || boot > incarnation || !validate_node_name(node).is_ok())
    return nullptr;
  const MergeResult r =
      merge(now, Claim{MemberState::kAlive, std::string(node), boot, incarnation}, false);
  check_invariants();
  return r.record;
}

void Liveness::on_heard(Instant now, NodeId from, uint64_t boot, uint64_t incarnation) {
  if (from == self_ || !from.valid() || boot > incarnation)
    return;
  for (const Heard& h : heard_) {
    if (h.node != from || h.erasures != table_.erasures())
      continue;
    // MemberTable::merge's own test: a change iff the alive claim supersedes
    // the record or brings a newer boot.
    const Record& r = *h.record;
    if (!supersedes(MemberState::kAlive, incarnation, r.state, r.incarnation) && boot <= r.boot)
      return;
    break;
  }
  const Record* r = merge_heard(now, names_.name(from), boot, incarnation);
  if (r != nullptr)  // null: not kept (an invalid name, or a full table of suspects)
    remember_heard(from, r);
}

void Liveness::remember_heard(NodeId node, const Record* r) {
  Heard* slot = nullptr;
  for (Heard& h : heard_) {
    if (h.node == node)
      slot = &h;
  }
  if (slot == nullptr) {
    slot = &heard_[heard_next_];
    heard_next_ = (heard_next_ + 1) % kHeardCacheSize;
  }
  *slot = Heard{node, r, table_.erasures()};
}

uint64_t Liveness::refute(Instant now) {
  BARREL_ASSERT(incarnation_ < UINT64_MAX);
  incarnation_++;
  announce_alive(now);
  check_invariants();
  return incarnation_;
}

Duration Liveness::suspicion_timeout() const {
  const size_t n = estimate_ != 0 ? estimate_ : std::max<size_t>(1, table_.size());
  const int64_t log2 = static_cast<int64_t>(std::bit_width(n)) - 1;  // floor(log2 n), n >= 1
  BARREL_ASSERT(log2 >= 0 && log2 < 64);
  return config_.suspicion_min + config_.suspicion_per_log2 * log2;
}

void Liveness::note_change(std::string_view node) {
  if (std::find(changes_.begin(), changes_.end(), node) == changes_.end())
    changes_.emplace_back(node);
}

// --- Timers -----------------------------------------------------------------------

// Probes first (their retries and suspicions), then suspicions whose deadline
// passed (dead here; DEAD broadcast if we raised the SUSPECT), then dead
// records past their retention. Each step within its per-tick bound.
void Liveness::handle_timers(Instant now) {
  const size_t start = broadcasts_.size();
  run_probe_timers(now, start);
  run_reprobe(now);
  for (size_t expired = 0; expired < kTickExpiryMax; ++expired) {
    if (broadcasts_.size() - start >= kTickBroadcastsMax)
      break;
    std::optional<ExpiredSuspicion> e = table_.expire_suspicion(now);
    if (!e)
      break;
    note_change(e->dead.node);
    stats_.members_declared_dead++;
    if (e->originated && is_news(e->dead.node))
      broadcasts_.push_back(std::move(e->dead));
  }
  table_.forget_dead(now, config_.dead_retention, kTickExpiryMax);
  BARREL_ASSERT(broadcasts_.size() - start <= kTickBroadcastsMax);
  check_invariants();
}

Instant Liveness::next_deadline() const {
  const Instant reprobe = reprobe_.peer.valid()     ? reprobe_.deadline
                          : table_.dead_count() > 0 ? next_reprobe_
                                                    : Instant::never();
  return std::min({next_probe_deadline(), table_.next_suspicion_deadline(),
                   table_.next_dead_expiry(config_.dead_retention), reprobe});
}

// --- Outputs and queries --------------------------------------------------------------

void Liveness::take_broadcasts(std::vector<Claim>* out) {
  BARREL_ASSERT(out != nullptr);
  for (Claim& c : broadcasts_)
    out->push_back(std::move(c));
  broadcasts_.clear();
}

void Liveness::take_changes(std::vector<std::string>* out) {
  BARREL_ASSERT(out != nullptr);
  for (std::string& n : changes_)
    out->push_back(std::move(n));
  changes_.clear();
}

std::optional<Liveness::RecordView> Liveness::record(std::string_view node) const {
  const Record* r = table_.find(node);
  if (r == nullptr)
    return std::nullopt;
  return RecordView{r->state, r->boot, r->incarnation};
}

bool Liveness::entry_is_dead(std::string_view node, uint64_t entry_boot,
                             uint64_t entry_incarnation) const {
  if (node == self_name_)
    return entry_boot < boot_;
  const Record* r = table_.find(node);
  if (r == nullptr)
    return false;
  return entry_boot < r->boot ||
         (r->state == MemberState::kDead && entry_incarnation <= r->incarnation);
}

std::vector<Claim> Liveness::sync_claims(Instant now, std::string_view peer, size_t max) const {
  BARREL_ASSERT(max <= limits::kSyncClaimsMax);
  const Duration window = Duration::micros(config_.dead_retention.us() / 2);
  const Instant since = now - window < Instant::zero() ? Instant::zero() : now - window;
  return table_.sync_claims(peer, max, since);
}

std::vector<Claim> Liveness::sync_claims(Instant now, NodeId peer, size_t max) const {
  if (table_.not_alive_count() == 0)
    return {};  // what the table would answer, without the peer's name
  return sync_claims(now, names_.name(peer), max);
}

void Liveness::take_revived(std::vector<NodeId>* out) {
  BARREL_ASSERT(out != nullptr);
  out->insert(out->end(), revived_.begin(), revived_.end());
  revived_.clear();
}

void Liveness::check_invariants() const {
  BARREL_ASSERT(incarnation_ >= boot_);
  BARREL_ASSERT(probes_.size() <= limits::kProbesMax);
  for (size_t i = 0; i < probes_.size(); ++i) {
    BARREL_ASSERT(probes_[i].peer != self_);
    BARREL_ASSERT(probes_[i].attempts <= config_.probe_attempts);  // 0: first probe pending
    for (size_t j = i + 1; j < probes_.size(); ++j)
      BARREL_ASSERT(probes_[i].peer != probes_[j].peer);
  }
  if constexpr (kVerify)  // a map lookup per input; merge() refuses self
    BARREL_ASSERT(table_.find(self_name_) == nullptr);
  table_.check_invariants();
}

}  // namespace barrel::liveness
