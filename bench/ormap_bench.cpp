// ormap_bench — cost of the OR-Map's hot paths, per operation.
//
// Method: a map of 10k entries (100 replicas x 100 entries, 1000 keys,
// values of ~40 bytes, the registry's steady state) built once per
// benchmark. MergeAddDelta joins a one-entry add delta into it (each
// iteration a fresh dot, so the join really adds); MergeRemoveDelta joins a remove delta of one
// observed entry and re-adds it outside the timing. Encode/Decode work on a typical add delta (one
// entry) and on a full 256-entry anti-entropy chunk. Run:
//   build/bench/ormap_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "barrel/limits.h"
#include "ormap/delta.h"
#include "ormap/delta_codec.h"
#include "ormap/digest.h"
#include "ormap/ormap.h"

namespace {

using barrel::ormap::Delta;
using barrel::ormap::ORMap;

std::string value_for(int replica, int i) {
  return "node-" + std::to_string(replica) + "@10.0.0." + std::to_string(i % 250) + "/ep-" +
         std::to_string(i);
}

ORMap build_10k() {
  ORMap m;
  for (int r = 0; r < 100; ++r) {
    for (int i = 0; i < 100; ++i) {
      const std::string key = "service-" + std::to_string((r * 100 + i) % 1000);
      if (!barrel::ormap::add(&m, 1000 + r, key, value_for(r, i)).is_ok())
        return {};
    }
  }
  return m;
}

void BM_MergeAddDelta(benchmark::State& state) {
  ORMap target = build_10k();
  std::vector<Delta> deltas;
  // Deltas prepared outside the timing: 500 writer replicas, 100 adds each
  // (within barrel::limits::kOrMapEntriesPerReplicaMax; the target ends at 60k <
  // barrel::limits::kOrMapEntriesMax).
  const int n = 50'000;
  deltas.reserve(n);
  ORMap writer;
  for (int i = 0; i < n; ++i) {
    auto d = barrel::ormap::add(&writer, 5000 + i / 100, "service-" + std::to_string(i % 1000),
                                value_for(5000 + i / 100, i));
    if (!d.is_ok()) {
      state.SkipWithError("could not prepare deltas");
      return;
    }
    deltas.push_back(std::move(d).value());
  }
  size_t next = 0;
  for (auto _ : state) {
    if (next == deltas.size()) {
      state.SkipWithError("ran out of prepared deltas");
      break;
    }
    barrel::Status s = target.join(deltas[next++]);
    if (!s.is_ok()) {
      state.SkipWithError("join failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MergeAddDelta)->Iterations(50'000);

void BM_MergeRemoveDelta(benchmark::State& state) {
  ORMap target = build_10k();
  ORMap peer = target;
  int i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const int r = i % 100;
    const std::string key = "service-" + std::to_string((r * 100 + i / 100 % 100) % 1000);
    auto rm = barrel::ormap::remove_key(&peer, key);
    auto re = barrel::ormap::add(&peer, 1000 + r, key, value_for(r, i));
    state.ResumeTiming();
    barrel::Status s = target.join(*rm);
    if (!s.is_ok()) {
      state.SkipWithError("join failed");
      break;
    }
    state.PauseTiming();
    barrel::Status s2 = target.join(*re);
    (void)s2.is_ok();
    ++i;
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MergeRemoveDelta)->Iterations(20'000);

Delta one_entry_delta() {
  ORMap m = build_10k();
  return std::move(barrel::ormap::add(&m, 1005, "service-42", value_for(5, 4242))).value();
}

Delta chunk_delta() {
  // What a fresh peer gets in one anti-entropy round.
  const ORMap m = build_10k();
  return barrel::ormap::delta_since(m, barrel::ormap::Digest{},
                                    barrel::limits::kOrMapDeltaEntriesMax);
}

void encode_loop(benchmark::State& state, const Delta& d) {
  std::vector<uint8_t> out;
  for (auto _ : state) {
    out.clear();
    barrel::Status s = barrel::ormap::encode_delta(d, &out);
    benchmark::DoNotOptimize(s.is_ok());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
  state.counters["entries"] = static_cast<double>(d.entry_count());
}

void decode_loop(benchmark::State& state, const Delta& d) {
  std::vector<uint8_t> bytes;
  if (!barrel::ormap::encode_delta(d, &bytes).is_ok())
    state.SkipWithError("encode failed");
  for (auto _ : state) {
    auto r = barrel::ormap::decode_delta(bytes, {});
    benchmark::DoNotOptimize(r.is_ok());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
  state.counters["entries"] = static_cast<double>(d.entry_count());
}

void BM_EncodeAddDelta(benchmark::State& state) {
  encode_loop(state, one_entry_delta());
}
void BM_DecodeAddDelta(benchmark::State& state) {
  decode_loop(state, one_entry_delta());
}
void BM_EncodeChunk256(benchmark::State& state) {
  encode_loop(state, chunk_delta());
}
void BM_DecodeChunk256(benchmark::State& state) {
  decode_loop(state, chunk_delta());
}
BENCHMARK(BM_EncodeAddDelta);
BENCHMARK(BM_DecodeAddDelta);
BENCHMARK(BM_EncodeChunk256);
BENCHMARK(BM_DecodeChunk256);

}  // namespace

BENCHMARK_MAIN();
