// endpoint_impl.cpp — see endpoint_impl.h.
#include "quic/endpoint_impl.h"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <ngtcp2/ngtcp2_crypto.h>
#include <sodium.h>
#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <cstring>

#include "barrel/assert.h"
#include "quic/clock.h"

namespace barrel::transport {

std::string_view to_string(CloseReason r) {
  switch (r) {
    case CloseReason::kLocalClose:
      return "local close";
    case CloseReason::kPeerClose:
      return "peer close";
    case CloseReason::kIdleTimeout:
      return "idle timeout";
    case CloseReason::kHandshakeTimeout:
      return "handshake timeout";
    case CloseReason::kHandshakeFailed:
      return "handshake failed";
    case CloseReason::kProtocolError:
      return "protocol error";
    case CloseReason::kEndpointClosed:
      return "endpoint closed";
  }
  return "unknown";
}

}  // namespace barrel::transport

namespace barrel::transport::quic {
namespace {

using udp = boost::asio::ip::udp;

// Datagrams read per receive wake-up before the endpoint writes and yields.
constexpr size_t kMaxDatagramsPerWake = 64;
// Socket buffers: a bulk stream keeps thousands of packets in flight.
constexpr int kSocketBufferBytes = 8 * 1024 * 1024;
// Flush rounds before the rest of the work is posted (lets sockets run).
constexpr size_t kFlushRounds = 2;
// A Retry token is accepted for this long.
constexpr ngtcp2_duration kRetryTokenLifetime = 10 * NGTCP2_SECONDS;
// Connection ids a peer may hold for us (a spare one is needed to migrate).
constexpr uint64_t kActiveCidLimit = 8;
// Sockets open at once: the listening one, the current outbound one, and a
// few older outbound ones still used by connections that did not migrate.
constexpr size_t kMaxSockets = 8;

std::string cid_key(const uint8_t* data, size_t len) {
  return std::string(reinterpret_cast<const char*>(data), len);
}

udp::endpoint to_endpoint(const ngtcp2_addr& a) {
  udp::endpoint ep;
  if (a.addrlen > 0 && a.addrlen <= ep.capacity()) {
    std::memcpy(ep.data(), a.addr, a.addrlen);
    ep.resize(a.addrlen);
  }
  return ep;
}

}  // namespace

// ---------------------------------------------------------------- UdpSocket

Status UdpSocket::open(const udp::endpoint& bind_to) {
  boost::system::error_code ec;
  socket_.open(bind_to.protocol(), ec);
  if (!ec)
    socket_.non_blocking(true, ec);
  if (ec)
    return Status(Code::kIo, "UDP socket: " + ec.message());
  boost::system::error_code ignored;
  socket_.set_option(udp::socket::receive_buffer_size(kSocketBufferBytes), ignored);
  socket_.set_option(udp::socket::send_buffer_size(kSocketBufferBytes), ignored);
  // Set DF but ignore the kernel's path-MTU cache: ngtcp2 runs its own PMTU
  // discovery, and a too-big probe must be lost, not fragmented.
  const int fd = socket_.native_handle();
  if (bind_to.address().is_v4()) {
    const int v = IP_PMTUDISC_PROBE;
    (void)::setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v, sizeof v);
  } else {
    const int v = IPV6_PMTUDISC_PROBE;
    (void)::setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v, sizeof v);
  }
  socket_.bind(bind_to, ec);
  if (ec)
    return Status(Code::kIo, "bind " + bind_to.address().to_string() + ":" +
                                 std::to_string(bind_to.port()) + ": " + ec.message());
  local_ = socket_.local_endpoint(ec);
  if (ec)
    return Status(Code::kIo, "local_endpoint: " + ec.message());
  return Status::ok();
}

void UdpSocket::start_receive() {
  socket_.async_receive_from(boost::asio::buffer(buf_), from_,
                             [self = shared_from_this()](const boost::system::error_code& ec,
                                                         size_t n) { self->on_receive(ec, n); });
}

void UdpSocket::on_receive(const boost::system::error_code& ec, size_t n) {
  if (owner_ == nullptr || ec == boost::asio::error::operation_aborted)
    return;  // closed
  EndpointImpl* owner = owner_;
  if (!ec) {
    owner->on_datagram(*this, from_, std::span<const uint8_t>(buf_.data(), n));
    for (size_t i = 1; i < kMaxDatagramsPerWake; ++i) {
      boost::system::error_code rec;
      const size_t m = socket_.receive_from(boost::asio::buffer(buf_), from_, 0, rec);
      if (rec)
        break;  // would_block: drained
      owner->on_datagram(*this, from_, std::span<const uint8_t>(buf_.data(), m));
    }
    owner->flush();  // may call the handler, which may shut the endpoint down
  }
  // Other errors (an ICMP error reported on the socket) are transient.
  if (owner_ != nullptr)
    start_receive();
}

