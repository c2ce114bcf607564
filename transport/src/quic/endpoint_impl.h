// endpoint_impl.h — the Endpoint behind quic_endpoint.h: UDP sockets, the
// connection-id routing table, new connections (with Retry), and the loop that
// turns socket and timer events into connection work.
//
// Sockets: the listening socket carries inbound connections and, until
// rebind_outbound(), outbound ones; rebind_outbound() opens a fresh socket on a
// new port and migrates outbound connections to it. Every socket feeds the same
// routing table, so a datagram finds its connection by destination CID
// whatever socket it arrives on.
//
// Work loop: socket and timer handlers mark connections dirty; flush() then
// lets each dirty connection deliver its events and write, and reaps dead ones.
// API calls made outside a flush post one. Nothing calls the handler from inside
// an ngtcp2 callback or while iterating a container the handler can change.
//
// Lifetime: asynchronous handlers hold a weak token (alive_) or a weak_ptr to
// their connection/socket, so destroying the endpoint with work pending is safe.
//
// Thread-safety: one io_context thread.
#pragma once

#include <ngtcp2/ngtcp2.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "barrel/transport/quic_endpoint.h"
#include "quic/connection.h"
#include "quic/tls_context.h"

namespace barrel::transport::quic {

class EndpointImpl;

// One bound UDP socket and its receive loop.
class UdpSocket : public std::enable_shared_from_this<UdpSocket> {
 public:
  using udp = boost::asio::ip::udp;
  UdpSocket(boost::asio::io_context& io, EndpointImpl* owner) : socket_(io), owner_(owner) {}
  Status open(const udp::endpoint& bind_to);
  void start_receive();
  // Stops the receive loop and closes; safe with a receive pending.
  void close();
  // Non-blocking send; false if the kernel refused it (full buffer, closed).
  bool send(const udp::endpoint& to, std::span<const uint8_t> data);
  // Sends `data` as datagrams of `segment` bytes (the last may be shorter)
  // with one sendmsg(2) and UDP_SEGMENT (generic segmentation offload), or
  // one send per datagram where the kernel does not offer it. Returns the
  // datagrams the kernel took.
  size_t send_segments(const udp::endpoint& to, std::span<const uint8_t> data, size_t segment);
  const udp::endpoint& local() const { return local_; }
  bool is_open() const { return owner_ != nullptr; }

 private:
  void on_receive(const boost::system::error_code& ec, size_t n);

  udp::socket socket_;
  bool gso_ = true;      // until the kernel refuses UDP_SEGMENT once
  EndpointImpl* owner_;  // null once closed
  udp::endpoint local_;
  udp::endpoint from_;
  std::array<uint8_t, 65536> buf_{};
};

class EndpointImpl final : public Endpoint {
 public:
  using udp = boost::asio::ip::udp;
  // Connection ids we issue (bytes); short-header packets are parsed with it.
  static constexpr size_t kCidLen = 18;

  EndpointImpl(boost::asio::io_context& io, const QuicConfig& config, EndpointHandler& handler,
               std::unique_ptr<TlsContext> tls);
  ~EndpointImpl() override;
  Status start();

  // Endpoint.
  uint16_t local_port() const override { return listen_->local().port(); }
  Result<ConnHandle> connect(const udp::endpoint& remote) override;
  Result<StreamId> open_stream(ConnHandle conn) override;
  Status send(ConnHandle conn, StreamId stream, std::span<const uint8_t> data, bool fin) override;
  void close(ConnHandle conn, uint64_t app_error, std::string_view reason) override;
  Status rebind_outbound() override;
  uint64_t unacked_bytes(ConnHandle conn) const override;
  size_t connection_count() const override { return conns_.size(); }
  Result<PathInfo> path_info(ConnHandle conn) const override;
  const EndpointStats& stats() const override { return stats_; }
  void shutdown() override;

  // For Connection.
  const QuicConfig& config() const { return config_; }
  const TlsContext& tls() const { return *tls_; }
  boost::asio::io_context& io() { return io_; }
  EndpointStats& mutable_stats() { return stats_; }
  // Settings and transport parameters shared by both roles.
  void fill_settings(ngtcp2_settings* s, uint64_t now_ns) const;
  void fill_params(ngtcp2_transport_params* p) const;
  // A fresh random CID of `len` bytes unused in the routing table, and its
  // stateless reset token (16 bytes). False if none could be made.
  bool new_cid(ngtcp2_cid* cid, size_t len, uint8_t* reset_token);
  void route_cid(const ngtcp2_cid& cid, Connection& conn);
  void unroute_cid(const ngtcp2_cid& cid, const Connection& conn);
  void send_packet(const ngtcp2_path& path, std::span<const uint8_t> data);
  // Several datagrams of `segment` bytes each (the last may be shorter), in
  // one system call where the kernel can (UdpSocket::send_segments).
  void send_packets(const ngtcp2_path& path, std::span<const uint8_t> data, size_t segment);
  // Scratch space for a connection's write pass (one thread: one buffer).
  std::span<uint8_t> tx_batch() { return tx_batch_; }
  void mark_dirty(Connection& conn);
  void on_conn_timer(const std::shared_ptr<Connection>& conn);

  // For UdpSocket.
  void on_datagram(UdpSocket& socket, const udp::endpoint& from, std::span<const uint8_t> data);
  void flush();

 private:
  void accept_initial(UdpSocket& socket, const udp::endpoint& from, std::span<const uint8_t> data);
  void send_retry(UdpSocket& socket, const udp::endpoint& from, const ngtcp2_pkt_hd& hd);
  void send_initial_close(UdpSocket& socket, const udp::endpoint& from, const ngtcp2_pkt_hd& hd,
                          uint64_t error);
  void schedule_flush();
  Connection* find(ConnHandle h) const;
  std::shared_ptr<UdpSocket> open_socket(const udp::endpoint& bind_to, Status* status);
  UdpSocket* socket_for(const ngtcp2_addr& local);
  void drop_unused_sockets();

  boost::asio::io_context& io_;
  const QuicConfig config_;
  EndpointHandler& handler_;
  std::unique_ptr<TlsContext> tls_;
  EndpointStats stats_;
  std::array<uint8_t, 32> token_secret_{};  // Retry tokens
  std::array<uint8_t, 32> reset_secret_{};  // stateless reset tokens

  std::shared_ptr<UdpSocket> listen_;
  std::shared_ptr<UdpSocket> outbound_;              // where new outbound connections send from
  std::vector<std::shared_ptr<UdpSocket>> sockets_;  // all open, listen_ first

  std::map<ConnHandle, std::shared_ptr<Connection>> conns_;
  std::unordered_map<std::string, std::shared_ptr<Connection>> routes_;  // by CID bytes
  ConnHandle next_handle_ = 1;
  std::vector<std::shared_ptr<Connection>> dirty_;
  bool flush_posted_ = false;
  bool in_flush_ = false;
  bool shut_down_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  // Up to 64 KiB of datagrams for one GSO send (the UDP size limit).
  std::vector<uint8_t> tx_batch_ = std::vector<uint8_t>(65000);
};

}  // namespace barrel::transport::quic
