// endpoint_robustness_test.cpp — what a hostile or foreign peer cannot do to
// the endpoint: garbage datagrams (random bytes, truncated headers, an
// Initial-looking packet full of junk) are dropped and an existing connection
// keeps echoing; a real third-party QUIC client (Debian's gtlsclient, ALPN h3)
// is refused with a TLS alert while the endpoint keeps serving; and two of our
// endpoints with different ALPNs fail the handshake on both sides.
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/udp.hpp>

#include "quic_harness.h"

extern char** environ;

namespace barrel::transport::testing {
namespace {

// An established client->server pair whose server echoes.
struct Pair {
  boost::asio::io_context io;
  Recorder srv_rec, cli_rec;
  std::unique_ptr<Endpoint> server, client;
  ConnHandle h = 0;

  void start() {
    srv_rec.echo = true;
    server = make_endpoint(io, test_config(), srv_rec);
    client = make_endpoint(io, test_config(), cli_rec);
    ASSERT_TRUE(server && client);
    Result<ConnHandle> r = client->connect(loopback(server->local_port()));
    ASSERT_TRUE(r.is_ok());
    h = *r;
    ASSERT_TRUE(run_until(io, [&] { return cli_rec.is_connected(h); }));
  }
  // One echo round trip on a fresh stream.
  void expect_echo(std::string_view text) {
    Result<StreamId> s = client->open_stream(h);
    ASSERT_TRUE(s.is_ok()) << s.status().to_string();
    ASSERT_TRUE(client->send(h, *s, bytes(text), true).is_ok());
    ASSERT_TRUE(run_until(io, [&] {
      const auto* r = cli_rec.stream(h, *s);
      return r != nullptr && r->fin;
    }));
    EXPECT_EQ(cli_rec.stream(h, *s)->data, bytes(text));
  }
};

std::vector<uint8_t> random_bytes(size_t n) {
  std::vector<uint8_t> v(n);
  randombytes_buf(v.data(), v.size());
  return v;
}

// A long-header QUIC v1 Initial with plausible header fields and a random,
// undecryptable payload, padded to the 1200 bytes ngtcp2_accept requires.
std::vector<uint8_t> junk_initial() {
  std::vector<uint8_t> p = {0xc3, 0x00, 0x00, 0x00, 0x01};
  p.push_back(8);  // DCID
  auto dcid = random_bytes(8);
  p.insert(p.end(), dcid.begin(), dcid.end());
  p.push_back(8);  // SCID
  auto scid = random_bytes(8);
  p.insert(p.end(), scid.begin(), scid.end());
  p.push_back(0);  // no token
  const size_t rest = 1200 - p.size() - 2;
  p.push_back(static_cast<uint8_t>(0x40 | (rest >> 8)));  // 2-byte varint length
  p.push_back(static_cast<uint8_t>(rest & 0xff));
  auto body = random_bytes(rest);
  p.insert(p.end(), body.begin(), body.end());
  return p;
}

TEST(QuicRobustness, GarbageDatagramsAreIgnored) {
  ASSERT_EQ(sodium_init() >= 0, true);
  Pair p;
  p.start();
  p.expect_echo("before the garbage");

  boost::asio::ip::udp::socket junk(p.io);
  junk.open(boost::asio::ip::udp::v4());
  const auto to = loopback(p.server->local_port());
  std::vector<std::vector<uint8_t>> packets;
  for (size_t n : {1u, 7u, 40u, 300u, 1200u, 1400u})
    packets.push_back(random_bytes(n));
  packets.push_back({0xc0});                                    // a long header cut after one byte
  packets.push_back({0xc0, 0x00, 0x00, 0x00, 0x01});            // ... after the version
  packets.push_back({0xc0, 0x00, 0x00, 0x00, 0x01, 20, 1, 2});  // DCID longer than the packet
  packets.push_back({0x40, 1, 2, 3});                           // a short header, too short
  for (int i = 0; i < 5; ++i)
    packets.push_back(junk_initial());
  auto bad_version = junk_initial();
  bad_version[4] = 0x7f;  // an unknown version
  packets.push_back(bad_version);
  const uint64_t before = p.server->stats().datagrams_received;
  for (const auto& pkt : packets)
    junk.send_to(boost::asio::buffer(pkt), to);
  ASSERT_TRUE(run_until(
      p.io, [&] { return p.server->stats().datagrams_received >= before + packets.size(); }));
  // Nothing of it became a connection, and the real one still works.
  EXPECT_TRUE(run_until(p.io, [&] { return p.server->connection_count() == 1; }));
  EXPECT_GE(p.server->stats().datagrams_dropped, packets.size());
  EXPECT_EQ(p.server->stats().connections_accepted, 1u);
  EXPECT_EQ(p.srv_rec.closed_callbacks, 0u);
  EXPECT_FALSE(p.cli_rec.is_closed(p.h));
  p.expect_echo("after the garbage");
}

std::string find_gtlsclient() {
  for (const char* path : {"/usr/bin/gtlsclient", "/usr/local/bin/gtlsclient"})
    if (::access(path, X_OK) == 0)
      return path;
  return "";
}

TEST(QuicRobustness, ForeignH3ClientIsRefusedCleanly) {
  const std::string bin = find_gtlsclient();
  if (bin.empty())
    GTEST_SKIP() << "gtlsclient (package ngtcp2-client) not installed";
  Pair p;
  p.start();

  const std::string port = std::to_string(p.server->local_port());
  std::vector<std::string> args = {bin,         "-q", "--timeout=3s",
                                   "127.0.0.1", port, "https://127.0.0.1/"};
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  ASSERT_EQ(posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);

  int status = 0;
  bool exited = false;
  run_until(
      p.io,
      [&] {
        if (!exited && ::waitpid(pid, &status, WNOHANG) == pid)
          exited = true;
        return exited;
      },
      std::chrono::seconds(15));
  if (!exited) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  EXPECT_TRUE(exited) << "gtlsclient did not give up after the refusal";
  // TLS refused it (no common ALPN), and said so with an alert.
  EXPECT_GE(p.server->stats().connections_refused, 1u);
  bool saw_refusal = false;
  for (const auto& [c, info] : p.srv_rec.closed)
    if (info.reason == CloseReason::kHandshakeFailed && !p.srv_rec.is_connected(c)) {
      saw_refusal = true;
      EXPECT_EQ(info.detail, "TLS alert 120");  // no_application_protocol
    }
  EXPECT_TRUE(saw_refusal);
  // The refused attempt is gone once its closing period ends; our peer stays.
  EXPECT_TRUE(run_until(p.io, [&] { return p.server->connection_count() == 1; }));
  EXPECT_FALSE(p.cli_rec.is_closed(p.h));
  p.expect_echo("still serving");
}

TEST(QuicRobustness, AlpnMismatchFailsBothSides) {
  boost::asio::io_context io;
  Recorder srv_rec, cli_rec;
  auto server = make_endpoint(io, test_config(), srv_rec);
  QuicConfig other = test_config();
  other.alpn = "something-else/1";
  auto client = make_endpoint(io, other, cli_rec);
  ASSERT_TRUE(server && client);
  Result<ConnHandle> h = client->connect(loopback(server->local_port()));
  ASSERT_TRUE(h.is_ok());
  ASSERT_TRUE(
      run_until(io, [&] { return cli_rec.is_closed(*h) && srv_rec.closed_callbacks == 1; }));
  EXPECT_EQ(cli_rec.closed[*h].reason, CloseReason::kHandshakeFailed) << cli_rec.closed[*h].detail;
  // The client saw CRYPTO_ERROR 0x178 (0x100 + alert 120, no_application_protocol).
  EXPECT_NE(cli_rec.closed[*h].detail.find("transport error 376"), std::string::npos);
  EXPECT_EQ(srv_rec.closed.begin()->second.reason, CloseReason::kHandshakeFailed);
  EXPECT_EQ(srv_rec.closed.begin()->second.detail, "TLS alert 120");
  EXPECT_TRUE(cli_rec.connected.empty());
  EXPECT_TRUE(srv_rec.connected.empty());
  // Both forget the connection after their closing/draining period.
  EXPECT_TRUE(run_until(
      io, [&] { return client->connection_count() == 0 && server->connection_count() == 0; }));
}

}  // namespace
}  // namespace barrel::transport::testing
