// lazy_queue.cpp — see lazy_queue.h.
#include "plumtree/lazy_queue.h"

#include <utility>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::plumtree {

bool LazyQueue::push(NodeId peer, const IHaveEntry& entry, Instant flush_at) {
  BARREL_ASSERT(peer.valid());
  size_t i = index_of(peer);
  if (i == batches_.size()) {
    BARREL_ASSERT(batches_.size() < limits::kActiveViewSizeMax);
    batches_.push_back(Batch{peer, {}});
  }
  if (total_ == 0)
    flush_at_ = flush_at;
  std::vector<IHaveEntry>& entries = batches_[i].entries;
  BARREL_ASSERT(entries.size() < limits::kIHaveEntriesMax);
  entries.push_back(entry);
  ++total_;
  BARREL_ASSERT(total_ <= limits::kLazyQueueMax);
  return entries.size() == limits::kIHaveEntriesMax;
}

std::vector<IHaveEntry> LazyQueue::take(NodeId peer) {
  const size_t i = index_of(peer);
  if (i == batches_.size())
    return {};
  std::vector<IHaveEntry> out;
  remove_at(i, &out);
  return out;
}

std::vector<LazyQueue::Batch> LazyQueue::take_all() {
  std::vector<Batch> out = std::move(batches_);
  batches_.clear();
  total_ = 0;
  flush_at_ = Instant::never();
  return out;
}

void LazyQueue::drop(NodeId peer) {
  const size_t i = index_of(peer);
  if (i != batches_.size())
    remove_at(i, nullptr);
}

size_t LazyQueue::index_of(NodeId peer) const {
  size_t i = 0;
  while (i < batches_.size() && batches_[i].peer != peer)
    ++i;
  return i;
}

void LazyQueue::remove_at(size_t i, std::vector<IHaveEntry>* entries) {
  BARREL_ASSERT(i < batches_.size());
  BARREL_ASSERT(total_ >= batches_[i].entries.size());
  total_ -= batches_[i].entries.size();
  if (entries != nullptr)
    *entries = std::move(batches_[i].entries);
  batches_.erase(batches_.begin() + static_cast<std::ptrdiff_t>(i));
  if (total_ == 0)
    flush_at_ = Instant::never();
}

}  // namespace barrel::plumtree
