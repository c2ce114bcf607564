// engine_broadcast.cpp — broadcasts in the simulator engine: the broadcast
// step (who sends, with which payload), the bookkeeping of deliveries and
// Gossip messages (metrics/broadcast_metrics.h), the reliability check,
// report windows (the overlay diameter at their ends) and the broadcast
// summaries of the report.
#include <algorithm>
#include <string>
#include <variant>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "engine.h"
#include "selector.h"

namespace barrel::sim {
namespace {

BroadcastKey key_of(const MessageId& id) {
  return BroadcastKey{id.hi, id.lo};
}

// "99.9912%": ppm as a percentage, integer arithmetic, trailing zeros trimmed.
std::string percent_text(Ppm ppm) {
  std::string s = std::to_string(ppm / 10'000);
  uint32_t frac = ppm % 10'000;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 4 - digits.size(), '0');
    while (digits.back() == '0')
      digits.pop_back();
    s += "." + digits;
  }
  return s + "%";
}

}  // namespace

void Engine::snapshot_members() {
  members_ = NodeBits(node_count_);
  for (uint32_t i = 0; i < node_count_; ++i) {
    if (nodes_[i].member())
      members_.set(i);
  }
}

// Senders are drawn among the live members with the workload Rng; each one's
// payload bytes come from the same Rng, so a replay sends the same bytes.
void Engine::apply_broadcast(const Step& step, uint32_t step_index) {
  const auto& action = std::get<BroadcastAction>(step.action);
  BARREL_ASSERT(action.bytes <= limits::kBroadcastPayloadBytesMax);
  select_nodes(
      action.from, [this](uint32_t i) { return nodes_[i].member(); }, &workload_rng_);
  snapshot_members();  // a broadcast changes no membership: one snapshot serves the step
  for (uint32_t i : selected_) {
    if (!nodes_[i].member())
      continue;  // a named node that is down or left: nothing to broadcast from
    broadcast_payload_.resize(action.bytes);
    for (size_t b = 0; b < broadcast_payload_.size(); b += 8) {
      uint64_t word = workload_rng_.next();
      for (size_t k = b; k < std::min(b + 8, broadcast_payload_.size()); ++k, word >>= 8)
        broadcast_payload_[k] = static_cast<uint8_t>(word);
    }
    trace_.add_u32(action.bytes);
    Status s = feed(i, Input::kBroadcast, i, nullptr);
    if (!s.is_ok()) {
      fail(where(step, step_index) + ": broadcast from " + name_of(NodeId(i)) + " at " + at_now() +
           " failed: " + s.to_string());
      return;
    }
  }
}

// Called by call_node(), before the node's effects are drained: the record
// exists before the origin's own BroadcastDelivered is carried out.
Status Engine::call_broadcast(HostedNode& node, uint32_t i) {
  Result<MessageId> id = node.broadcast(fed_now_, broadcast_payload_);
  if (!id.is_ok())
    return id.status();
  if (!broadcasts_.on_sent(key_of(*id), i, now_, members_)) {
    return Status(Code::kLimitExceeded, "broadcast id already used, or more than " +
                                            std::to_string(kBroadcastRecordsMax) +
                                            " broadcasts in one run");
  }
  return Status::ok();
}

void Engine::on_broadcast_delivered(uint32_t node, const BroadcastDelivered& d) {
  switch (broadcasts_.on_delivered(key_of(d.id), node, d.hops, now_)) {
    case BroadcastTracker::Delivery::kCounted:
      return;
    case BroadcastTracker::Delivery::kDuplicate:
      return fail(name_of(NodeId(node)) + " delivered broadcast " + std::to_string(d.id.hi) + ":" +
                  std::to_string(d.id.lo) + " twice, at " + at_now());
    case BroadcastTracker::Delivery::kUnknownId:
      return fail(name_of(NodeId(node)) + " delivered broadcast " + std::to_string(d.id.hi) + ":" +
                  std::to_string(d.id.lo) + ", which no node broadcast, at " + at_now());
  }
}

void Engine::on_gossip_received(const Message& msg) {
  if (const auto* g = std::get_if<Gossip>(&msg))
    broadcasts_.on_gossip(key_of(g->id));
}

void Engine::on_window(const SimEvent& e) {
  BARREL_ASSERT(e.aux < window_diameters_.size());
  snapshot_views();
  window_diameters_[e.aux] = diameter_.estimate(views_, kDiameterSourcesDefault);
}

std::string Engine::describe_reliability(const Expectation& x, bool* ok) {
  const Duration settle = x.settle > Duration::zero() ? x.settle : kReliabilitySettleDefault;
  const Instant from = Instant::zero() + x.since;
  const Instant to = Instant::zero() + x.at - settle;
  snapshot_members();
  uint32_t judged = 0, below = 0;
  uint64_t sum = 0;
  Ppm min = kPpmOne;
  const BroadcastRecord* worst = nullptr;
  Reliability worst_rel;
  for (const BroadcastRecord& r : broadcasts_.records()) {
    if (r.sent_at < from || r.sent_at > to)
      continue;
    const Reliability rel = BroadcastTracker::judge(r, members_);
    judged += 1;
    sum += rel.ppm();
    below += rel.ppm() < x.reliability_ppm ? 1 : 0;
    if (worst == nullptr || rel.ppm() < min) {
      min = rel.ppm();
      worst = &r;
      worst_rel = rel;
    }
  }
  const std::string range = "[" + format_instant(from) + ", " + format_instant(to) + "]";
  // A check that judges nothing cannot fail, so it does not pass either.
  *ok = judged > 0 && below == 0;
  if (judged == 0)
    return "no broadcast sent in " + range;
  std::string s = std::to_string(judged) + " broadcasts sent in " + range + ": min " +
                  percent_text(min) + ", mean " + percent_text(static_cast<Ppm>(sum / judged)) +
                  " (required " + percent_text(x.reliability_ppm) + ")";
  if (below > 0) {
    s += "; " + std::to_string(below) + " below, e.g. from " + name_of(NodeId(worst->origin)) +
         " at " + format_instant(worst->sent_at) + ": " + std::to_string(worst_rel.delivered) +
         " of " + std::to_string(worst_rel.eligible) + " nodes";
  }
  return s;
}

void Engine::finish_broadcasts() {
  snapshot_members();
  const Instant end = report_.end_time;
  const Instant judged_by = end - kReliabilitySettleDefault;
  BroadcastSummary run =
      broadcasts_.summarize("run", Instant::zero(), end + Duration::micros(1), judged_by, members_);
  run.to = end;
  snapshot_views();
  const DiameterEstimate d = diameter_.estimate(views_, kDiameterSourcesDefault);
  run.diameter = d.diameter;
  run.connected = d.connected;
  report_.broadcast_summaries.push_back(run);
  for (size_t k = 0; k < scenario_.report_windows.size(); ++k) {
    const ReportWindow& w = scenario_.report_windows[k];
    BroadcastSummary s = broadcasts_.summarize(w.name, Instant::zero() + w.from,
                                               Instant::zero() + w.to, judged_by, members_);
    s.diameter = window_diameters_[k].diameter;
    s.connected = window_diameters_[k].connected && window_diameters_[k].sources > 0;
    report_.broadcast_summaries.push_back(std::move(s));
  }
  for (const BroadcastRecord& r : broadcasts_.records()) {
    if (report_.broadcasts.size() >= options_.broadcast_records_max)
      break;
    const Reliability rel = BroadcastTracker::judge(r, members_);
    BroadcastRecordReport out;
    out.id_hi = r.id.hi;
    out.id_lo = r.id.lo;
    out.origin = name_of(NodeId(r.origin));
    out.sent_at = r.sent_at;
    out.members_at_send = r.members_at_send;
    out.delivered = r.delivered;
    out.eligible_at_end = rel.eligible;
    out.delivered_at_end = rel.delivered;
    out.ldh = r.last_hops;
    out.max_hops = r.max_hops;
    out.gossip_received = r.gossip_received;
    out.last_delivery = r.last_delivery_at - r.sent_at;
    report_.broadcasts.push_back(std::move(out));
  }
}

}  // namespace barrel::sim
