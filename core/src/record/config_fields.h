// config_fields.h — every field of NodeConfig, in recording order, as one
// list shared by the writer and the reader so the two cannot drift apart. A
// field added to config.h must be added here (at the end), or a replay builds
// a Node with that field's default and diverges.
#pragma once

#include "barrel/config.h"

namespace barrel::record {

// Calls f(field) for each field; `C` is NodeConfig or const NodeConfig.
// Fields are uint32_t, uint8_t or Duration.
template <class C, class F>
void for_each_config_field(C& c, F&& f) {
  auto& h = c.hyparview;
  f(h.active_size);
  f(h.passive_size);
  f(h.arwl);
  f(h.prwl);
  f(h.shuffle_ka);
  f(h.shuffle_kp);
  f(h.shuffle_ttl);
  f(h.shuffle_period);
  f(h.neighbor_timeout);
  f(h.repair_period);
  f(h.repair_high_below);
  f(h.repair_parallel);
  f(h.contact_retry);
  auto& p = c.plumtree;
  f(p.ihave_timeout);
  f(p.graft_timeout);
  f(p.lazy_flush_period);
  f(p.message_ttl);
  auto& l = c.liveness;
  f(l.probe_attempts);
  f(l.probe_timeout);
  f(l.probe_interval);
  f(l.probe_spread);
  f(l.suspicion_min);
  f(l.suspicion_per_log2);
  f(l.dead_retention);
  f(l.dead_reprobe_period);
  f(l.refute_interval);
  auto& r = c.registry;
  f(r.sync_period);
  f(r.register_linger);
  f(r.sync_entries_max);
}

}  // namespace barrel::record
