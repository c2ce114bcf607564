// endpoint_lifecycle_test.cpp — how QUIC connections end and change: idle
// timeout after the peer vanishes (keep-alive holds an idle but live one),
// close() with draining on the peer, close() from inside a callback, the
// handshake timeout towards a silent port, Retry address validation, PMTU
// discovery above 1200 bytes on loopback, and migration of a client to a new
// socket mid-transfer.
#include <gtest/gtest.h>

#include "quic_harness.h"

namespace barrel::transport::testing {
namespace {

using Clock = std::chrono::steady_clock;

struct Pair {
  boost::asio::io_context io;
  Recorder srv_rec, cli_rec;
  std::unique_ptr<Endpoint> server, client;
  ConnHandle h = 0;   // client side
  ConnHandle sh = 0;  // server side

  void start(const QuicConfig& srv_cfg, const QuicConfig& cli_cfg) {
    server = make_endpoint(io, srv_cfg, srv_rec);
    client = make_endpoint(io, cli_cfg, cli_rec);
    ASSERT_TRUE(server && client);
    Result<ConnHandle> r = client->connect(loopback(server->local_port()));
    ASSERT_TRUE(r.is_ok());
    h = *r;
    ASSERT_TRUE(run_until(io, [&] { return cli_rec.is_connected(h) && srv_rec.last_inbound(); }));
    sh = srv_rec.last_inbound();
  }
  void start() { start(test_config(), test_config()); }
};

TEST(QuicLifecycle, IdleTimeoutWhenThePeerVanishes) {
  QuicConfig cli = test_config();
  cli.idle_timeout = Duration::millis(300);
  cli.keep_alive = Duration::millis(100);
  // The server does not ping: its own PING would restart its idle timer
  // (RFC 9000 §10.1), making the bound idle_timeout + keep_alive.
  QuicConfig srv = cli;
  srv.keep_alive = Duration::zero();
  Pair p;
  p.start(srv, cli);
  // The client's keep-alive holds an idle connection well past idle_timeout.
  run_until(
      p.io, [] { return false; }, std::chrono::milliseconds(900));
  ASSERT_FALSE(p.srv_rec.is_closed(p.sh));
  ASSERT_FALSE(p.cli_rec.is_closed(p.h));
  // The client disappears without CONNECTION_CLOSE.
  p.client.reset();
  const auto t0 = Clock::now();
  ASSERT_TRUE(run_until(
      p.io, [&] { return p.srv_rec.is_closed(p.sh); }, std::chrono::seconds(3)));
  const auto elapsed = Clock::now() - t0;
  EXPECT_EQ(p.srv_rec.closed[p.sh].reason, CloseReason::kIdleTimeout);
  EXPECT_LE(elapsed, std::chrono::milliseconds(300 + 100)) << "idle close took too long";
  EXPECT_EQ(p.server->connection_count(), 0u);  // no draining after an idle close
}

TEST(QuicLifecycle, CloseIsSeenByThePeerWhichDrains) {
  Pair p;
  p.start();
  p.client->close(p.h, 42, "bye");
  // Nothing more can be sent on it, at once.
  EXPECT_EQ(p.client->open_stream(p.h).status().code(), Code::kFailedPrecondition);
  ASSERT_TRUE(
      run_until(p.io, [&] { return p.srv_rec.is_closed(p.sh) && p.cli_rec.is_closed(p.h); }));
  EXPECT_EQ(p.cli_rec.closed[p.h].reason, CloseReason::kLocalClose);
  EXPECT_EQ(p.srv_rec.closed[p.sh].reason, CloseReason::kPeerClose);
  EXPECT_EQ(p.srv_rec.closed[p.sh].detail, "application error 42: bye");
  // Draining: the server keeps the connection a little (3 PTO), then drops it.
  EXPECT_EQ(p.server->connection_count(), 1u);
  EXPECT_EQ(p.server->path_info(p.sh).status().code(), Code::kNotFound);
  EXPECT_TRUE(run_until(p.io, [&] {
    return p.server->connection_count() == 0 && p.client->connection_count() == 0;
  }));
  EXPECT_EQ(p.srv_rec.closed_callbacks, 1u);
  EXPECT_EQ(p.cli_rec.closed_callbacks, 1u);
}

TEST(QuicLifecycle, CloseFromInsideADataCallback) {
  Pair p;
  p.start();
  Endpoint* server = p.server.get();
  int calls = 0;
  p.srv_rec.on_data_hook = [&](ConnHandle c, StreamId s) {
    ++calls;
    // Send and close re-entrantly; the endpoint must cope.
    EXPECT_TRUE(server->send(c, s, bytes("last words"), true).is_ok());
    server->close(c, 7, "enough");
    EXPECT_EQ(server->send(c, s, bytes("x"), false).code(), Code::kNotFound);
  };
  Result<StreamId> s = p.client->open_stream(p.h);
  ASSERT_TRUE(s.is_ok());
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(p.client->send(p.h, *s, pattern(4000, i), false).is_ok());
  ASSERT_TRUE(
      run_until(p.io, [&] { return p.cli_rec.is_closed(p.h) && p.srv_rec.is_closed(p.sh); }));
  EXPECT_EQ(calls, 1);  // no data callback after the close
  EXPECT_EQ(p.srv_rec.closed[p.sh].reason, CloseReason::kLocalClose);
  EXPECT_EQ(p.cli_rec.closed[p.h].reason, CloseReason::kPeerClose);
}

TEST(QuicLifecycle, HandshakeTimeoutTowardsASilentPort) {
  boost::asio::io_context io;
  // A bound socket that never answers (and never produces ICMP errors).
  boost::asio::ip::udp::socket silent(io, loopback(0));
  Recorder rec;
  QuicConfig cfg = test_config();
  cfg.handshake_timeout = Duration::millis(300);
  auto client = make_endpoint(io, cfg, rec);
  ASSERT_TRUE(client);
  Result<ConnHandle> h = client->connect(loopback(silent.local_endpoint().port()));
  ASSERT_TRUE(h.is_ok());
  const auto t0 = Clock::now();
  ASSERT_TRUE(run_until(
      io, [&] { return rec.is_closed(*h); }, std::chrono::seconds(3)));
  EXPECT_EQ(rec.closed[*h].reason, CloseReason::kHandshakeTimeout);
  EXPECT_LE(Clock::now() - t0, std::chrono::milliseconds(300 + 100));
  EXPECT_GE(Clock::now() - t0, std::chrono::milliseconds(250));
  EXPECT_FALSE(rec.is_connected(*h));
  EXPECT_EQ(client->connection_count(), 0u);
}

TEST(QuicLifecycle, RetryValidatesTheAddressFirst) {
  QuicConfig srv = test_config();
  srv.require_retry = true;
  Pair p;
  p.srv_rec.echo = true;
  p.start(srv, test_config());
  EXPECT_EQ(p.server->stats().retries_sent, 1u);
  EXPECT_EQ(p.cli_rec.connected[p.h].exporter, p.srv_rec.connected[p.sh].exporter);
  Result<StreamId> s = p.client->open_stream(p.h);
  ASSERT_TRUE(s.is_ok());
  ASSERT_TRUE(p.client->send(p.h, *s, bytes("after retry"), true).is_ok());
  ASSERT_TRUE(run_until(p.io, [&] {
    const auto* r = p.cli_rec.stream(p.h, *s);
    return r != nullptr && r->fin;
  }));
  EXPECT_EQ(p.cli_rec.stream(p.h, *s)->data, bytes("after retry"));
  EXPECT_EQ(p.server->connection_count(), 1u);
}

TEST(QuicLifecycle, PathMtuDiscoveryRaisesThePayloadOnLoopback) {
  Pair p;
  p.srv_rec.echo = true;
  p.start();
  Result<PathInfo> before = p.client->path_info(p.h);
  ASSERT_TRUE(before.is_ok());
  Result<StreamId> s = p.client->open_stream(p.h);
  ASSERT_TRUE(s.is_ok());
  ASSERT_TRUE(p.client->send(p.h, *s, pattern(1 << 20, 3), true).is_ok());
  ASSERT_TRUE(run_until(p.io, [&] {
    Result<PathInfo> c = p.client->path_info(p.h);
    Result<PathInfo> sv = p.server->path_info(p.sh);
    return c.is_ok() && sv.is_ok() && c->max_udp_payload > 1200 && sv->max_udp_payload > 1200;
  }));
  EXPECT_LE(p.client->path_info(p.h)->max_udp_payload, 1452u);
}

TEST(QuicLifecycle, ClientMigratesToANewSocketMidTransfer) {
  Pair p;
  p.start();
  const uint16_t old_port = p.client->path_info(p.h)->local.port();
  EXPECT_EQ(p.server->path_info(p.sh)->remote.port(), old_port);
  Result<StreamId> s = p.client->open_stream(p.h);
  ASSERT_TRUE(s.is_ok());
  constexpr size_t kTotal = 16u << 20;
  const std::vector<uint8_t> data = pattern(kTotal, 11);
  size_t queued = 0;
  auto pump = [&] {
    while (queued < kTotal) {
      const size_t n = std::min<size_t>(1 << 20, kTotal - queued);
      if (!p.client->send(p.h, *s, std::span(data).subspan(queued, n), queued + n == kTotal)
               .is_ok())
        return;
      queued += n;
    }
  };
  auto received = [&]() -> size_t {
    const auto* r = p.srv_rec.stream(p.sh, *s);
    return r == nullptr ? 0 : r->data.size();
  };
  ASSERT_TRUE(run_until(p.io, [&] {
    pump();
    return received() >= kTotal / 4;
  }));
  ASSERT_LT(received(), kTotal) << "transfer finished before the rebind";
  ASSERT_TRUE(p.client->rebind_outbound().is_ok());
  const uint16_t new_port = p.client->path_info(p.h)->local.port();
  EXPECT_NE(new_port, old_port);
  ASSERT_TRUE(run_until(
      p.io,
      [&] {
        pump();
        const auto* r = p.srv_rec.stream(p.sh, *s);
        return r != nullptr && r->fin;
      },
      std::chrono::seconds(30)));
  EXPECT_TRUE(p.srv_rec.stream(p.sh, *s)->data == data);
  EXPECT_TRUE(run_until(p.io, [&] {
    Result<PathInfo> sv = p.server->path_info(p.sh);
    return sv.is_ok() && sv->remote.port() == new_port;
  }));
  EXPECT_FALSE(p.cli_rec.is_closed(p.h));
  EXPECT_FALSE(p.srv_rec.is_closed(p.sh));
  // And the connection keeps working on the new path: a second stream echoes.
  p.srv_rec.echo = true;
  Result<StreamId> s2 = p.client->open_stream(p.h);
  ASSERT_TRUE(s2.is_ok());
  ASSERT_TRUE(p.client->send(p.h, *s2, bytes("after migration"), true).is_ok());
  ASSERT_TRUE(run_until(p.io, [&] {
    const auto* r = p.cli_rec.stream(p.h, *s2);
    return r != nullptr && r->fin;
  }));
  EXPECT_EQ(p.cli_rec.stream(p.h, *s2)->data, bytes("after migration"));
}

TEST(QuicLifecycle, ShutdownClosesEverything) {
  Pair p;
  p.start();
  p.server->shutdown();
  ASSERT_TRUE(
      run_until(p.io, [&] { return p.srv_rec.is_closed(p.sh) && p.cli_rec.is_closed(p.h); }));
  EXPECT_EQ(p.srv_rec.closed[p.sh].reason, CloseReason::kEndpointClosed);
  EXPECT_EQ(p.cli_rec.closed[p.h].reason, CloseReason::kPeerClose);
  EXPECT_EQ(p.server->connect(loopback(p.client->local_port())).status().code(),
            Code::kFailedPrecondition);
  EXPECT_TRUE(run_until(p.io, [&] { return p.server->connection_count() == 0; }));
}

}  // namespace
}  // namespace barrel::transport::testing