void UdpSocket::close() {
  owner_ = nullptr;
  boost::system::error_code ignored;
  socket_.close(ignored);
}

bool UdpSocket::send(const udp::endpoint& to, std::span<const uint8_t> data) {
  if (owner_ == nullptr)
    return false;
  boost::system::error_code ec;
  socket_.send_to(boost::asio::buffer(data.data(), data.size()), to, 0, ec);
  return !ec;
}

size_t UdpSocket::send_segments(const udp::endpoint& to, std::span<const uint8_t> data,
                                size_t segment) {
  BARREL_ASSERT(segment > 0);
  const size_t count = (data.size() + segment - 1) / segment;
  if (owner_ == nullptr)
    return 0;
#ifdef UDP_SEGMENT
  if (gso_ && count > 1) {
    iovec iov{const_cast<uint8_t*>(data.data()), data.size()};
    msghdr msg{};
    msg.msg_name = const_cast<sockaddr*>(to.data());
    msg.msg_namelen = static_cast<socklen_t>(to.size());
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(uint16_t))> control{};
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr* cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_UDP;
    cm->cmsg_type = UDP_SEGMENT;
    cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
    const auto seg = static_cast<uint16_t>(segment);
    std::memcpy(CMSG_DATA(cm), &seg, sizeof seg);
    if (::sendmsg(socket_.native_handle(), &msg, 0) >= 0)
      return count;
    if (errno != EIO && errno != EINVAL && errno != EOPNOTSUPP && errno != ENOPROTOOPT)
      return 0;    // EAGAIN and the like: lost, as any datagram may be
    gso_ = false;  // this kernel or device cannot: one send per datagram from now on
  }
#endif
  size_t sent = 0;
  for (size_t off = 0; off < data.size(); off += segment) {
    if (send(to, data.subspan(off, std::min(segment, data.size() - off))))
      ++sent;
  }
  return sent;
}

// ---------------------------------------------------------------- EndpointImpl

EndpointImpl::EndpointImpl(boost::asio::io_context& io, const QuicConfig& config,
                           EndpointHandler& handler, std::unique_ptr<TlsContext> tls)
    : io_(io), config_(config), handler_(handler), tls_(std::move(tls)) {}

EndpointImpl::~EndpointImpl() {
  // Abrupt by contract: no CONNECTION_CLOSE, no callbacks. Pending handlers
  // find alive_ expired, their socket closed or their connection gone.
  alive_.reset();
  for (auto& s : sockets_)
    s->close();
  dirty_.clear();
  routes_.clear();
  conns_.clear();
  sockets_.clear();
}

Status EndpointImpl::start() {
  randombytes_buf(token_secret_.data(), token_secret_.size());
  randombytes_buf(reset_secret_.data(), reset_secret_.size());
  boost::system::error_code ec;
  const auto addr = boost::asio::ip::make_address(config_.listen_address, ec);
  if (ec)
    return Status::invalid_argument("listen_address: " + ec.message());
  Status st;
  listen_ = open_socket(udp::endpoint(addr, config_.listen_port), &st);
  if (!listen_)
    return st;
  outbound_ = listen_;
  return Status::ok();
}

std::shared_ptr<UdpSocket> EndpointImpl::open_socket(const udp::endpoint& bind_to, Status* status) {
  auto s = std::make_shared<UdpSocket>(io_, this);
  *status = s->open(bind_to);
  if (!status->is_ok())
    return nullptr;
  s->start_receive();
  sockets_.push_back(s);
  return s;
}

void EndpointImpl::fill_settings(ngtcp2_settings* s, uint64_t now) const {
  s->initial_ts = now;
  s->initial_rtt = to_ns(config_.initial_rtt);
  s->max_window = config_.max_window;
  s->max_stream_window = config_.max_stream_window;
  s->handshake_timeout = to_ns(config_.handshake_timeout);
}

void EndpointImpl::fill_params(ngtcp2_transport_params* p) const {
  p->initial_max_stream_data_bidi_local = config_.initial_max_stream_data;
  p->initial_max_stream_data_bidi_remote = config_.initial_max_stream_data;
  p->initial_max_stream_data_uni = 0;
  p->initial_max_data = config_.initial_max_data;
  p->initial_max_streams_bidi = config_.max_streams_bidi;
  p->initial_max_streams_uni = 0;
  p->max_idle_timeout = to_ns(config_.idle_timeout);
  p->active_connection_id_limit = kActiveCidLimit;
}

