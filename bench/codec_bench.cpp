// codec_bench — encode and decode throughput of the wire codec, per message.
//
// Method: one representative message per benchmark, names of realistic size
// ("node-NNN@10.0.X.Y", about 18 bytes), encoded into a reused buffer (so
// the figure is the codec, not the allocator) and decoded into a table that
// already knows the names (the steady state of a running node). Reports
// items/s (messages) and bytes/s (frame bytes). Run:
//   build/bench/codec_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "barrel/codec.h"
#include "barrel/ids.h"
#include "barrel/message.h"

namespace {

using barrel::Message;
using barrel::NameTable;
using barrel::NodeId;

NodeId intern(NameTable& names, int i) {
  const std::string name = "node-" + std::to_string(100 + i) + "@10.0." + std::to_string(i % 7) +
                           "." + std::to_string(10 + i);
  return *names.intern(name);
}

Message shuffle8(NameTable& names) {
  barrel::Shuffle s{intern(names, 0), 6, {}};
  for (int i = 1; i <= 8; ++i)
    s.nodes.push_back(intern(names, i));
  return s;
}

Message forward_join(NameTable& names) {
  return barrel::ForwardJoin{intern(names, 42), 6};
}

void encode_loop(benchmark::State& state, const Message& msg, const NameTable& names) {
  std::vector<uint8_t> out;
  for (auto _ : state) {
    out.clear();
    barrel::Status s = barrel::wire::encode(msg, names, &out);
    if (!s.is_ok())
      state.SkipWithError("encode failed");
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size()));
}

void decode_loop(benchmark::State& state, const Message& msg, NameTable& names) {
  std::vector<uint8_t> frame;
  if (!barrel::wire::encode(msg, names, &frame).is_ok())
    state.SkipWithError("encode failed");
  for (auto _ : state) {
    barrel::Result<barrel::wire::Decoded> d = barrel::wire::decode(frame, names);
    if (!d.is_ok())
      state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(frame.size()));
}

void BM_EncodeShuffle8(benchmark::State& state) {
  NameTable names(64);
  const Message msg = shuffle8(names);
  encode_loop(state, msg, names);
}
BENCHMARK(BM_EncodeShuffle8);

void BM_DecodeShuffle8(benchmark::State& state) {
  NameTable names(64);
  const Message msg = shuffle8(names);
  decode_loop(state, msg, names);
}
BENCHMARK(BM_DecodeShuffle8);

void BM_EncodeForwardJoin(benchmark::State& state) {
  NameTable names(64);
  const Message msg = forward_join(names);
  encode_loop(state, msg, names);
}
BENCHMARK(BM_EncodeForwardJoin);

void BM_DecodeForwardJoin(benchmark::State& state) {
  NameTable names(64);
  const Message msg = forward_join(names);
  decode_loop(state, msg, names);
}
BENCHMARK(BM_DecodeForwardJoin);

// The size alone, as the simulator computes it for its bandwidth metrics
// when it passes messages in memory.
void BM_EncodedSizeShuffle8(benchmark::State& state) {
  NameTable names(64);
  const Message msg = shuffle8(names);
  for (auto _ : state)
    benchmark::DoNotOptimize(barrel::wire::encoded_size(msg, names));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodedSizeShuffle8);

}  // namespace

BENCHMARK_MAIN();
