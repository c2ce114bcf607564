// causal_context.cpp — the compressed causal context (causal_context.h).
#include "ormap/causal_context.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::ormap {
Result<CausalContext> CausalContext::from_canonical(std::span<const Dot> vv,
                                                    std::span<const Dot> cloud) {
  if (vv.size() > limits::kOrMapReplicasMax)
    return Status(Code::kOversized, "context: " + std::to_string(vv.size()) + " vv entries");
  if (cloud.size() > limits::kOrMapCloudDotsMax)
    return Status(Code::kOversized, "context: " + std::to_string(cloud.size()) + " cloud dots");
  CausalContext c;
  for (size_t i = 0; i < vv.size(); ++i) {
    if (!vv[i].valid())
      return Status(Code::kMalformed, "context: vv entry " + to_string(vv[i]) + " has counter 0");
    if (i > 0 && vv[i - 1].replica >= vv[i].replica)
      return Status(Code::kMalformed, "context: vv replicas not strictly ascending");
    c.vv_.emplace_hint(c.vv_.end(), vv[i].replica, vv[i].counter);
  }
  for (size_t i = 0; i < cloud.size(); ++i) {
    const Dot d = cloud[i];
    if (!d.valid())
      return Status(Code::kMalformed, "context: cloud dot " + to_string(d) + " has counter 0");
    if (i > 0 && cloud[i - 1] >= d)
      return Status(Code::kMalformed, "context: cloud dots not strictly ascending");
    auto it = c.vv_.find(d.replica);
    const uint64_t n = it == c.vv_.end() ? 0 : it->second;
    if (d.counter <= n + 1)
      return Status(Code::kMalformed, "context: cloud dot " + to_string(d) + " is not compacted");
    c.cloud_.emplace_hint(c.cloud_.end(), d);
  }
  if (Status s = c.check_bounds(); !s.is_ok())
    return Status(Code::kOversized, s.message());
  c.check_invariants();
  return c;
}

bool CausalContext::contains(Dot d) const {
  BARREL_ASSERT(d.valid());
  auto it = vv_.find(d.replica);
  if (it != vv_.end() && d.counter <= it->second)
    return true;
  return cloud_.count(d) != 0;
}

uint64_t CausalContext::max_counter(ReplicaId r) const {
  auto it = vv_.find(r);
  uint64_t n = it == vv_.end() ? 0 : it->second;
  // The last cloud dot of r is the one just before the first dot of r + 1.
  auto next = r == UINT64_MAX ? cloud_.end() : cloud_.lower_bound(Dot{r + 1, 0});
  if (next != cloud_.begin()) {
    const Dot last = *std::prev(next);
    if (last.replica == r)
      n = std::max(n, last.counter);
  }
  return n;
}

bool CausalContext::knows(ReplicaId r) const {
  if (vv_.count(r) != 0)
    return true;
  auto it = cloud_.lower_bound(Dot{r, 0});
  return it != cloud_.end() && it->replica == r;
}

void CausalContext::compact(ReplicaId r) {
  auto vit = vv_.find(r);
  uint64_t n = vit == vv_.end() ? 0 : vit->second;
  auto it = cloud_.lower_bound(Dot{r, 0});
  while (it != cloud_.end() && it->replica == r && it->counter <= n + 1) {
    n = std::max(n, it->counter);
    it = cloud_.erase(it);
  }
  if (n > 0)
    vv_[r] = n;
  BARREL_ASSERT(it == cloud_.end() || it->replica != r || it->counter > n + 1);
}

size_t CausalContext::replica_count() const {
  size_t count = vv_.size();
  ReplicaId last = 0;
  bool have_last = false;
  for (const Dot& d : cloud_) {
    if (have_last && d.replica == last)
      continue;
    have_last = true;
    last = d.replica;
    if (vv_.count(d.replica) == 0)
      ++count;
  }
  return count;
}

Status CausalContext::check_bounds() const {
  if (cloud_.size() > limits::kOrMapCloudDotsMax)
    return Status::limit_exceeded("context: cloud would hold " + std::to_string(cloud_.size()) +
                                  " dots");
  if (replica_count() > limits::kOrMapReplicasMax)
    return Status::limit_exceeded("context: more than " +
                                  std::to_string(limits::kOrMapReplicasMax) + " replicas");
  return Status::ok();
}

