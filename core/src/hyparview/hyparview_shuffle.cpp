// hyparview_shuffle.cpp — the SHUFFLE exchange that keeps passive views fresh:
// starting one, forwarding the walk, accepting it, merging the reply.
// See hyparview.h and shuffle.h.
#include <utility>
#include <vector>

#include "barrel/assert.h"
#include "barrel/limits.h"
#include "hyparview/hyparview.h"

namespace barrel::hyparview {

// The shuffle timer: send {self, ka active, kp passive} on a walk of
// shuffle_ttl steps starting at a random neighbour, and schedule the next.
void HyParView::run_shuffle(Instant now) {
  BARREL_ASSERT(!left_);
  shuffle_.schedule_next(now, config_.shuffle_period, rng_);
  if (active_.empty())
    return;
  std::vector<NodeId> nodes;
  nodes.reserve(1 + config_.shuffle_ka + config_.shuffle_kp);
  nodes.push_back(self_);
  sample(active_.members(), config_.shuffle_ka, NodeId::invalid(), rng_, &nodes);
  sample(passive_.members(), config_.shuffle_kp, NodeId::invalid(), rng_, &nodes);
  BARREL_ASSERT(nodes.size() <= limits::kShuffleNodesMax);
  const NodeId target = active_.at(active_.random_index(rng_));
  shuffle_.remember_sent(nodes);
  sink_.send(target, Shuffle{self_, config_.shuffle_ttl, std::move(nodes)});
  stats_.shuffles_started++;
}

// SHUFFLE: forward the walk while ttl - 1 > 0 and we have another neighbour
// (not the sender, not the origin) to give it to; else accept it here. Our
// own walk coming back is dropped.
void HyParView::on_shuffle(Instant now, NodeId from, const Shuffle& msg) {
  if (!left_ && msg.origin != self_) {
    disconnect_stray(now, from);
    BARREL_ASSERT(msg.nodes.size() <= limits::kShuffleNodesMax);
    NodeId next = NodeId::invalid();
    if (msg.ttl > 1 && active_.size() > 1)
      next = active_.random_member_except(rng_, from, msg.origin);
    if (next.valid()) {
      sink_.send(next, Shuffle{msg.origin, static_cast<uint8_t>(msg.ttl - 1), msg.nodes});
    } else {
      accept_shuffle(msg);
    }
    maintain(now);
  }
  check_invariants();
}

// The walk ends here: answer the origin with as many of our passive members
// as it sent (a transient connection: the origin need not be a neighbour),
// then merge its sample, losing first the members we just gave away.
void HyParView::accept_shuffle(const Shuffle& msg) {
  std::vector<NodeId> reply;
  reply.reserve(std::min(msg.nodes.size(), passive_.size()));
  sample(passive_.members(), msg.nodes.size(), msg.origin, rng_, &reply);
  passive_.merge(msg.nodes, reply, self_, active_, rng_);
  sink_.send(msg.origin, ShuffleReply{std::move(reply)});
  stats_.shuffle_replies_sent++;
}

// SHUFFLE_REPLY: merge it, losing first the members of the sample we sent.
void HyParView::on_shuffle_reply(Instant now, NodeId /*from*/, const ShuffleReply& msg) {
  if (!left_) {
    BARREL_ASSERT(msg.nodes.size() <= limits::kShuffleNodesMax);
    passive_.merge(msg.nodes, shuffle_.sent(), self_, active_, rng_);
    shuffle_.forget_sent();
    maintain(now);
  }
  check_invariants();
}

}  // namespace barrel::hyparview
