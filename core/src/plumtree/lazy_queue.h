// lazy_queue.h — IHAVE announcements waiting to be batched, per lazy peer.
//
// Plumtree's lazy push does not send one IHAVE per broadcast: announcements
// for a peer are queued and sent together, lazy_flush_period after the first
// one was queued (one flush timer for all peers), or at once when a peer's
// batch reaches limits::kIHaveEntriesMax (push() says so; the caller takes
// the batch and sends it). Batches are kept in the order their first entry
// was queued, so a flush sends them in a deterministic order.
//
// Bound: one batch per active member, each below kIHaveEntriesMax, so at
// most limits::kLazyQueueMax entries in all (static_assert in limits.h).
//
// Thread-safety: none (owned by one Node).
#pragma once

#include <cstddef>
#include <vector>

#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/time.h"

namespace barrel::plumtree {

class LazyQueue {
 public:
  struct Batch {
    NodeId peer;
    std::vector<IHaveEntry> entries;
  };

  // Queues `entry` for `peer`; the flush timer is set to `flush_at` if no
  // entry was queued. Returns true if the peer's batch is now full: the
  // caller must take() and send it.
  bool push(NodeId peer, const IHaveEntry& entry, Instant flush_at);
  // Removes and returns the entries queued for `peer` (empty if none).
  std::vector<IHaveEntry> take(NodeId peer);
  // Removes and returns every batch, oldest first, and clears the timer.
  std::vector<Batch> take_all();
  // Forgets the entries queued for `peer` (it left the active view).
  void drop(NodeId peer);

  // The flush instant, or Instant::never() if nothing is queued.
  Instant deadline() const { return flush_at_; }
  size_t size() const { return total_; }
  size_t batch_count() const { return batches_.size(); }

 private:
  size_t index_of(NodeId peer) const;  // batches_.size() if none
  // Removes batch i, moving its entries to *entries unless null.
  void remove_at(size_t i, std::vector<IHaveEntry>* entries);

  std::vector<Batch> batches_;  // in the order of their first entry
  size_t total_ = 0;
  Instant flush_at_ = Instant::never();
};

}  // namespace barrel::plumtree
