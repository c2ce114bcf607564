#include "barrel/config.h"

#include <string>

#include "barrel/limits.h"

namespace barrel {
namespace {

Status out_of_range(const char* field, const char* range) {
  return Status::invalid_argument(std::string(field) + " out of range (" + range + ")");
}

bool within(Duration d, Duration lo, Duration hi) {
  return d >= lo && d <= hi;
}

Status validate_plumtree(const PlumtreeConfig& p) {
  if (!within(p.ihave_timeout, Duration::millis(1), Duration::seconds(600)))
    return out_of_range("plumtree.ihave_timeout", "1ms..10min");
  if (!within(p.graft_timeout, Duration::millis(1), Duration::seconds(600)))
    return out_of_range("plumtree.graft_timeout", "1ms..10min");
  if (!within(p.lazy_flush_period, Duration::millis(1), Duration::seconds(10)))
    return out_of_range("plumtree.lazy_flush_period", "1ms..10s");
  if (!within(p.message_ttl, Duration::seconds(1), Duration::seconds(3600)))
    return out_of_range("plumtree.message_ttl", "1s..1h");
  if (p.message_ttl <= p.ihave_timeout)
    return out_of_range("plumtree.message_ttl", "above ihave_timeout");
  return Status::ok();
}

Status validate_liveness(const LivenessConfig& l) {
  if (l.probe_attempts < 1 || l.probe_attempts > 10)
    return out_of_range("liveness.probe_attempts", "1..10");
  if (!within(l.probe_timeout, Duration::millis(10), Duration::seconds(600)))
    return out_of_range("liveness.probe_timeout", "10ms..10min");
  if (!within(l.probe_interval, Duration::zero(), Duration::seconds(600)))
    return out_of_range("liveness.probe_interval", "0..10min");
  if (!within(l.probe_spread, Duration::zero(), Duration::seconds(600)))
    return out_of_range("liveness.probe_spread", "0..10min");
  if (!within(l.suspicion_min, Duration::millis(100), Duration::seconds(3600)))
    return out_of_range("liveness.suspicion_min", "100ms..1h");
  if (!within(l.suspicion_per_log2, Duration::zero(), Duration::seconds(600)))
    return out_of_range("liveness.suspicion_per_log2", "0..10min");
  if (!within(l.dead_retention, Duration::seconds(1), Duration::seconds(86400)))
    return out_of_range("liveness.dead_retention", "1s..1day");
  if (!within(l.dead_reprobe_period, Duration::millis(100), Duration::seconds(3600)))
    return out_of_range("liveness.dead_reprobe_period", "100ms..1h");
  if (!within(l.refute_interval, Duration::millis(10), Duration::seconds(600)))
    return out_of_range("liveness.refute_interval", "10ms..10min");
  return Status::ok();
}

Status validate_registry(const RegistryConfig& r) {
  if (!within(r.sync_period, Duration::millis(10), Duration::seconds(3600)))
    return out_of_range("registry.sync_period", "10ms..1h");
  if (!within(r.register_linger, Duration::zero(), Duration::seconds(1)))
    return out_of_range("registry.register_linger", "0..1s");
  if (r.sync_entries_max < 1 || r.sync_entries_max > limits::kRegistryDeltaEntriesMax)
    return out_of_range("registry.sync_entries_max", "1..256");
  return Status::ok();
}

}  // namespace

Status NodeConfig::validate() const {
  const HyParViewConfig& h = hyparview;
  if (h.active_size < 1 || h.active_size > limits::kActiveViewSizeMax) {
    return out_of_range("hyparview.active_size", "1..32");
  }
  if (h.passive_size < 1 || h.passive_size > limits::kPassiveViewSizeMax) {
    return out_of_range("hyparview.passive_size", "1..1024");
  }
  if (h.arwl < 1 || h.arwl > limits::kWalkLengthMax)
    return out_of_range("hyparview.arwl", "1..16");
  if (h.prwl > h.arwl)
    return out_of_range("hyparview.prwl", "0..arwl");
  if (1 + h.shuffle_ka + h.shuffle_kp > limits::kShuffleNodesMax) {
    return out_of_range("hyparview.shuffle_ka + shuffle_kp", "1 + ka + kp <= 64");
  }
  if (h.shuffle_ttl < 1 || h.shuffle_ttl > limits::kWalkLengthMax) {
    return out_of_range("hyparview.shuffle_ttl", "1..16");
  }
  if (!within(h.shuffle_period, Duration::millis(100), Duration::seconds(3600))) {
    return out_of_range("hyparview.shuffle_period", "100ms..1h");
  }
  if (!within(h.neighbor_timeout, Duration::millis(10), Duration::seconds(600))) {
    return out_of_range("hyparview.neighbor_timeout", "10ms..10min");
  }
  if (h.repair_high_below < 1 || h.repair_high_below > limits::kActiveViewSizeMax) {
    return out_of_range("hyparview.repair_high_below", "1..32");
  }
  if (h.repair_parallel < 1 || h.repair_parallel > limits::kRepairPendingMax) {
    return out_of_range("hyparview.repair_parallel", "1..8");
  }
  if (!within(h.repair_period, Duration::millis(10), Duration::seconds(600))) {
    return out_of_range("hyparview.repair_period", "10ms..10min");
  }
  if (!within(h.contact_retry, Duration::millis(10), Duration::seconds(3600))) {
    return out_of_range("hyparview.contact_retry", "10ms..1h");
  }
  if (Status s = validate_plumtree(plumtree); !s.is_ok())
    return s;
  if (Status s = validate_liveness(liveness); !s.is_ok())
    return s;
  return validate_registry(registry);
}

}  // namespace barrel