Status CausalContext::insert(Dot d) {
  BARREL_ASSERT(d.valid());
  if (contains(d))
    return Status::ok();
  const bool new_replica = !knows(d.replica);
  auto it = vv_.find(d.replica);
  const bool extends_vv = d.counter == (it == vv_.end() ? 0 : it->second) + 1;
  if (new_replica && replica_count() >= limits::kOrMapReplicasMax)
    return Status::limit_exceeded("context: more than " +
                                  std::to_string(limits::kOrMapReplicasMax) + " replicas");
  if (!extends_vv && cloud_.size() >= limits::kOrMapCloudDotsMax)
    return Status::limit_exceeded("context: cloud full");
  cloud_.insert(d);
  compact(d.replica);
  BARREL_ASSERT(contains(d));
  return Status::ok();
}

Status CausalContext::join(const CausalContext& o) {
  if (o.empty())
    return Status::ok();
  // When even the worst case (every replica and cloud dot of `o` new, nothing
  // compacted) stays within the bounds, join in place: no copy of this
  // context, which may hold every replica of the cluster while `o` is a
  // delta's few dots. vv + cloud sizes bound the replica count from above.
  if (cloud_.size() + o.cloud_.size() <= limits::kOrMapCloudDotsMax &&
      vv_.size() + cloud_.size() + o.vv_.size() + o.cloud_.size() <= limits::kOrMapReplicasMax) {
    join_unchecked(*this, o);
    BARREL_ASSERT(check_bounds().is_ok());
    return Status::ok();
  }
  CausalContext next = *this;
  join_unchecked(next, o);
  if (Status s = next.check_bounds(); !s.is_ok())
    return s;
  *this = std::move(next);
  return Status::ok();
}

void CausalContext::join_unchecked(CausalContext& next, const CausalContext& o) {
  for (const auto& [r, n] : o.vv_) {
    uint64_t& mine = next.vv_[r];
    mine = std::max(mine, n);
  }
  for (const Dot& d : o.cloud_) {
    if (!next.contains(d))
      next.cloud_.insert(d);
  }
  for (const auto& [r, n] : o.vv_)
    next.compact(r);
  for (const Dot& d : o.cloud_)
    next.compact(d.replica);  // repeated replicas: compact is idempotent
}

CausalContext CausalContext::project(ReplicaId r, uint64_t counter_max) const {
  CausalContext p;
  auto it = vv_.find(r);
  if (it != vv_.end() && counter_max > 0)
    p.vv_[r] = std::min(it->second, counter_max);
  for (auto c = cloud_.lower_bound(Dot{r, 1}); c != cloud_.end() && c->replica == r; ++c) {
    if (c->counter > counter_max)
      break;
    p.cloud_.insert(*c);
  }
  p.check_invariants();
  return p;
}

bool CausalContext::same_replica(const CausalContext& o, ReplicaId r) const {
  auto a = vv_.find(r);
  auto b = o.vv_.find(r);
  const uint64_t na = a == vv_.end() ? 0 : a->second;
  const uint64_t nb = b == o.vv_.end() ? 0 : b->second;
  if (na != nb)
    return false;
  auto ia = cloud_.lower_bound(Dot{r, 1});
  auto ib = o.cloud_.lower_bound(Dot{r, 1});
  for (;;) {
    const bool ea = ia == cloud_.end() || ia->replica != r;
    const bool eb = ib == o.cloud_.end() || ib->replica != r;
    if (ea || eb)
      return ea && eb;
    if (*ia != *ib)
      return false;
    ++ia;
    ++ib;
  }
}

void CausalContext::check_invariants() const {
  for (const auto& [r, n] : vv_)
    BARREL_ASSERT(n > 0);
  for (const Dot& d : cloud_) {
    BARREL_ASSERT(d.valid());
    auto it = vv_.find(d.replica);
    const uint64_t n = it == vv_.end() ? 0 : it->second;
    BARREL_ASSERT(d.counter > n + 1);
  }
  BARREL_ASSERT(cloud_.size() <= limits::kOrMapCloudDotsMax);
  BARREL_ASSERT(replica_count() <= limits::kOrMapReplicasMax);
}

}  // namespace barrel::ormap
