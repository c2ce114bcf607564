// quic_endpoint.h — one UDP socket, many QUIC connections (ngtcp2 0.12.1 +
// ngtcp2_crypto_gnutls + GnuTLS, TLS 1.3 only), driven by a Boost.Asio
// io_context.
//
// The endpoint knows nothing of the protocol above it: it moves bytes on
// streams of authenticated-by-TLS-only connections and reports what happens.
// Who the peer is (its node name and key) is decided above it, by the auth
// exchange bound to the exporter it hands out in on_connected().
//
// Threading: every call and every handler callback runs on the io_context's
// thread (one thread per node). Not thread-safe. Callbacks may call back into
// the endpoint (send, open_stream, close), except destroying it.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "barrel/result.h"
#include "barrel/status.h"
#include "barrel/time.h"

namespace barrel::transport {

// An endpoint-local connection handle; never reused within one endpoint.
using ConnHandle = uint64_t;
// A QUIC stream id (RFC 9000 §2.1: the low two bits give initiator and
// direction).
using StreamId = int64_t;

inline constexpr size_t kExporterBytes = 32;
using Exporter = std::array<uint8_t, kExporterBytes>;

struct QuicConfig {
  std::string listen_address = "127.0.0.1";  // "0.0.0.0" / "::" for all
  uint16_t listen_port = 0;                  // 0: the OS picks (local_port() tells)
  std::string cert_pem;                      // this endpoint's TLS certificate (PEM)
  std::string key_pem;                       // and its private key (PEM)
  std::string alpn = "barrel-p2p/1";         // mandatory on both sides
  // RTT assumed before the first sample. ngtcp2's default (333 ms) makes the
  // pacer stall ~22 ms after each handshake on a LAN (quic.md, gotcha 16).
  Duration initial_rtt = Duration::millis(50);
  Duration idle_timeout = Duration::seconds(30);
  Duration keep_alive = Duration::seconds(10);  // PING when idle this long (0: off)
  Duration handshake_timeout = Duration::seconds(10);
  uint64_t initial_max_stream_data = 256 * 1024;
  uint64_t initial_max_data = 1024 * 1024;
  uint64_t max_stream_window = 16 * 1024 * 1024;  // auto-tuning ceiling
  uint64_t max_window = 24 * 1024 * 1024;
  uint64_t max_streams_bidi = 100;  // streams the peer may open
  // Inbound connections must validate their address with a Retry first.
  bool require_retry = false;
  size_t max_connections = 4096;  // beyond it new inbound connections are refused
  // Unacknowledged bytes one stream may hold; send() beyond it is refused
  // with kLimitExceeded (bounds memory against a peer that stops reading).
  uint64_t max_stream_backlog = 64ull * 1024 * 1024;
};

// Why a connection ended.
enum class CloseReason : uint8_t {
  kLocalClose = 1,        // close() was called here
  kPeerClose = 2,         // the peer sent CONNECTION_CLOSE (it is draining)
  kIdleTimeout = 3,       // no packet within idle_timeout (peer crashed, network)
  kHandshakeTimeout = 4,  // the handshake did not complete in handshake_timeout
  kHandshakeFailed = 5,   // TLS refused (ALPN, version, certificate)
  kProtocolError = 6,     // the peer broke QUIC; we closed it
  kEndpointClosed = 7,    // the endpoint itself was closed
};
std::string_view to_string(CloseReason r);

class EndpointHandler {
 public:
  virtual ~EndpointHandler() = default;
  // The TLS handshake of `conn` completed (ALPN agreed). `outbound`: we
  // dialed it. `exporter`: the RFC 5705 exporter of this session with label
  // "EXPORTER-barrel-p2p-auth", empty context, 32 bytes — equal on both ends.
  virtual void on_connected(ConnHandle conn, bool outbound, const Exporter& exporter,
                            const boost::asio::ip::udp::endpoint& remote) = 0;
  // Bytes arrived on `stream` (in order, each byte once). `fin`: the peer
  // finished the stream after these bytes. Flow-control credit is returned
  // when this returns (the bytes count as consumed).
  virtual void on_stream_data(ConnHandle conn, StreamId stream, std::span<const uint8_t> data,
                              bool fin) = 0;
  // The peer reset `stream`, or stopped reading it.
  virtual void on_stream_reset(ConnHandle conn, StreamId stream, uint64_t app_error) = 0;
  // `conn` is gone (no more callbacks for it). For an outbound connection
  // whose handshake never completed, this is the connect failure. An inbound
  // connection is reported only if on_connected() was, or if TLS refused it
  // (kHandshakeFailed); inbound attempts that die silently (junk, timeouts
  // before the handshake) are not reported. Data that arrived before a peer
  // close is delivered before on_closed().
  virtual void on_closed(ConnHandle conn, CloseReason reason, std::string_view detail) = 0;
};

struct EndpointStats {
  uint64_t datagrams_received = 0;
  uint64_t datagrams_sent = 0;
  uint64_t datagrams_dropped = 0;  // undecodable, unroutable, refused, or unsendable
  uint64_t bytes_received = 0;
  uint64_t bytes_sent = 0;
  uint64_t connections_accepted = 0;  // inbound handshakes completed
  uint64_t connections_refused = 0;   // beyond max_connections, bad token, TLS refused
  uint64_t retries_sent = 0;
  uint64_t handshakes_completed = 0;
};

// The current network path of a connection (it changes on migration).
struct PathInfo {
  boost::asio::ip::udp::endpoint local;
  boost::asio::ip::udp::endpoint remote;
  // The largest UDP payload this path is known to carry: 1200 until Path MTU
  // Discovery confirms more (at most 1452).
  size_t max_udp_payload = 0;
};

class Endpoint {
 public:
  // Binds the UDP socket and starts receiving. kInvalidArgument for bad TLS
  // material or config, kIo if the socket cannot be bound.
  static Result<std::unique_ptr<Endpoint>> create(boost::asio::io_context& io,
                                                  const QuicConfig& config,
                                                  EndpointHandler& handler);
  // Abrupt: drops every connection without CONNECTION_CLOSE and without
  // handler callbacks (the peers see an idle timeout). Call shutdown() first
  // for a graceful end.
  virtual ~Endpoint() = default;

