// The authentication matrix through the real transport: every refusal is
// logged with its reason, counted, and leaves the peer out of every view;
// the positive cases pin and accept.
#include <gtest/gtest.h>

#include <string>

#include "barrel/auth.h"
#include "transport/runtime/cluster.h"

namespace barrel::transport::testing {
namespace {

namespace asio = boost::asio;

const std::string kA = "alpha@127.0.0.1";
const std::string kB = "beta@127.0.0.1";

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

uint64_t rejections(const TestNode& n, const std::string& reason) {
  const auto& m = n.rt->stats().auth_rejections;
  auto it = m.find(reason);
  return it == m.end() ? 0 : it->second;
}

// b joins a; waits until a (or, for a check both sides make, either side)
// refused for `reason` (logged and counted), then checks neither is in the
// other's views.
void expect_refused(Cluster& c, TestNode& a, TestNode& b, const std::string& reason,
                    bool either_side = false) {
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  auto count = [&] { return rejections(a, reason) + (either_side ? rejections(b, reason) : 0); };
  ASSERT_TRUE(c.run_until([&] { return count() > 0; })) << "no refusal for " << reason;
  EXPECT_TRUE(a.logged("failed: " + reason) || (either_side && b.logged("failed: " + reason)))
      << "the refusal names its reason in the log";
  // The refused peer never reaches the core: give the join retry time to run.
  c.run_for(std::chrono::milliseconds(700));
  EXPECT_FALSE(has(a.rt->active_view(), b.name));
  EXPECT_FALSE(has(a.rt->passive_view(), b.name));
  EXPECT_FALSE(has(b.rt->active_view(), a.name));
  EXPECT_TRUE(a.rt->connected_peers().empty());
  EXPECT_TRUE(b.rt->connected_peers().empty());
}

TEST(AuthMatrix, TofuRefusesAKnownNameWithADifferentKey) {
  Cluster c;
  TestNode& a = c.start(kA);
  TestNode& b = c.start(kB);
  // a met "beta" before, with another key.
  Result<NodeIdentity> old = NodeIdentity::generate();
  ASSERT_TRUE(old.is_ok());
  ASSERT_TRUE(a.pins.pin(kB, old->public_key()).is_ok());
  expect_refused(c, a, b, "key_mismatch");
  // Never silently re-pinned.
  EXPECT_TRUE(*a.pins.find(kB).value() == old->public_key());
}

TEST(AuthMatrix, StrictRefusesAnUnpinnedNode) {
  Cluster c;
  TestNode& a = c.start(kA, {.trust = TrustMode::kStrict});
  TestNode& b = c.start(kB);
  expect_refused(c, a, b, "untrusted_key");
  EXPECT_EQ(a.pins.size(), 0u);
}

TEST(AuthMatrix, StrictAcceptsAPrePinnedKey) {
  Cluster c;
  TestNode& a = c.start(kA, {.trust = TrustMode::kStrict});
  TestNode& b = c.start(kB, {.trust = TrustMode::kStrict});
  ASSERT_TRUE(a.pins.pin(kB, b.identity->public_key()).is_ok());
  ASSERT_TRUE(b.pins.pin(kA, a.identity->public_key()).is_ok());
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until(
      [&] { return has(a.rt->active_view(), b.name) && has(b.rt->active_view(), a.name); }));
  EXPECT_EQ(a.rt->stats().auth_rejected, 0u);
}

TEST(AuthMatrix, AWrongCookieIsRefusedOnBothSides) {
  Cluster c;
  TestNode& a = c.start(kA);
  TestNode& b = c.start(kB, {.cookie = "another-cluster"});
  expect_refused(c, a, b, "bad_cookie", /*either_side=*/true);
  // Nothing pinned for a peer that failed the cookie.
  EXPECT_EQ(a.pins.size(), 0u);
}

TEST(AuthMatrix, AServerProvingAnotherNameThanDialedIsRefused) {
  Cluster c;
  TestNode& a = c.start(kA);
  TestNode& b = c.start(kB);
  // "gamma" resolves to a's address: a proves "alpha", b dialed "gamma".
  const std::string gamma = "gamma@127.0.0.1";
  c.resolver().set(gamma, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), a.port));
  ASSERT_TRUE(b.rt->join(gamma).is_ok());
  ASSERT_TRUE(c.run_until([&] { return rejections(b, "name_mismatch") > 0; }));
  EXPECT_TRUE(b.logged("failed: name_mismatch"));
  c.run_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(has(b.rt->active_view(), gamma));
  EXPECT_FALSE(has(b.rt->passive_view(), gamma));
  EXPECT_FALSE(has(b.rt->active_view(), kA));
  EXPECT_FALSE(has(a.rt->active_view(), kB));
}

