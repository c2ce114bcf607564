// harness.h — an in-memory network of Nodes for multi-node tests.
//
// N barrel::Nodes share one NameTable ("n<i>@test", handle = index) and one
// virtual clock. Every Send is queued and delivered in FIFO order, at the
// same virtual instant (zero latency); time moves only to the next timer
// deadline. Links follow effect.h: the harness remembers which node monitors
// which peer (OpenLink until CloseLink); a crashed node's monitors report
// on_link_down to their owners, and a Send or OpenLink to a crashed node is
// answered by on_link_failed. Messages from or to a crashed node are lost.
//
// Everything is bounded, as in aioquic's roundtrip(): settle() and run_for()
// take a step budget and fail the test (ADD_FAILURE, returning false) if the
// network does not quiesce within it.
//
// Determinism: node i is seeded with derive_seed(seed, kNode, i); inputs are
// processed in one total order, so two harnesses with the same seed record
// identical traces.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "barrel/node.h"
#include "barrel/rng.h"
#include "core/hyparview/test_util.h"

namespace barrel::test {

// One effect a node produced, at a virtual instant.
struct TraceEntry {
  uint64_t at_us = 0;
  uint32_t node = 0;
  Effect effect;
  bool operator==(const TraceEntry&) const = default;
};

class Harness {
 public:
  static constexpr size_t kSettleStepsMax = 1'000'000;

  Harness(size_t count, uint64_t seed, const NodeConfig& config = {})
      : names_(count, count + 1), config_(config) {
    for (size_t i = 0; i < count; ++i) {
      const uint64_t node_seed = derive_seed(seed, SeedDomain::kNode, i);
      nodes_.push_back(make_node(config, names_, i, node_seed));
      alive_.push_back(true);
    }
  }

  size_t size() const { return nodes_.size(); }
  Node& node(size_t i) { return *nodes_.at(i); }
  const Node& node(size_t i) const { return *nodes_.at(i); }
  NodeId id(size_t i) const { return names_.id(i); }
  bool alive(size_t i) const { return alive_.at(i); }
  Instant now() const { return now_; }
  const std::vector<TraceEntry>& trace() const { return trace_; }
  uint64_t inputs_processed() const { return inputs_processed_; }
  // Recording every effect costs memory; big runs that do not compare traces
  // turn it off.
  void set_record_trace(bool on) { record_trace_ = on; }

  // --- Inputs -----------------------------------------------------------------

  void join(size_t i, size_t contact) {
    EXPECT_TRUE(node(i).join(now_, id(contact)).is_ok());
    collect(i);
  }

  void leave(size_t i) {
    node(i).leave(now_);
    collect(i);
  }

  // Node i broadcasts `payload` (Plumtree). REQUIRES: alive.
  Result<MessageId> broadcast(size_t i, std::span<const uint8_t> payload) {
    EXPECT_TRUE(alive_.at(i));
    Result<MessageId> r = node(i).broadcast(now_, payload);
    collect(i);
    return r;
  }

  // Carries out the effects of an input a test fed to node(i) directly.
  void collect_for_test(size_t i) { collect(i); }

  // Queues `msg` from node `from` to node `to`, as if `from` had sent it
  // (a test's forged or hand-made message).
  void deliver_for_test(size_t to, size_t from, Message msg) {
    queue_.push_back({Kind::kDeliver, to, id(from), std::move(msg)});
  }