  // The bound UDP port (the OS's choice when listen_port was 0).
  virtual uint16_t local_port() const = 0;

  // Starts a connection to `remote`. on_connected() or on_closed() follows.
  virtual Result<ConnHandle> connect(const boost::asio::ip::udp::endpoint& remote) = 0;

  // Opens a bidirectional stream on an established connection.
  // kLimitExceeded when the peer's stream limit is reached.
  virtual Result<StreamId> open_stream(ConnHandle conn) = 0;

  // Queues `data` on `stream`; the endpoint owns it until the peer has
  // acknowledged it. `fin` ends the stream after it. kNotFound for an unknown
  // connection or stream; kLimitExceeded if the stream's unsent backlog is
  // above its bound (the caller backs off).
  virtual Status send(ConnHandle conn, StreamId stream, std::span<const uint8_t> data,
                      bool fin) = 0;

  // Closes `conn` with an application error code and reason (sent in
  // CONNECTION_CLOSE), then drains. on_closed(kLocalClose) follows.
  virtual void close(ConnHandle conn, uint64_t app_error, std::string_view reason) = 0;

  // Moves this endpoint's outbound connections to a new UDP socket on a new
  // local port (connection migration, RFC 9000 §9): they and their streams
  // carry on. Inbound connections stay on the listening socket.
  virtual Status rebind_outbound() = 0;

  // Unacknowledged bytes queued on `conn` (all streams), 0 if unknown.
  virtual uint64_t unacked_bytes(ConnHandle conn) const = 0;
  // Connections alive (handshaking, established or draining).
  virtual size_t connection_count() const = 0;
  // The path of `conn`; kNotFound if unknown or closed.
  virtual Result<PathInfo> path_info(ConnHandle conn) const = 0;
  virtual const EndpointStats& stats() const = 0;

  // Closes every connection (CONNECTION_CLOSE; on_closed(kEndpointClosed)
  // follows for each) and the sockets. connect() fails afterwards.
  virtual void shutdown() = 0;
};

}  // namespace barrel::transport
