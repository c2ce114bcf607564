// transport_bench — the QUIC transport on loopback, each end on its own
// thread (one io_context per node, as deployed):
//   BM_QuicBulk/<MB>        one stream, N MB client -> server, until the
//                           server's byte count comes back (MB/s);
//   BM_QuicRoundTrip        64-byte echo on one open stream, p50/p99;
//   BM_TcpRoundTrip         the same over plain TCP (TCP_NODELAY): baseline;
//   BM_ConnectAuthenticate  QUIC handshake + the Ed25519 auth exchange of
//                           core/auth.h over the first stream, p50/p99.
// bench/transport.sh runs these beside Debian's gtlsserver/gtlsclient.
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstring>
#include <future>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "barrel/auth.h"
#include "barrel/transport/identity.h"
#include "barrel/transport/quic_endpoint.h"
#include "barrel/transport/tls_material.h"

namespace {

namespace asio = boost::asio;
using barrel::Duration;
using barrel::Instant;
using namespace barrel::transport;
using Clock = std::chrono::steady_clock;

constexpr char kCookie[] = "bench-cookie";

QuicConfig quic_config(const std::string& cn) {
  auto tls = generate_self_signed({.common_name = cn, .days = 1});
  if (!tls.is_ok())
    std::abort();
  QuicConfig q;
  q.cert_pem = tls->cert_pem;
  q.key_pem = tls->key_pem;
  q.initial_rtt = Duration::millis(10);
  q.idle_timeout = Duration::seconds(30);
  return q;
}

class MemoryPins final : public barrel::PinStore {
 public:
  barrel::Result<std::optional<barrel::PublicKey>> find(std::string_view) const override {
    return std::optional<barrel::PublicKey>();
  }
  barrel::Status pin(std::string_view, const barrel::PublicKey&) override {
    return barrel::Status::ok();
  }
  barrel::Status remove(std::string_view) override { return barrel::Status::ok(); }
  barrel::Result<std::vector<std::pair<std::string, barrel::PublicKey>>> list() const override {
    return std::vector<std::pair<std::string, barrel::PublicKey>>();
  }
};

barrel::AuthNonce nonce_of(uint64_t n) {
  barrel::AuthNonce out{};
  std::memcpy(out.data(), &n, sizeof n);
  return out;
}

Instant now_instant() {
  return Instant::from_us(static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch())
          .count()));
}

// The server end, on its own thread. Streams whose first byte is 'B' are
// counted and answered with the 8-byte count at FIN; 'E' streams are echoed;
// with auth on, the first stream runs a server AuthSession.
class Server final : public EndpointHandler {
 public:
  explicit Server(bool auth) : auth_(auth) {
    std::promise<uint16_t> port;
    auto ready = port.get_future();
    thread_ = std::thread([this, &port] {
      auto id = NodeIdentity::generate();
      if (!id.is_ok())
        std::abort();
      identity_.emplace(std::move(id).value());
      auto ep = Endpoint::create(io_, quic_config("server@127.0.0.1"), *this);
      if (!ep.is_ok())
        std::abort();
      ep_ = std::move(ep).value();
      port.set_value(ep_->local_port());
      auto guard = asio::make_work_guard(io_);
      io_.run();
      ep_.reset();
    });
    port_ = ready.get();
  }
  ~Server() override {
    asio::post(io_, [this] {
      ep_->shutdown();
      io_.stop();
    });
    thread_.join();
  }
  uint16_t port() const { return port_; }

  void on_connected(ConnHandle conn, bool, const Exporter& exporter,
                    const asio::ip::udp::endpoint&) override {
    if (!auth_)
      return;
    barrel::AuthConfig cfg;
    cfg.cookie = kCookie;
    auto s = barrel::AuthSession::server(cfg, *identity_, pins_, "server@127.0.0.1",
                                         nonce_of(++nonces_), exporter, now_instant());
    if (s.is_ok())
      sessions_.emplace(conn, std::move(s).value());
  }
  void on_stream_data(ConnHandle conn, StreamId stream, std::span<const uint8_t> data,
                      bool fin) override {
    auto sit = sessions_.find(conn);
    if (sit != sessions_.end()) {
      sit->second.on_bytes(now_instant(), data);
      std::vector<uint8_t> out;
      sit->second.take_output(&out);
      if (!out.empty())
        ep_->send(conn, stream, out, false).ignore();
      if (sit->second.state() != barrel::AuthState::kRunning)
        sessions_.erase(sit);
      return;
    }
    auto& st = streams_[{conn, stream}];
    if (st.kind == 0 && !data.empty())
      st.kind = data[0];
    if (st.kind == 'E') {
      ep_->send(conn, stream, data, fin).ignore();
    } else {
      st.bytes += data.size();
      if (fin) {
        uint64_t n = st.bytes;
        std::array<uint8_t, 8> reply{};
        std::memcpy(reply.data(), &n, 8);
        ep_->send(conn, stream, reply, true).ignore();
      }
    }
    if (fin)
      streams_.erase({conn, stream});
  }
  void on_stream_reset(ConnHandle, StreamId, uint64_t) override {}
  void on_closed(ConnHandle conn, CloseReason, std::string_view) override { sessions_.erase(conn); }