TEST(AuthMatrix, TofuPinsOnFirstContactAndAcceptsTheSameKeyAfterARestart) {
  Cluster c;
  TestNode& a = c.start(kA);
  TestNode& b = c.start(kB);
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until([&] { return has(a.rt->active_view(), b.name); }));
  ASSERT_EQ(a.pins.size(), 1u);
  // b restarts with its identity (same key): accepted again, nothing re-pinned.
  c.restart(b);
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until([&] { return has(b.rt->active_view(), a.name); }));
  EXPECT_EQ(a.rt->stats().auth_rejected, 0u);
  EXPECT_EQ(a.pins.size(), 1u);
}

TEST(AuthMatrix, TheTofuPinIsOnDiskAndOutlivesARestartOfBothNodes) {
  TempDir dir;
  Cluster c;
  const NodeOptions ao{.idle_timeout = Duration::seconds(1), .data_dir = dir.sub("a")};
  const NodeOptions bo{.idle_timeout = Duration::seconds(1), .data_dir = dir.sub("b")};
  TestNode& a = c.start(kA, ao);
  TestNode& b = c.start(kB, bo);
  const PublicKey b_key = b.identity->public_key();
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until([&] { return has(a.rt->active_view(), b.name); }));
  EXPECT_TRUE(std::filesystem::exists(dir.sub("a") + "/keys/trusted/" + kB + ".pub"));
  // Both restart from their data dirs: same keys, pins read back from disk.
  c.restart(a, ao);
  c.restart(b, bo);
  EXPECT_TRUE(b.identity->public_key() == b_key);
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until([&] { return has(a.rt->active_view(), b.name); }));
  EXPECT_EQ(a.rt->stats().auth_rejected, 0u);
  // b loses its keys (a new identity under the same name): refused for good.
  c.crash(b);
  ASSERT_TRUE(c.run_until([&] { return a.rt->connected_peers().empty(); }));
  std::filesystem::remove_all(dir.sub("b"));
  c.restart(b, bo);
  ASSERT_FALSE(b.identity->public_key() == b_key);
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until([&] { return rejections(a, "key_mismatch") > 0; }));
  c.run_for(std::chrono::milliseconds(700));
  EXPECT_FALSE(has(a.rt->active_view(), b.name));
  EXPECT_FALSE(has(b.rt->active_view(), a.name));
  EXPECT_TRUE(a.rt->connected_peers().empty());
}