bool EndpointImpl::new_cid(ngtcp2_cid* cid, size_t len, uint8_t* reset_token) {
  BARREL_ASSERT(len <= NGTCP2_MAX_CIDLEN);
  for (int attempt = 0; attempt < 8; ++attempt) {
    cid->datalen = len;
    randombytes_buf(cid->data, len);
    if (routes_.count(cid_key(cid->data, len)) != 0)
      continue;
    return ngtcp2_crypto_generate_stateless_reset_token(reset_token, reset_secret_.data(),
                                                        reset_secret_.size(), cid) == 0;
  }
  return false;
}

void EndpointImpl::route_cid(const ngtcp2_cid& cid, Connection& conn) {
  std::string key = cid_key(cid.data, cid.datalen);
  if (routes_.emplace(key, conn.shared_from_this()).second)
    conn.add_routed_cid(std::move(key));
}

void EndpointImpl::unroute_cid(const ngtcp2_cid& cid, const Connection& conn) {
  auto it = routes_.find(cid_key(cid.data, cid.datalen));
  if (it != routes_.end() && it->second.get() == &conn)
    routes_.erase(it);
}

UdpSocket* EndpointImpl::socket_for(const ngtcp2_addr& local) {
  const udp::endpoint ep = to_endpoint(local);
  for (auto& s : sockets_)
    if (s->local() == ep)
      return s.get();
  return nullptr;
}

void EndpointImpl::send_packet(const ngtcp2_path& path, std::span<const uint8_t> data) {
  UdpSocket* s = socket_for(path.local);
  if (s != nullptr && s->send(to_endpoint(path.remote), data)) {
    stats_.datagrams_sent++;
    stats_.bytes_sent += data.size();
  } else {
    // Lost like any datagram; ngtcp2's loss recovery resends what matters.
    stats_.datagrams_dropped++;
  }
}

void EndpointImpl::send_packets(const ngtcp2_path& path, std::span<const uint8_t> data,
                                size_t segment) {
  const size_t count = (data.size() + segment - 1) / segment;
  UdpSocket* s = socket_for(path.local);
  const size_t sent = s != nullptr ? s->send_segments(to_endpoint(path.remote), data, segment) : 0;
  stats_.datagrams_sent += sent;
  stats_.bytes_sent += sent == count ? data.size() : sent * segment;
  // Lost like any datagram; ngtcp2's loss recovery resends what matters.
  stats_.datagrams_dropped += count - sent;
}

void EndpointImpl::mark_dirty(Connection& conn) {
  if (!conn.in_dirty_list) {
    conn.in_dirty_list = true;
    dirty_.push_back(conn.shared_from_this());
  }
  if (!in_flush_)
    schedule_flush();
}

void EndpointImpl::schedule_flush() {
  if (flush_posted_)
    return;
  flush_posted_ = true;
  boost::asio::post(io_, [alive = std::weak_ptr<bool>(alive_), this] {
    if (alive.expired())
      return;
    flush_posted_ = false;
    flush();
  });
}

void EndpointImpl::flush() {
  if (in_flush_)
    return;
  in_flush_ = true;
  std::vector<std::shared_ptr<Connection>> dead;
  for (size_t round = 0; round < kFlushRounds && !dirty_.empty(); ++round) {
    std::vector<std::shared_ptr<Connection>> batch;
    batch.swap(dirty_);
    for (auto& c : batch) {
      c->in_dirty_list = false;
      c->process(handler_);
      if (c->reapable())
        dead.push_back(c);
    }
  }
  in_flush_ = false;
  for (auto& c : dead) {
    if (!c->reapable())
      continue;
    for (const std::string& key : c->routed_cids()) {
      auto it = routes_.find(key);
      if (it != routes_.end() && it->second == c)
        routes_.erase(it);
    }
    conns_.erase(c->handle());
  }
  if (!dirty_.empty())
    schedule_flush();
}

void EndpointImpl::on_conn_timer(const std::shared_ptr<Connection>& conn) {
  conn->on_timer();
  mark_dirty(*conn);
  flush();
}

