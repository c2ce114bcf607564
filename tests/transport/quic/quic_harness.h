// quic_harness.h — shared pieces of the QUIC endpoint tests: a handler that
// records everything (and can echo), config with a fresh self-signed
// certificate, and a bounded io_context driver (no sleeps: run until a
// condition holds or a deadline passes).
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "barrel/transport/quic_endpoint.h"
#include "barrel/transport/tls_material.h"

namespace barrel::transport::testing {

using boost::asio::ip::udp;

// `n` pseudo-random bytes from `seed` (xorshift): transfers compare byte-exact.
inline std::vector<uint8_t> pattern(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    v[i] = static_cast<uint8_t>(x);
  }
  return v;
}

inline const TlsMaterial& test_material() {
  static const TlsMaterial m = [] {
    TlsMaterialOptions o;
    o.common_name = "quic-test";
    Result<TlsMaterial> r = generate_self_signed(o);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? r.value() : TlsMaterial{};
  }();
  return m;
}

inline QuicConfig test_config() {
  QuicConfig c;
  c.listen_address = "127.0.0.1";
  c.listen_port = 0;
  c.cert_pem = test_material().cert_pem;
  c.key_pem = test_material().key_pem;
  c.initial_rtt = Duration::millis(10);
  c.handshake_timeout = Duration::seconds(5);
  return c;
}

// Runs `io` until `done()` or `timeout`; returns done().
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped())
      io.restart();
    io.run_one_for(std::chrono::milliseconds(20));
  }
  return done();
}

inline std::vector<uint8_t> bytes(std::string_view s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

struct Recorder : EndpointHandler {
  struct Connected {
    bool outbound = false;
    Exporter exporter{};
    udp::endpoint remote;
  };
  struct Closed {
    CloseReason reason = CloseReason::kLocalClose;
    std::string detail;
  };
  struct StreamRx {
    std::vector<uint8_t> data;
    bool fin = false;
  };

  Endpoint* endpoint = nullptr;  // for echo
  bool echo = false;             // send every received byte back on its stream
  std::function<void(ConnHandle)> on_connect_hook;
  std::function<void(ConnHandle, StreamId)> on_data_hook;  // after recording

  std::map<ConnHandle, Connected> connected;
  std::map<ConnHandle, Closed> closed;
  std::map<std::pair<ConnHandle, StreamId>, StreamRx> rx;
  std::map<std::pair<ConnHandle, StreamId>, uint64_t> resets;
  size_t closed_callbacks = 0;

  void on_connected(ConnHandle c, bool outbound, const Exporter& ex,
                    const udp::endpoint& remote) override {
    EXPECT_EQ(connected.count(c), 0u) << "on_connected twice";
    connected[c] = Connected{outbound, ex, remote};
    if (on_connect_hook)
      on_connect_hook(c);
  }
  void on_stream_data(ConnHandle c, StreamId s, std::span<const uint8_t> data, bool fin) override {
    EXPECT_EQ(closed.count(c), 0u) << "data after on_closed";
    StreamRx& r = rx[{c, s}];
    EXPECT_FALSE(r.fin) << "data after fin";
    r.data.insert(r.data.end(), data.begin(), data.end());
    r.fin = r.fin || fin;
    if (echo && endpoint != nullptr) {
      Status st = endpoint->send(c, s, data, fin);
      EXPECT_TRUE(st.is_ok()) << st.to_string();
    }
    if (on_data_hook)
      on_data_hook(c, s);
  }
  void on_stream_reset(ConnHandle c, StreamId s, uint64_t code) override { resets[{c, s}] = code; }
  void on_closed(ConnHandle c, CloseReason r, std::string_view detail) override {
    EXPECT_EQ(closed.count(c), 0u) << "on_closed twice";
    closed[c] = Closed{r, std::string(detail)};
    ++closed_callbacks;
  }

  bool is_connected(ConnHandle c) const { return connected.count(c) != 0; }
  bool is_closed(ConnHandle c) const { return closed.count(c) != 0; }
  const StreamRx* stream(ConnHandle c, StreamId s) const {
    auto it = rx.find({c, s});
    return it == rx.end() ? nullptr : &it->second;
  }
  // The only inbound connection seen so far (or 0).
  ConnHandle last_inbound() const {
    ConnHandle h = 0;
    for (const auto& [c, info] : connected)
      if (!info.outbound)
        h = c;
    return h;
  }
};

inline std::unique_ptr<Endpoint> make_endpoint(boost::asio::io_context& io, const QuicConfig& cfg,
                                               Recorder& rec) {
  Result<std::unique_ptr<Endpoint>> r = Endpoint::create(io, cfg, rec);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  if (!r.is_ok())
    return nullptr;
  rec.endpoint = r.value().get();
  return std::move(r).value();
}

inline udp::endpoint loopback(uint16_t port) {
  return udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port);
}

}  // namespace barrel::transport::testing
