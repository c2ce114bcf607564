// connection.h — one QUIC connection: an ngtcp2_conn, its GnuTLS session, its
// streams, its timer, and the events it owes the handler.
//
// Re-entrancy rule: ngtcp2 forbids calling into a connection from inside its
// callbacks, and the handler may call back into the endpoint at any time. So
// ngtcp2 callbacks never reach the handler: they queue Events (copying stream
// bytes), and process() delivers them once read_pkt/handle_expiry returned.
// Flow-control credit is returned when a data event has been delivered.
//
// Life cycle: kHandshaking -> kEstablished -> kClosing (we sent
// CONNECTION_CLOSE) or kDraining (the peer did) for 3 PTO -> kDead; or straight
// to kDead when dropped silently (idle, handshake timeout, junk). The endpoint
// reaps kDead connections once their events are delivered. on_closed is queued
// exactly once, when the connection stops being usable.
//
// Thread-safety: none; the endpoint's io_context thread only.
#pragma once

#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "barrel/result.h"
#include "barrel/status.h"
#include "barrel/transport/quic_endpoint.h"
#include "quic/send_buffer.h"
#include "quic/tls_context.h"

namespace barrel::transport::quic {

class EndpointImpl;
struct ConnectionCallbacks;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  enum class State : uint8_t { kHandshaking, kEstablished, kClosing, kDraining, kDead };
  using udp = boost::asio::ip::udp;

  // A client connection to `remote`, sending from `local`. Sends its first
  // Initial once the endpoint writes it.
  static Result<std::shared_ptr<Connection>> make_client(EndpointImpl& ep, ConnHandle handle,
                                                         const udp::endpoint& local,
                                                         const udp::endpoint& remote);
  // A server connection for the Initial whose header is `hd`. `retry_odcid`:
  // the original DCID recovered from a valid Retry token, or null.
  static Result<std::shared_ptr<Connection>> make_server(EndpointImpl& ep, ConnHandle handle,
                                                         const ngtcp2_pkt_hd& hd,
                                                         const ngtcp2_cid* retry_odcid,
                                                         const udp::endpoint& local,
                                                         const udp::endpoint& remote);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A datagram for this connection arrived on `local` from `remote`.
  void on_datagram(const udp::endpoint& local, const udp::endpoint& remote,
                   std::span<const uint8_t> data);
  // The connection's timer fired.
  void on_timer();
  // Delivers queued events, writes what can be written, re-arms the timer.
  void process(EndpointHandler& handler);

  Result<StreamId> open_stream();
  Status send(StreamId stream, std::span<const uint8_t> data, bool fin);
  // Sends CONNECTION_CLOSE with an application error; on_closed(kLocalClose).
  void close(uint64_t app_error, std::string_view reason);
  // The endpoint is shutting down: CONNECTION_CLOSE if usable, then kDead.
  void close_for_shutdown();
  // Moves to a new local address (client only, handshake confirmed).
  Status migrate(const udp::endpoint& new_local);

  uint64_t unacked_bytes() const;
  PathInfo path_info() const;
  udp::endpoint local_address() const;

  ConnHandle handle() const { return handle_; }
  State state() const { return state_; }
  bool outbound() const { return outbound_; }
  // Open for the API: not closing, draining, dead or locally closed.
  bool usable() const {
    return (state_ == State::kHandshaking || state_ == State::kEstablished) && !local_closed_;
  }
  // Dead with nothing left to tell the handler: the endpoint may drop it.
  bool reapable() const { return state_ == State::kDead && events_.empty(); }
  // The connection ids the endpoint routes to this connection (its own SCIDs
  // and, for a server, the client's original DCIDs).
  const std::vector<std::string>& routed_cids() const { return routed_cids_; }
  void add_routed_cid(std::string cid) { routed_cids_.push_back(std::move(cid)); }

  // Set while the connection sits in the endpoint's dirty list.
  bool in_dirty_list = false;

 private:
  friend struct ConnectionCallbacks;

  struct Event {
    enum class Kind : uint8_t { kConnected, kData, kReset, kClosed };
    Kind kind = Kind::kData;
    StreamId stream = -1;
    std::vector<uint8_t> data;
    bool fin = false;
    uint64_t code = 0;
    CloseReason reason = CloseReason::kLocalClose;
    std::string detail;
    Exporter exporter{};
    udp::endpoint remote;
  };
  struct Stream {
    SendBuffer buf;
    uint64_t blocked_epoch = 0;  // write pass in which ngtcp2 refused it
    bool queued = false;         // listed in pending_
    bool shut_wr = false;        // ngtcp2 will take no more data
    bool closed = false;         // ngtcp2 closed it; erased after the call
  };

  Connection(EndpointImpl& ep, ConnHandle handle, bool outbound);
  Status init_tls(bool server);
  void write();
  Stream* next_stream(StreamId* id);
  void erase_closed_streams();
  void dispatch(EndpointHandler& handler);
  void on_read_error(int rv);
  // Builds and sends CONNECTION_CLOSE for `ce`, then closing for 3 PTO.
  void close_with(const ngtcp2_connection_close_error& ce, CloseReason reason, std::string detail);
  void enter_draining(CloseReason reason, std::string detail);
  void end_silently(CloseReason reason, std::string detail);
  void queue_closed(CloseReason reason, std::string detail);
  void arm_timer();

  EndpointImpl& ep_;
  const ConnHandle handle_;
  const bool outbound_;
  State state_ = State::kHandshaking;
  ngtcp2_conn* conn_ = nullptr;
  ngtcp2_crypto_conn_ref conn_ref_{};
  TlsSession tls_;
  boost::asio::steady_timer timer_;
  bool soon_posted_ = false;  // a turn of the loop is queued instead of the timer
  uint64_t timer_armed_ns_ = UINT64_MAX;
  uint64_t deadline_ns_ = UINT64_MAX;  // end of closing / draining
  std::vector<uint8_t> close_pkt_;     // resent while closing
  uint64_t close_pkt_trigger_ = 0;     // packets received while closing

  std::map<StreamId, Stream> streams_;
  std::vector<StreamId> pending_;  // streams with something to send
  size_t rr_ = 0;                  // round-robin position in pending_
  uint64_t write_epoch_ = 0;
  bool streams_closed_ = false;

  std::deque<Event> events_;
  bool dispatching_ = false;
  bool connected_reported_ = false;
  bool closed_queued_ = false;
  bool local_closed_ = false;
  bool got_packet_ = false;  // one datagram was accepted by ngtcp2
  std::vector<std::string> routed_cids_;
};

}  // namespace barrel::transport::quic