void EndpointImpl::on_datagram(UdpSocket& socket, const udp::endpoint& from,
                               std::span<const uint8_t> data) {
  stats_.datagrams_received++;
  stats_.bytes_received += data.size();
  if (shut_down_ || data.empty()) {
    stats_.datagrams_dropped++;
    return;
  }
  ngtcp2_version_cid vc{};
  if (ngtcp2_pkt_decode_version_cid(&vc, data.data(), data.size(), kCidLen) != 0) {
    // Undecodable, or a version we don't speak (no Version Negotiation: all
    // our peers speak v1).
    stats_.datagrams_dropped++;
    return;
  }
  auto it = routes_.find(cid_key(vc.dcid, vc.dcidlen));
  if (it != routes_.end()) {
    std::shared_ptr<Connection> c = it->second;
    c->on_datagram(socket.local(), from, data);
    mark_dirty(*c);
    return;
  }
  if ((data[0] & 0x80) != 0) {
    accept_initial(socket, from, data);
    return;
  }
  stats_.datagrams_dropped++;  // a short header for no connection of ours
}

void EndpointImpl::accept_initial(UdpSocket& socket, const udp::endpoint& from,
                                  std::span<const uint8_t> data) {
  ngtcp2_pkt_hd hd{};
  if (ngtcp2_accept(&hd, data.data(), data.size()) != 0) {
    stats_.datagrams_dropped++;
    return;
  }
  if (conns_.size() >= config_.max_connections) {
    stats_.connections_refused++;
    send_initial_close(socket, from, hd, NGTCP2_CONNECTION_REFUSED);
    return;
  }
  ngtcp2_cid odcid{};
  const ngtcp2_cid* retry_odcid = nullptr;
  if (hd.token.len > 0 && hd.token.base[0] == NGTCP2_CRYPTO_TOKEN_MAGIC_RETRY) {
    if (ngtcp2_crypto_verify_retry_token(&odcid, hd.token.base, hd.token.len, token_secret_.data(),
                                         token_secret_.size(), hd.version, from.data(), from.size(),
                                         &hd.dcid, kRetryTokenLifetime, now_ns()) != 0) {
      stats_.connections_refused++;
      send_initial_close(socket, from, hd, NGTCP2_INVALID_TOKEN);
      return;
    }
    retry_odcid = &odcid;
  } else if (config_.require_retry) {
    send_retry(socket, from, hd);
    return;
  }
  const ConnHandle h = next_handle_++;
  Result<std::shared_ptr<Connection>> c =
      Connection::make_server(*this, h, hd, retry_odcid, socket.local(), from);
  if (!c.is_ok()) {
    stats_.datagrams_dropped++;
    return;
  }
  std::shared_ptr<Connection> conn = std::move(c).value();
  conns_.emplace(h, conn);
  conn->on_datagram(socket.local(), from, data);
  mark_dirty(*conn);
}

void EndpointImpl::send_retry(UdpSocket& socket, const udp::endpoint& from,
                              const ngtcp2_pkt_hd& hd) {
  ngtcp2_cid retry_scid{};
  std::array<uint8_t, NGTCP2_STATELESS_RESET_TOKENLEN> unused{};
  if (!new_cid(&retry_scid, kCidLen, unused.data()))
    return;
  std::array<uint8_t, NGTCP2_CRYPTO_MAX_RETRY_TOKENLEN> token{};
  const ngtcp2_ssize tokenlen = ngtcp2_crypto_generate_retry_token(
      token.data(), token_secret_.data(), token_secret_.size(), hd.version, from.data(),
      from.size(), &retry_scid, &hd.dcid, now_ns());
  if (tokenlen < 0)
    return;
  std::array<uint8_t, 1500> buf{};
  const ngtcp2_ssize n =
      ngtcp2_crypto_write_retry(buf.data(), buf.size(), hd.version, &hd.scid, &retry_scid, &hd.dcid,
                                token.data(), static_cast<size_t>(tokenlen));
  if (n <= 0)
    return;
  if (socket.send(from, std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)))) {
    stats_.retries_sent++;
    stats_.datagrams_sent++;
    stats_.bytes_sent += static_cast<size_t>(n);
  }
}

void EndpointImpl::send_initial_close(UdpSocket& socket, const udp::endpoint& from,
                                      const ngtcp2_pkt_hd& hd, uint64_t error) {
  std::array<uint8_t, 1500> buf{};
  const ngtcp2_ssize n = ngtcp2_crypto_write_connection_close(
      buf.data(), buf.size(), hd.version, &hd.scid, &hd.dcid, error, nullptr, 0);
  if (n > 0 && socket.send(from, std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)))) {
    stats_.datagrams_sent++;
    stats_.bytes_sent += static_cast<size_t>(n);
  }
}

Connection* EndpointImpl::find(ConnHandle h) const {
  auto it = conns_.find(h);
  return it == conns_.end() ? nullptr : it->second.get();
}