  // Node i stops: every link it had breaks (its peers' monitors report
  // on_link_down), anything sent to it from now on fails.
  void crash(size_t i) {
    ASSERT_TRUE(alive_.at(i));
    alive_[i] = false;
    for (auto it = monitors_.begin(); it != monitors_.end();) {
      if (it->first == i) {
        it = monitors_.erase(it);
      } else if (it->second == i) {
        queue_.push_back({Kind::kLinkDown, it->first, id(i), Join{}});
        it = monitors_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // Node i starts again from scratch under the same name (a crash-restart
  // without persisted state), with a fresh seed, booting at the current
  // virtual instant (so its boot incarnation is larger). REQUIRES: crashed.
  void restart(size_t i, uint64_t seed) {
    ASSERT_FALSE(alive_.at(i));
    nodes_[i] = make_node(config_, names_, i, seed, now_);
    alive_[i] = true;
  }

  // From now on, settle() delivers queued inputs in a random interleaving
  // drawn from `seed` instead of global FIFO order, keeping FIFO order per
  // (sender, receiver) pair, as QUIC streams do: messages between different
  // pairs overtake each other as they would with varying latencies.
  void interleave(uint64_t seed) { interleave_ = std::make_unique<Rng>(seed); }

  // Processes queued inputs until none is left.
  bool settle(size_t max_steps = kSettleStepsMax) {
    for (size_t step = 0; step < max_steps; ++step) {
      if (queue_.empty())
        return true;
      const size_t at = next_input_index();
      Input in = std::move(queue_[at]);
      queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(at));
      process(in);
    }
    ADD_FAILURE() << "network did not quiesce within " << max_steps << " inputs";
    return false;
  }

  // Runs timers and traffic until virtual time `end`: settle, move the clock
  // to the earliest deadline, run every node due then (in index order),
  // repeat.
  bool run_until(Instant end, size_t max_steps = kSettleStepsMax) {
    for (size_t step = 0; step < max_steps; ++step) {
      if (!settle())
        return false;
      const Instant next = earliest_deadline();
      if (next > end) {
        now_ = std::max(now_, end);
        return true;
      }
      now_ = std::max(now_, next);
      for (size_t i = 0; i < size(); ++i) {
        if (alive_[i] && node(i).next_deadline() <= now_) {
          node(i).handle_timers(now_);
          collect(i);
        }
      }
    }
    ADD_FAILURE() << "run_until did not reach its end within " << max_steps << " rounds";
    return false;
  }

  bool run_for(Duration d, size_t max_steps = kSettleStepsMax) {
    return run_until(now_ + d, max_steps);
  }

  // --- Checks -----------------------------------------------------------------

  // "" if every live node's views are within their configured bounds.
  std::string view_bound_violation() const {
    for (size_t i = 0; i < size(); ++i) {
      if (!alive_[i])
        continue;
      const HyParViewConfig& c = node(i).config().hyparview;
      if (node(i).active_view().size() > c.active_size)
        return "active view too large at node " + std::to_string(i);
      if (node(i).passive_view().size() > c.passive_size)
        return "passive view too large at node " + std::to_string(i);
    }
    return "";
  }

  // "" if every live node's active members are live and hold it in turn.
  std::string asymmetric_link() const {
    for (size_t a = 0; a < size(); ++a) {
      if (!alive_[a])
        continue;
      for (NodeId b : node(a).active_view()) {
        const size_t bi = b.value();
        if (!alive_[bi])
          return describe_link(a, bi) + ": peer crashed";
        const auto bv = node(bi).active_view();
        if (std::find(bv.begin(), bv.end(), id(a)) == bv.end())
          return describe_link(a, bi) + ": one-sided";
      }
    }
    return "";
  }

  // "" if the monitored links are exactly the live active views (every admit
  // opened a link, every removal closed it or was reported by the host).
  std::string link_bookkeeping_error() const {
    std::set<std::pair<size_t, size_t>> expected;
    for (size_t a = 0; a < size(); ++a) {
      if (!alive_[a])
        continue;
      for (NodeId b : node(a).active_view())
        expected.insert({a, b.value()});
    }
    if (expected == monitors_)
      return "";
    return "monitored links differ from the active views";
  }

  // Live nodes that take part (not left).
  bool member(size_t i) const { return alive_[i] && !node(i).has_left(); }

  // Connected components among live nodes that have not left, over active
  // links.
  size_t components() const {
    std::vector<size_t> parent(size());
    for (size_t i = 0; i < size(); ++i)
      parent[i] = i;
    auto find = [&parent](size_t x) {
      while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
      return x;
    };
    for (size_t a = 0; a < size(); ++a) {
      if (!member(a))
        continue;
      for (NodeId b : node(a).active_view()) {
        if (member(b.value()))
          parent[find(a)] = find(b.value());
      }
    }
    size_t count = 0;
    for (size_t i = 0; i < size(); ++i)
      count += (member(i) && find(i) == i) ? 1 : 0;
    return count;
  }

  size_t live_count() const {
    return static_cast<size_t>(std::count(alive_.begin(), alive_.end(), true));
  }

 private:
  enum class Kind : uint8_t { kDeliver, kLinkDown, kLinkFailed };
  struct Input {
    Kind kind;
    size_t to;    // the node that gets the input
    NodeId peer;  // the sender (kDeliver) or the link's far end
    Message msg;  // kDeliver only
  };

  std::string describe_link(size_t a, size_t b) const {
    std::ostringstream os;
    os << "link " << a << " -> " << b;
    return os.str();
  }

  // The index of the next input: the front, or under interleave() the
  // oldest input of the pair of a randomly drawn one.
  size_t next_input_index() {
    if (!interleave_)
      return 0;
    const size_t drawn = static_cast<size_t>(interleave_->uniform(queue_.size()));
    for (size_t k = 0; k < drawn; ++k) {
      if (queue_[k].to == queue_[drawn].to && queue_[k].peer == queue_[drawn].peer)
        return k;
    }
    return drawn;
  }

  Instant earliest_deadline() const {
    Instant next = Instant::never();
    for (size_t i = 0; i < size(); ++i) {
      if (alive_[i])
        next = std::min(next, node(i).next_deadline());
    }
    return next;
  }

  void process(Input& in) {
    ++inputs_processed_;
    const size_t peer = in.peer.value();
    if (!alive_[in.to]) {
      // Lost with the node; a sender learns it as a failed send.
      if (in.kind == Kind::kDeliver && alive_[peer])
        queue_.push_back({Kind::kLinkFailed, peer, id(in.to), Join{}});
      return;
    }
    switch (in.kind) {
      case Kind::kDeliver:
        if (!alive_[peer])
          return;  // its connection died with it
        EXPECT_TRUE(node(in.to).deliver(now_, in.peer, in.msg).is_ok());
        break;
      case Kind::kLinkDown:
        monitors_.erase({in.to, peer});
        node(in.to).on_link_down(now_, in.peer);
        break;
      case Kind::kLinkFailed:
        monitors_.erase({in.to, peer});
        node(in.to).on_link_failed(now_, in.peer);
        break;
    }
    collect(in.to);
  }

  // Carries out node i's effects.
  void collect(size_t i) {
    scratch_.clear();
    node(i).drain_effects(&scratch_);
    for (Effect& e : scratch_) {
      if (const auto* send = std::get_if<Send>(&e)) {
        const size_t to = send->to.value();
        if (alive_.at(to)) {
          queue_.push_back({Kind::kDeliver, to, id(i), send->msg});
        } else {
          queue_.push_back({Kind::kLinkFailed, i, send->to, Join{}});
        }
      } else if (const auto* open = std::get_if<OpenLink>(&e)) {
        if (alive_.at(open->peer.value())) {
          monitors_.insert({i, open->peer.value()});
        } else {
          queue_.push_back({Kind::kLinkFailed, i, open->peer, Join{}});
        }
      } else if (const auto* close = std::get_if<CloseLink>(&e)) {
        monitors_.erase({i, close->peer.value()});
      }
      if (record_trace_)
        trace_.push_back({now_.us(), static_cast<uint32_t>(i), std::move(e)});
    }
  }

  Names names_;
  NodeConfig config_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<bool> alive_;
  Instant now_ = Instant::zero();
  std::deque<Input> queue_;
  std::set<std::pair<size_t, size_t>> monitors_;  // (owner, peer)
  std::vector<Effect> scratch_;
  std::vector<TraceEntry> trace_;
  uint64_t inputs_processed_ = 0;
  bool record_trace_ = true;
  std::unique_ptr<Rng> interleave_;  // null: global FIFO order
};

}  // namespace barrel::test
