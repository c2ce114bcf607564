// plumtree_bench — the cost of handling one Plumtree message in a Node, per
// message: a new GOSSIP (deliver, forward to the eager peers, queue IHAVEs
// for the lazy ones), a duplicate GOSSIP (answered by PRUNE), an IHAVE
// announcing ids the node lacks, and a user broadcast at the origin.
//
// Method: one real barrel::Node with a full active view of 5 peers (HyParView
// default), admitted through JOIN_ACCEPT; every message is handed to
// Node::deliver() exactly as a host would, and the effects are drained into
// a reused vector (so the figure includes the effect queue, as in a host).
// Ids are fresh per iteration where the case needs a new one; time advances
// 1 µs per message so the caches expire as in a steady stream (message_ttl
// 60 s, bounded at 16,384 ids). Reports items/s (messages). Run:
//   build/bench/plumtree_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "barrel/effect.h"
#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/node.h"

namespace {

using barrel::Duration;
using barrel::Instant;
using barrel::MessageId;
using barrel::NodeId;

struct Fixture {
  barrel::NameTable names{64};
  std::vector<NodeId> ids;
  std::unique_ptr<barrel::Node> node;
  std::vector<barrel::Effect> effects;
  Instant now = Instant::zero();

  Fixture() {
    for (int i = 0; i < 8; ++i)
      ids.push_back(
          *names.intern("node-" + std::to_string(100 + i) + "@10.0.0." + std::to_string(i)));
    barrel::NodeConfig config;
    // Only the handling of the measured message: no periodic timers fire.
    config.hyparview.shuffle_period = Duration::seconds(3600);
    config.registry.sync_period = Duration::seconds(3600);
    node = std::move(barrel::Node::create(config, names, ids[0], 1, now)).value();
    for (int i = 1; i <= 5; ++i)
      (void)node->deliver(now, ids[static_cast<size_t>(i)], barrel::JoinAccept{});
    drain();
  }
  void drain() {
    effects.clear();
    node->drain_effects(&effects);
  }
  void step() { now = now + Duration::micros(1); }
};

// Fresh ids: a counter in `lo`, so every iteration is a new broadcast.
MessageId fresh(uint64_t k) {
  return MessageId{0x5eed, k};
}

void BM_GossipNew(benchmark::State& state) {
  Fixture f;
  const barrel::Payload payload(std::vector<uint8_t>(static_cast<size_t>(state.range(0)), 7));
  uint64_t k = 0;
  for (auto _ : state) {
    barrel::Gossip g{fresh(++k), f.ids[6], 3, payload};
    (void)f.node->deliver(f.now, f.ids[1], g);
    f.drain();
    f.step();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GossipNew)->Arg(64)->Arg(1024);

void BM_GossipDuplicate(benchmark::State& state) {
  Fixture f;
  const barrel::Payload payload(std::vector<uint8_t>(64, 7));
  const barrel::Gossip g{fresh(1), f.ids[6], 3, payload};
  (void)f.node->deliver(f.now, f.ids[1], g);
  f.drain();
  for (auto _ : state) {
    (void)f.node->deliver(f.now, f.ids[2], g);
    f.drain();
    f.step();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GossipDuplicate);

void BM_IHaveMissing(benchmark::State& state) {
  Fixture f;
  uint64_t k = 1'000'000;
  const size_t entries = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    barrel::IHave ih;
    for (size_t i = 0; i < entries; ++i)
      ih.entries.push_back(barrel::IHaveEntry{fresh(++k), f.ids[6], 2});
    (void)f.node->deliver(f.now, f.ids[3], ih);
    f.drain();
    f.step();
    // Keep the missing set from filling up (bounded at 4,096): the GOSSIPs
    // "arrive" for what was announced, as they do in a running cluster.
    if (k % 2048 < entries) {
      state.PauseTiming();
      for (uint64_t j = k - 2048; j <= k; ++j)
        (void)f.node->deliver(f.now, f.ids[4],
                              barrel::Gossip{fresh(j), f.ids[6], 3, barrel::Payload()});
      f.drain();
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IHaveMissing)->Arg(1)->Arg(16);

void BM_BroadcastAtOrigin(benchmark::State& state) {
  Fixture f;
  const std::vector<uint8_t> payload(64, 9);
  for (auto _ : state) {
    barrel::Result<MessageId> id = f.node->broadcast(f.now, payload);
    benchmark::DoNotOptimize(id);
    f.drain();
    f.step();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BroadcastAtOrigin);

}  // namespace

BENCHMARK_MAIN();