 private:
  struct StreamState {
    uint8_t kind = 0;
    uint64_t bytes = 0;
  };
  bool auth_;
  asio::io_context io_;
  std::thread thread_;
  uint16_t port_ = 0;
  std::unique_ptr<Endpoint> ep_;
  std::optional<NodeIdentity> identity_;
  MemoryPins pins_;
  uint64_t nonces_ = 0;
  std::map<ConnHandle, barrel::AuthSession> sessions_;
  std::map<std::pair<ConnHandle, StreamId>, StreamState> streams_;
};

// The client end, driven on the benchmark's thread.
class Client final : public EndpointHandler {
 public:
  Client() {
    auto ep = Endpoint::create(io_, quic_config("client@127.0.0.1"), *this);
    if (!ep.is_ok())
      std::abort();
    ep_ = std::move(ep).value();
    auto id = NodeIdentity::generate();
    if (!id.is_ok())
      std::abort();
    identity_.emplace(std::move(id).value());
  }
  ~Client() override {
    ep_->shutdown();
    io_.restart();
    io_.run_for(std::chrono::milliseconds(20));
  }

  // Runs the loop until `pred` holds (bounded: 120 s).
  template <typename P>
  bool run_until(P pred) {
    const auto limit = Clock::now() + std::chrono::seconds(120);
    while (!pred()) {
      if (Clock::now() > limit)
        return false;
      io_.restart();
      io_.run_one_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  ConnHandle connect(uint16_t port) {
    connected_ = false;
    auto h = ep_->connect(asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    if (!h.is_ok())
      std::abort();
    if (!run_until([&] { return connected_ || closed_; }) || closed_)
      std::abort();
    return *h;
  }

  void on_connected(ConnHandle conn, bool, const Exporter& exporter,
                    const asio::ip::udp::endpoint&) override {
    connected_ = true;
    if (!auth_)
      return;
    barrel::AuthConfig cfg;
    cfg.cookie = kCookie;
    auto s =
        barrel::AuthSession::client(cfg, *identity_, pins_, "client@127.0.0.1", "server@127.0.0.1",
                                    nonce_of(++nonces_), exporter, now_instant());
    if (!s.is_ok())
      std::abort();
    session_.emplace(std::move(s).value());
    auto st = ep_->open_stream(conn);
    if (!st.is_ok())
      std::abort();
    auth_stream_ = *st;
    flush(conn);
  }
  void on_stream_data(ConnHandle conn, StreamId, std::span<const uint8_t> data, bool) override {
    if (session_ && session_->state() == barrel::AuthState::kRunning) {
      session_->on_bytes(now_instant(), data);
      flush(conn);
      return;
    }
    received_ += data.size();
    if (data.size() == 8)
      std::memcpy(&last_count_, data.data(), 8);
  }
  void on_stream_reset(ConnHandle, StreamId, uint64_t) override {}
  void on_closed(ConnHandle, CloseReason, std::string_view) override { closed_ = true; }

  void flush(ConnHandle conn) {
    std::vector<uint8_t> out;
    session_->take_output(&out);
    if (!out.empty())
      ep_->send(conn, auth_stream_, out, false).ignore();
  }

  Endpoint& ep() { return *ep_; }
  asio::io_context io_;
  std::unique_ptr<Endpoint> ep_;
  std::optional<NodeIdentity> identity_;
  MemoryPins pins_;
  std::optional<barrel::AuthSession> session_;
  StreamId auth_stream_ = -1;
  uint64_t nonces_ = 1000;
  bool auth_ = false;
  bool connected_ = false;
  bool closed_ = false;
  uint64_t received_ = 0;
  uint64_t last_count_ = 0;
};

void BM_QuicBulk(benchmark::State& state) {
  const uint64_t total = static_cast<uint64_t>(state.range(0)) * 1000 * 1000;
  Server server(false);
  static const std::vector<uint8_t> chunk = [] {
    std::vector<uint8_t> c(1 << 20);
    for (size_t i = 0; i < c.size(); ++i)
      c[i] = static_cast<uint8_t>(i * 131 + 7);
    c[0] = 'B';
    return c;
  }();
  for (auto _ : state) {
    Client client;
    ConnHandle conn = client.connect(server.port());
    auto stream = client.ep().open_stream(conn);
    if (!stream.is_ok())
      std::abort();
    const auto start = Clock::now();
    uint64_t sent = 0;
    client.last_count_ = 0;
    // Keep at most 32 MiB unacknowledged: the endpoint owns what it sends.
    while (sent < total) {
      if (client.ep().unacked_bytes(conn) > (32u << 20)) {
        client.io_.restart();
        client.io_.run_one_for(std::chrono::milliseconds(1));
        continue;
      }
      const size_t n = static_cast<size_t>(std::min<uint64_t>(chunk.size(), total - sent));
      const bool fin = sent + n == total;
      if (!client.ep().send(conn, *stream, std::span(chunk.data(), n), fin).is_ok())
        std::abort();
      sent += n;
      client.io_.restart();
      client.io_.poll();
    }
    if (!client.run_until([&] { return client.last_count_ == total; }))
      state.SkipWithError("bulk transfer did not complete");
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    state.SetIterationTime(secs);
    state.counters["MB_per_s"] = static_cast<double>(total) / 1e6 / secs;
  }
  state.SetBytesProcessed(static_cast<int64_t>(total) * state.iterations());
}
// One transfer per repetition, three repetitions: the median is the figure.
BENCHMARK(BM_QuicBulk)
    ->Arg(100)
    ->Arg(1000)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void report_percentiles(benchmark::State& state, std::vector<double>& us) {
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[us.size() * 99 / 100];
}

constexpr int kRoundTrips = 5000;

void BM_QuicRoundTrip(benchmark::State& state) {
  Server server(false);
  for (auto _ : state) {
    Client client;
    ConnHandle conn = client.connect(server.port());
    auto stream = client.ep().open_stream(conn);
    std::vector<uint8_t> msg(64, 'x');
    msg[0] = 'E';
    std::vector<double> us;
    us.reserve(kRoundTrips);
    for (int i = 0; i < kRoundTrips; ++i) {
      const uint64_t want = client.received_ + msg.size();
      const auto t0 = Clock::now();
      if (!client.ep().send(conn, *stream, msg, false).is_ok())
        std::abort();
      if (!client.run_until([&] { return client.received_ >= want; }))
        std::abort();
      us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    report_percentiles(state, us);
  }
}
BENCHMARK(BM_QuicRoundTrip)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_TcpRoundTrip(benchmark::State& state) {
  asio::io_context sio;
  asio::ip::tcp::acceptor acceptor(sio, {asio::ip::make_address("127.0.0.1"), 0});
  const uint16_t port = acceptor.local_endpoint().port();
  std::thread server([&] {
    asio::ip::tcp::socket s(sio);
    acceptor.accept(s);
    s.set_option(asio::ip::tcp::no_delay(true));
    std::array<uint8_t, 64> buf{};
    boost::system::error_code ec;
    for (int i = 0; i < kRoundTrips; ++i) {
      asio::read(s, asio::buffer(buf), ec);
      if (ec)
        return;
      asio::write(s, asio::buffer(buf), ec);
      if (ec)
        return;
    }
  });
  asio::io_context cio;
  asio::ip::tcp::socket c(cio);
  c.connect({asio::ip::make_address("127.0.0.1"), port});
  c.set_option(asio::ip::tcp::no_delay(true));
  std::array<uint8_t, 64> buf{};
  std::vector<double> us;
  for (auto _ : state) {
    for (int i = 0; i < kRoundTrips; ++i) {
      const auto t0 = Clock::now();
      asio::write(c, asio::buffer(buf));
      asio::read(c, asio::buffer(buf));
      us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
  }
  server.join();
  report_percentiles(state, us);
}
BENCHMARK(BM_TcpRoundTrip)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_ConnectAuthenticate(benchmark::State& state) {
  Server server(true);
  Client client;
  client.auth_ = true;
  std::vector<double> us;
  for (auto _ : state) {
    for (int i = 0; i < 200; ++i) {
      client.session_.reset();
      client.closed_ = false;
      const auto t0 = Clock::now();
      ConnHandle conn = client.connect(server.port());
      if (!client.run_until([&] {
            return client.session_ && client.session_->state() != barrel::AuthState::kRunning;
          }) ||
          client.session_->state() != barrel::AuthState::kAccepted) {
        state.SkipWithError("authentication failed");
        return;
      }
      us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      client.ep().close(conn, 0, "done");
      client.run_until([&] { return client.closed_; });
    }
  }
  report_percentiles(state, us);
}
BENCHMARK(BM_ConnectAuthenticate)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
