// send_buffer_test.cpp — the stream send buffer keeps bytes until they are
// acknowledged, hands them out in order, never moves bytes ngtcp2 may still
// read, and frees whole chunks on cumulative ACK.
#include "quic/send_buffer.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace barrel::transport::quic {
namespace {

std::vector<uint8_t> seq(size_t n, uint8_t start) {
  std::vector<uint8_t> v(n);
  std::iota(v.begin(), v.end(), start);
  return v;
}

std::vector<uint8_t> gather(const SendBuffer& b) {
  ngtcp2_vec v[64];
  const size_t n = b.unsent_vecs(v, 64);
  std::vector<uint8_t> out;
  for (size_t i = 0; i < n; ++i)
    out.insert(out.end(), v[i].base, v[i].base + v[i].len);
  return out;
}

TEST(SendBuffer, HandsOutBytesInOrderAndTracksOffsets) {
  SendBuffer b;
  b.append(seq(10, 0));
  b.append(seq(5, 10));
  EXPECT_EQ(b.unsent(), 15u);
  EXPECT_EQ(gather(b), seq(15, 0));
  b.mark_sent(12);
  EXPECT_EQ(gather(b), seq(3, 12));
  EXPECT_EQ(b.unacked(), 15u);
  b.ack_to(12);
  EXPECT_EQ(b.unacked(), 3u);
  EXPECT_FALSE(b.fin_pending());
  b.set_fin();
  EXPECT_TRUE(b.fin_pending());
  EXPECT_TRUE(b.has_pending());
}

TEST(SendBuffer, NeverGrowsAChunkNgtcp2HasSeen) {
  SendBuffer b;
  b.append(seq(100, 0));
  ngtcp2_vec v[4];
  ASSERT_EQ(b.unsent_vecs(v, 4), 1u);
  const uint8_t* first = v[0].base;
  b.mark_sent(50);  // ngtcp2 now points into the first chunk
  for (int i = 0; i < 100; ++i)
    b.append(seq(100, 0));  // must not reallocate the first chunk
  EXPECT_EQ(first[0], 0);
  EXPECT_EQ(first[99], 99);
  EXPECT_GE(b.chunk_count(), 2u);
  // Unsent small writes coalesce: far fewer chunks than writes.
  EXPECT_LE(b.chunk_count(), 3u);
}

TEST(SendBuffer, FreesWholeChunksOnCumulativeAck) {
  SendBuffer b;
  for (int i = 0; i < 4; ++i)
    b.append(seq(20000, static_cast<uint8_t>(i)));  // above the coalescing size: 4 chunks
  EXPECT_EQ(b.chunk_count(), 4u);
  b.mark_sent(80000);
  b.ack_to(19999);
  EXPECT_EQ(b.chunk_count(), 4u);  // the first chunk is not fully acked yet
  b.ack_to(40000);
  EXPECT_EQ(b.chunk_count(), 2u);
  b.ack_to(30000);  // an old cumulative ack changes nothing
  EXPECT_EQ(b.unacked(), 40000u);
  b.ack_to(80000);
  EXPECT_EQ(b.chunk_count(), 0u);
  EXPECT_EQ(b.unacked(), 0u);
  b.append(seq(3, 7));
  EXPECT_EQ(gather(b), seq(3, 7));
}

}  // namespace
}  // namespace barrel::transport::quic
