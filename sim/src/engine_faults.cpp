// engine_faults.cpp — the network and lifecycle faults of the timeline:
// partition (cut the network into groups), heal (end partitions) and restart
// (crash now, start a new incarnation later and join). The QUIC semantics of
// a cut are in network.h and partitions.h; in short, a message across a cut
// is dropped at arrival (its sender learns it as from a dead target), an
// OpenLink across fails after the detection delay, and every monitored link
// across is reported down at its monitor(s) after the detection delay unless
// it was closed, or the cut healed, before.
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "barrel/assert.h"
#include "engine.h"
#include "selector.h"

namespace barrel::sim {

void Engine::apply_partition(const Step& step, uint32_t step_index) {
  const auto& action = std::get<PartitionAction>(step.action);
  if (partitions_.in_effect_count() >= kPartitionsActiveMax) {
    fail(where(step, step_index) + ": more than " + std::to_string(kPartitionsActiveMax) +
         " partitions in effect at " + at_now());
    return;
  }
  std::vector<uint16_t> group;
  if (action.one_way ? !resolve_one_way(step, step_index, &group)
                     : !resolve_groups(step, step_index, &group)) {
    return;
  }
  const uint32_t serial = partitions_.next_serial();
  // Partitions are inputs of the world: the trace holds who went where.
  trace_.add_u8(action.one_way ? 0x83 : 0x81);
  trace_.add_u32(serial);
  for (uint16_t g : group)
    trace_.add_u32(g);
  cut_links(serial, group, action.one_way);
  const uint32_t added = action.one_way ? partitions_.add_one_way(action.name, std::move(group))
                                        : partitions_.add(action.name, std::move(group));
  BARREL_ASSERT(added == serial);
}

// side[i]: Partitions::kFromSide for the nodes of `from`, kToSide for those
// of `to` (a random `to` draws among the nodes `from` did not take), else 0.
bool Engine::resolve_one_way(const Step& step, uint32_t step_index, std::vector<uint16_t>* side) {
  const auto& action = std::get<PartitionAction>(step.action);
  BARREL_ASSERT(action.one_way && action.groups.empty());
  side->assign(node_count_, 0);
  resolve_selector(
      action.from, names_, node_count_, [](uint32_t) { return true; }, &faults_rng_, &selected_,
      &groups_);
  for (uint32_t i : selected_)
    (*side)[i] = Partitions::kFromSide;
  resolve_selector(
      action.to, names_, node_count_, [side](uint32_t i) { return (*side)[i] == 0; }, &faults_rng_,
      &selected_, &groups_);
  for (uint32_t i : selected_) {
    if ((*side)[i] != 0) {
      fail(where(step, step_index) + ": " + name_of(NodeId(i)) +
           " is on both sides of a one-way cut");
      return false;
    }
    (*side)[i] = Partitions::kToSide;
  }
  return true;
}

// group[i]: 0 for the nodes no group names, else 1 + the group's index. A
// random selector draws among the nodes no earlier group took; a node named
// by two groups fails the run (the loader rejects it when both are explicit).
bool Engine::resolve_groups(const Step& step, uint32_t step_index, std::vector<uint16_t>* group) {
  const auto& action = std::get<PartitionAction>(step.action);
  BARREL_ASSERT(!action.groups.empty() && action.groups.size() <= kPartitionGroupsMax);
  group->assign(node_count_, 0);
  for (size_t g = 0; g < action.groups.size(); ++g) {
    select_nodes(
        action.groups[g], [group](uint32_t i) { return (*group)[i] == 0; }, &faults_rng_);
    for (uint32_t i : selected_) {
      if ((*group)[i] != 0) {
        fail(where(step, step_index) + ": " + name_of(NodeId(i)) + " is in partition groups " +
             std::to_string((*group)[i] - 1) + " and " + std::to_string(g));
        return false;
      }
      (*group)[i] = static_cast<uint16_t>(g + 1);
    }
  }
  return true;
}

// Every monitored link across the new cut goes down at its monitor after the
// detection delay (QUIC's idle timeout), unless closed or healed by then
// (on_link_down checks both). Both ends of a link each monitor the other, so
// both are told.
// A one-way cut takes links down as a cut does: a QUIC connection needs both
// directions (partitions.h).
void Engine::cut_links(uint32_t serial, const std::vector<uint16_t>& group, bool one_way) {
  BARREL_ASSERT(group.size() == node_count_);
  const Instant at = now_ + network_.detection_delay();
  for (uint32_t n = 0; n < node_count_; ++n) {
    if (!nodes_[n].alive())
      continue;
    for (const Network::Monitor& m : network_.monitored_by_node(n)) {
      if (!Partitions::separates(one_way, group, n, m.peer))
        continue;
      SimEvent e;
      e.time = at;
      e.kind = EventKind::kLinkDown;
      e.node = n;
      e.peer = m.peer;
      e.epoch = m.epoch;
      e.aux = serial;
      heap_.push(e);
    }
  }
}

void Engine::apply_heal(const Step& step) {
  const auto& action = std::get<HealAction>(step.action);
  healed_.clear();
  partitions_.heal(action.name, &healed_);
  if (healed_.empty())
    return;  // nothing of that name in effect
  trace_.add_u8(0x82);
  for (uint32_t serial : healed_)
    trace_.add_u32(serial);
  record_disruption("heal", 0);
}

// Each selected live node crashes now; its next incarnation starts at
// now + after (Node::create sees that instant) and joins through a contact
// picked now (on_join). With identity new the next incarnation is another
// node, never started before (RestartAction in scenario.h).
void Engine::apply_restart(const Step& step, uint32_t step_index) {
  const auto& action = std::get<RestartAction>(step.action);
  BARREL_ASSERT(action.after >= Duration::zero());
  select_nodes(
      action.nodes, [this](uint32_t i) { return nodes_[i].alive(); }, &faults_rng_);
  uint32_t crashed = 0;
  for (uint32_t i : selected_) {
    if (!nodes_[i].alive())
      continue;  // restarting a node that is not running changes nothing
    crash_node(i);
    crashed += 1;
    // identity new: the machine boots as a stranger, a never-started node.
    uint32_t next = i;
    if (action.identity == RestartAction::Identity::kNew) {
      next = fresh_identity();
      if (next == kNone) {
        fail(where(step, step_index) + ": restart of " + name_of(NodeId(i)) + " at " + at_now() +
             " with identity new: every node has run already (no fresh identity is left)");
        return;
      }
    }
    SimEvent e;
    e.time = now_ + action.after;
    e.kind = EventKind::kJoin;
    e.node = next;
    e.peer = pick_contact(action.contacts, next);
    e.aux = step_index;
    heap_.push(e);
  }
  if (crashed > 0)
    record_disruption("restart", crashed);
}

}  // namespace barrel::sim