Result<ConnHandle> EndpointImpl::connect(const udp::endpoint& remote) {
  if (shut_down_)
    return Status::failed_precondition("endpoint shut down");
  if (conns_.size() >= config_.max_connections)
    return Status::limit_exceeded("too many connections");
  if (remote.protocol() != outbound_->local().protocol())
    return Status::invalid_argument("remote address family differs from the socket's");
  const ConnHandle h = next_handle_++;
  Result<std::shared_ptr<Connection>> c =
      Connection::make_client(*this, h, outbound_->local(), remote);
  if (!c.is_ok())
    return c.status();
  std::shared_ptr<Connection> conn = std::move(c).value();
  conns_.emplace(h, conn);
  mark_dirty(*conn);  // the first write sends the Initial
  return h;
}

Result<StreamId> EndpointImpl::open_stream(ConnHandle h) {
  Connection* c = find(h);
  if (c == nullptr)
    return Status::not_found("unknown connection");
  return c->open_stream();
}

Status EndpointImpl::send(ConnHandle h, StreamId stream, std::span<const uint8_t> data, bool fin) {
  Connection* c = find(h);
  if (c == nullptr)
    return Status::not_found("unknown connection");
  return c->send(stream, data, fin);
}

void EndpointImpl::close(ConnHandle h, uint64_t app_error, std::string_view reason) {
  if (Connection* c = find(h))
    c->close(app_error, reason);
}

Status EndpointImpl::rebind_outbound() {
  if (shut_down_)
    return Status::failed_precondition("endpoint shut down");
  if (sockets_.size() >= kMaxSockets)
    drop_unused_sockets();
  if (sockets_.size() >= kMaxSockets)
    return Status::limit_exceeded("too many sockets still in use");
  Status st;
  auto s = open_socket(udp::endpoint(listen_->local().address(), 0), &st);
  if (!s)
    return st;
  outbound_ = s;
  // Connections that cannot migrate yet (handshake not confirmed) stay on
  // their old socket, which stays open while they use it.
  for (auto& [h, c] : conns_)
    if (c->outbound() && c->usable())
      c->migrate(s->local()).ignore();
  drop_unused_sockets();
  return Status::ok();
}

void EndpointImpl::drop_unused_sockets() {
  std::erase_if(sockets_, [this](const std::shared_ptr<UdpSocket>& s) {
    if (s == listen_ || s == outbound_)
      return false;
    for (auto& [h, c] : conns_)
      if (c->state() != Connection::State::kDead && c->local_address() == s->local())
        return false;
    s->close();
    return true;
  });
}

uint64_t EndpointImpl::unacked_bytes(ConnHandle h) const {
  Connection* c = find(h);
  return c == nullptr ? 0 : c->unacked_bytes();
}

Result<PathInfo> EndpointImpl::path_info(ConnHandle h) const {
  Connection* c = find(h);
  if (c == nullptr || !c->usable())
    return Status::not_found("unknown or closed connection");
  return c->path_info();
}

void EndpointImpl::shutdown() {
  if (shut_down_)
    return;
  shut_down_ = true;
  for (auto& [h, c] : conns_) {
    c->close_for_shutdown();
    mark_dirty(*c);
  }
  for (auto& s : sockets_)
    s->close();
}

}  // namespace barrel::transport::quic

namespace barrel::transport {

Result<std::unique_ptr<Endpoint>> Endpoint::create(boost::asio::io_context& io,
                                                   const QuicConfig& config,
                                                   EndpointHandler& handler) {
  if (sodium_init() < 0)
    return Status(Code::kInternal, "sodium_init failed");
  if (config.idle_timeout <= Duration::zero() || config.handshake_timeout <= Duration::zero() ||
      config.initial_rtt <= Duration::zero() || config.keep_alive < Duration::zero())
    return Status::invalid_argument("QUIC timeouts must be positive (keep_alive: 0 = off)");
  if (config.initial_max_stream_data == 0 || config.initial_max_data == 0 ||
      config.max_stream_window < config.initial_max_stream_data ||
      config.max_window < config.initial_max_data)
    return Status::invalid_argument("QUIC flow-control windows must be positive, max >= initial");
  if (config.max_connections == 0 || config.max_stream_backlog == 0)
    return Status::invalid_argument("max_connections and max_stream_backlog must be positive");
  Result<std::unique_ptr<quic::TlsContext>> tls =
      quic::TlsContext::create(config.cert_pem, config.key_pem, config.alpn);
  if (!tls.is_ok())
    return tls.status();
  auto ep = std::make_unique<quic::EndpointImpl>(io, config, handler, std::move(tls).value());
  if (Status s = ep->start(); !s.is_ok())
    return s;
  return std::unique_ptr<Endpoint>(std::move(ep));
}

}  // namespace barrel::transport