// A raw QUIC client: completes the TLS handshake with a node, then plays the
// auth stream itself (to send what an honest node never would).
class RawClient final : public EndpointHandler {
 public:
  using OnConnected = std::function<void(RawClient&, ConnHandle, const Exporter&)>;
  RawClient(asio::io_context& io, OnConnected on) : on_(std::move(on)) {
    auto tls = generate_self_signed({.common_name = "raw@127.0.0.1", .days = 1});
    EXPECT_TRUE(tls.is_ok());
    QuicConfig q;
    q.cert_pem = tls->cert_pem;
    q.key_pem = tls->key_pem;
    q.initial_rtt = Duration::millis(10);
    auto ep = Endpoint::create(io, q, *this);
    EXPECT_TRUE(ep.is_ok()) << ep.status().to_string();
    ep_ = std::move(ep).value();
  }
  void connect(uint16_t port) {
    auto h = ep_->connect(asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    ASSERT_TRUE(h.is_ok());
  }
  void on_connected(ConnHandle conn, bool, const Exporter& exporter,
                    const asio::ip::udp::endpoint&) override {
    on_(*this, conn, exporter);
  }
  void on_stream_data(ConnHandle, StreamId, std::span<const uint8_t> data, bool) override {
    received.insert(received.end(), data.begin(), data.end());
  }
  void on_stream_reset(ConnHandle, StreamId, uint64_t) override {}
  void on_closed(ConnHandle, CloseReason r, std::string_view detail) override {
    closed = true;
    close_reason = r;
    close_detail = std::string(detail);
  }
  Endpoint& endpoint() { return *ep_; }

  std::vector<uint8_t> received;
  bool closed = false;
  CloseReason close_reason{};
  std::string close_detail;

 private:
  OnConnected on_;
  std::unique_ptr<Endpoint> ep_;
};

// Sends `bytes` on a fresh stream as soon as the handshake is done.
RawClient::OnConnected send_raw(std::vector<uint8_t> bytes, bool fin) {
  return [bytes, fin](RawClient& rc, ConnHandle h, const Exporter&) {
    auto s = rc.endpoint().open_stream(h);
    ASSERT_TRUE(s.is_ok());
    ASSERT_TRUE(rc.endpoint().send(h, *s, bytes, fin).is_ok());
  };
}

void expect_raw_refused(const std::vector<uint8_t>& bytes, bool fin, const std::string& reason) {
  Cluster c;
  TestNode& a = c.start(kA);
  TestNode& b = c.start(kB);
  RawClient raw(c.io(), send_raw(bytes, fin));
  raw.connect(a.port);
  ASSERT_TRUE(c.run_until([&] { return rejections(a, reason) > 0 && raw.closed; }))
      << "reason " << reason << ": rejected " << a.rt->stats().auth_rejected;
  EXPECT_TRUE(a.logged("failed: " + reason));
  EXPECT_TRUE(c.absent_from_views("raw@127.0.0.1"));
  // a keeps serving its peers.
  ASSERT_TRUE(b.rt->join(a.name).is_ok());
  ASSERT_TRUE(c.run_until([&] { return has(a.rt->active_view(), b.name); }));
}

TEST(AuthMatrix, AnAuthFrameOfAnUnknownVersionIsRefused) {
  expect_raw_refused({9, 1, 0, 4, 1, 2, 3, 4}, false, "unsupported_version");
}

TEST(AuthMatrix, AnOversizedAuthFrameIsRefused) {
  // HELLO announcing a 65,000-byte body: above the bound, refused at the header.
  expect_raw_refused({1, 1, 0xfd, 0xe8}, false, "malformed");
}

TEST(AuthMatrix, ATruncatedAuthFrameIsRefused) {
  // A HELLO header announcing 100 bytes, 3 of them, then the stream ends.
  expect_raw_refused({1, 1, 0, 100, 'C', 5, 'r'}, true, "stream_ended");
}

TEST(AuthMatrix, ATruncatedAuthFrameThatStallsTimesOut) {
  // The same, but the stream stays open: the auth deadline refuses it.
  Cluster c;
  TestNode& a = c.start(kA);
  RawClient raw(c.io(), send_raw({1, 1, 0, 100, 'C', 5, 'r'}, false));
  raw.connect(a.port);
  ASSERT_TRUE(c.run_until([&] { return rejections(a, "timeout") > 0; }, std::chrono::seconds(10)));
  EXPECT_TRUE(a.logged("failed: timeout"));
}

TEST(AuthMatrix, AProofSignedOverAnotherSessionsExporterIsRefused) {
  // A real node identity and a correct protocol, but the PROOF binds another
  // TLS session (what a replayed or relayed proof carries).
  Cluster c;
  TestNode& a = c.start(kA);
  Result<NodeIdentity> id = NodeIdentity::generate();
  ASSERT_TRUE(id.is_ok());
  MemoryPinStore pins;
  std::optional<AuthSession> session;
  StreamId stream = -1;
  ConnHandle conn = 0;
  AuthConfig cfg;
  cfg.cookie = "test-cookie";
  RawClient raw(c.io(), [&](RawClient& rc, ConnHandle h, const Exporter& real) {
    Exporter other = real;
    other[0] ^= 0xff;  // another session's exporter
    AuthNonce nonce{};
    nonce[1] = 7;
    auto s =
        AuthSession::client(cfg, *id, pins, "mallory@127.0.0.1", kA, nonce, other, Instant::zero());
    ASSERT_TRUE(s.is_ok());
    session.emplace(std::move(s).value());
    auto st = rc.endpoint().open_stream(h);
    ASSERT_TRUE(st.is_ok());
    stream = *st;
    conn = h;
    std::vector<uint8_t> out;
    session->take_output(&out);
    ASSERT_TRUE(rc.endpoint().send(h, stream, out, false).is_ok());
  });
  raw.connect(a.port);
  // Pump the client's session with what the node says.
  size_t fed = 0;
  ASSERT_TRUE(c.run_until([&] {
    if (session && raw.received.size() > fed && !raw.closed) {
      std::span<const uint8_t> in(raw.received.data() + fed, raw.received.size() - fed);
      fed += in.size();
      session->on_bytes(Instant::zero(), in);
      std::vector<uint8_t> out;
      session->take_output(&out);
      if (!out.empty())
        raw.endpoint().send(conn, stream, out, false).ignore();
    }
    return rejections(a, "binding_mismatch") > 0;
  }));
  EXPECT_TRUE(a.logged("failed: binding_mismatch"));
  EXPECT_TRUE(c.absent_from_views("mallory@127.0.0.1"));
  EXPECT_EQ(a.pins.size(), 0u);
}

}  // namespace
}  // namespace barrel::transport::testing
