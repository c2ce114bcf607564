// watched_node.h — the decorator that lets observers watch one node: it
// forwards every call of the HostedNode interface unchanged to the node it
// wraps and tells the observers that watch the node (RunObserver::watches)
// what the node was fed, what it emitted and how its views changed.
//
// Only watched nodes are wrapped (watching_factory() asks the observers at
// each start), so the others run with no extra call at all. Forwarding is
// exact — same arguments, same results, same order — so a watched run has the
// trace hash of an unwatched one.
//
// Every report carries the engine's virtual time, not the `now` the node is
// fed (a node with a drifting clock is fed its own local time). A crash or
// restart destroys the incarnation: the destructor reports NodeInput::kStop,
// unless the run has ended (the engine tearing its nodes down is not a stop
// of the node).
//
// Thread-safety: one owner, the engine's thread.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "barrel/sim/observer.h"
#include "barrel/time.h"
#include "sim_node.h"

namespace barrel::sim {

// What the decorators of one run share with the engine.
struct WatchContext {
  const Instant* now = nullptr;  // the engine's virtual clock
  std::vector<RunObserver*> observers;
  bool ended = false;  // set by the engine after the run: no more stops
};

// `inner` with every node some observer of `context` watches wrapped.
// REQUIRES: context->now set.
NodeFactory watching_factory(NodeFactory inner, std::shared_ptr<WatchContext> context);

}  // namespace barrel::sim
