// Application messages: a service reference (node, endpoint) is enough to
// send; a connection opens on demand, authenticates, carries the messages in
// order, and is reaped once idle.
#include <gtest/gtest.h>

#include <string>

#include "runtime/app_stream.h"
#include "transport/runtime/cluster.h"

namespace barrel::transport::testing {
namespace {

std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
std::string text_of(const std::vector<uint8_t>& b) {
  return std::string(b.begin(), b.end());
}

TEST(AppMessage, ReachesANodeOutsideTheViewsInOrderOverAnOnDemandConnection) {
  Cluster c;
  TestNode& a = c.start("a@127.0.0.1");
  TestNode& b = c.start("b@127.0.0.1");
  std::vector<AppMessage> got;
  b.rt->on_app_message([&](const AppMessage& m) { got.push_back(m); });
  constexpr int kCount = 200;
  for (int i = 0; i < kCount; ++i)
    ASSERT_TRUE(a.rt->send_app(b.name, 42, 7, bytes_of("m" + std::to_string(i))).is_ok());
  ASSERT_TRUE(c.run_until([&] { return got.size() == kCount; }));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(text_of(got[i].bytes), "m" + std::to_string(i));
    EXPECT_EQ(got[i].from_node, a.name);
    EXPECT_EQ(got[i].to_endpoint, 42u);
    EXPECT_EQ(got[i].from_endpoint, 7u);
  }
  // Authenticated like any connection, yet neither joined the other's views.
  EXPECT_EQ(b.rt->connected_peers(), std::vector<std::string>{a.name});
  EXPECT_TRUE(b.rt->active_view().empty());
  // Idle: reaped after transient_idle (2 s in tests) on one side or both.
  ASSERT_TRUE(
      c.run_until([&] { return a.rt->connection_count() == 0 && b.rt->connection_count() == 0; },
                  std::chrono::seconds(10)));
  EXPECT_GE(a.rt->stats().transient_reaped + b.rt->stats().transient_reaped, 1u);
  // And a later message opens a new one.
  ASSERT_TRUE(a.rt->send_app(b.name, 42, 7, bytes_of("again")).is_ok());
  ASSERT_TRUE(c.run_until([&] { return got.size() == kCount + 1; }));
  EXPECT_EQ(text_of(got.back().bytes), "again");
}

TEST(AppMessage, ToItselfIsDeliveredLocallyAndNeverReentrantly) {
  Cluster c;
  TestNode& a = c.start("a@127.0.0.1");
  std::vector<std::string> got;
  a.rt->on_app_message([&](const AppMessage& m) { got.push_back(text_of(m.bytes)); });
  ASSERT_TRUE(a.rt->send_app(a.name, 1, 2, bytes_of("self")).is_ok());
  EXPECT_TRUE(got.empty());  // posted, not called from inside send_app
  ASSERT_TRUE(c.run_until([&] { return got.size() == 1; }));
  EXPECT_EQ(got[0], "self");
}

TEST(AppMessage, RefusesOversizedMessagesAndBadNames) {
  Cluster c;
  TestNode& a = c.start("a@127.0.0.1");
  std::vector<uint8_t> big((1 << 20) + 1);
  EXPECT_EQ(a.rt->send_app("b@127.0.0.1", 1, 1, big).code(), Code::kInvalidArgument);
  EXPECT_EQ(a.rt->send_app("no at sign", 1, 1, bytes_of("x")).code(), Code::kBadName);
}

TEST(AppMessage, ToAnUnknownNodeFailsWithoutHarm) {
  Cluster c;
  TestNode& a = c.start("a@127.0.0.1");
  ASSERT_TRUE(a.rt->send_app("ghost@127.0.0.1", 1, 1, bytes_of("x")).is_ok());  // queued
  ASSERT_TRUE(c.run_until([&] { return a.rt->stats().dial_failures > 0; }));
  EXPECT_EQ(a.rt->connection_count(), 0u);
}

TEST(AppStream, ReaderChecksTheMagicSplitsFramesAndBoundsSizes) {
  AppReader r;
  std::vector<uint8_t> stream(kAppStreamMagic.begin(), kAppStreamMagic.end());
  auto f1 = encode_app_frame(1, 2, bytes_of("hello"));
  auto f2 = encode_app_frame(3, 4, bytes_of(""));
  stream.insert(stream.end(), f1.begin(), f1.end());
  stream.insert(stream.end(), f2.begin(), f2.end());
  // Byte by byte: frames come out whole, exactly when complete.
  std::vector<AppFrame> out;
  for (uint8_t b : stream) {
    r.push(std::span(&b, 1));
    for (int guard = 0; guard < 4; ++guard) {
      auto f = r.next(100);
      ASSERT_TRUE(f.is_ok());
      if (!f->has_value())
        break;
      out.push_back(std::move(**f));
    }
  }
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(text_of(out[0].bytes), "hello");
  EXPECT_EQ(out[0].to, 1u);
  EXPECT_EQ(out[0].from, 2u);
  EXPECT_EQ(out[1].to, 3u);
  EXPECT_TRUE(out[1].bytes.empty());

  AppReader bad;
  const uint8_t junk[] = {'X'};
  bad.push(junk);
  EXPECT_EQ(bad.next(100).status().code(), Code::kBadVersion);

  AppReader big;
  big.push(kAppStreamMagic);
  big.push(encode_app_frame(1, 1, std::vector<uint8_t>(101)));
  EXPECT_EQ(big.next(100).status().code(), Code::kOversized);
}

}  // namespace
}  // namespace barrel::transport::testing
