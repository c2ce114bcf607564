// effect_sink.h — where a protocol writes its effects.
//
// A thin wrapper over the Node's effect queue (effect.h). Node calls
// begin_input() at the start of every input; the sink then asserts that the
// input produces at most limits::kEffectsPerInputMax effects (every handler
// emits O(active view) effects, so more is a bug, not a peer's doing). It also
// counts the messages sent into NodeStats.
//
// Protocols (HyParView now; Plumtree and the registry later) share one sink,
// so their effects interleave in the order they were produced.
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "barrel/assert.h"
#include "barrel/effect.h"
#include "barrel/limits.h"
#include "barrel/node.h"

namespace barrel::hyparview {

class EffectSink {
 public:
  // `queue` and `stats` must outlive the sink.
  EffectSink(std::vector<Effect>* queue, NodeStats* stats) : queue_(queue), stats_(stats) {
    BARREL_ASSERT(queue != nullptr);
    BARREL_ASSERT(stats != nullptr);
  }
  EffectSink(const EffectSink&) = delete;
  EffectSink& operator=(const EffectSink&) = delete;

  // Starts the effect budget of one input.
  void begin_input() { produced_ = 0; }
  size_t produced() const { return produced_; }

  // `msg` is one Message alternative (Join, ForwardJoin, ...).
  template <typename T>
  void send(NodeId to, T&& msg) {
    BARREL_ASSERT(to.valid());
    stats_->messages_sent++;
    Send& s = std::get<Send>(push(Send{}));
    s.to = to;
    s.msg.template emplace<std::decay_t<T>>(std::forward<T>(msg));
  }
  void open_link(NodeId peer) {
    BARREL_ASSERT(peer.valid());
    push(OpenLink{peer});
  }
  void close_link(NodeId peer) {
    BARREL_ASSERT(peer.valid());
    push(CloseLink{peer});
  }
  // `event` is one Event alternative (PeerUp, BroadcastDelivered, ...),
  // built in place like a send()'s message.
  template <typename T>
  void emit(T&& event) {
    Emit& e = std::get<Emit>(push(Emit{}));
    e.event.template emplace<std::decay_t<T>>(std::forward<T>(event));
  }

 private:
  // Builds the effect in place (and send() its message): moving a whole
  // Effect or Message variant trips g++ 12's -Wmaybe-uninitialized under the
  // sanitizers, a false positive.
  template <typename T>
  Effect& push(T&& alternative) {
    BARREL_ASSERT(produced_ < limits::kEffectsPerInputMax);
    ++produced_;
    return queue_->emplace_back(std::in_place_type<std::decay_t<T>>, std::forward<T>(alternative));
  }

  std::vector<Effect>* queue_;
  NodeStats* stats_;
  size_t produced_ = 0;
};

}  // namespace barrel::hyparview
