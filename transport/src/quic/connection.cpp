// connection.cpp — see connection.h.
#include "quic/connection.h"

#include <ngtcp2/ngtcp2_crypto_gnutls.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "barrel/assert.h"
#include "quic/clock.h"
#include "quic/endpoint_impl.h"

namespace barrel::transport::quic {
namespace {

using udp = boost::asio::ip::udp;

// A deadline this close is met by another turn of the event loop, not a
// timer (arm_timer).
constexpr uint64_t kSoonNs = 250'000;
// Large enough for ngtcp2's biggest datagram (max_tx_udp_payload_size, 1452).
constexpr size_t kTxBuffer = 1500;
// Vectors handed to ngtcp2 per writev_stream call.
constexpr size_t kMaxVecs = 16;
// Packets per write pass before yielding to the socket (quic.md, gotcha 14).
constexpr size_t kMaxPacketsPerPass = 64;
// Events delivered per process() call; the rest waits for the next flush.
constexpr size_t kMaxEventsPerDispatch = 4096;

udp::endpoint to_endpoint(const ngtcp2_addr& a) {
  udp::endpoint ep;
  if (a.addrlen > 0 && a.addrlen <= ep.capacity()) {
    std::memcpy(ep.data(), a.addr, a.addrlen);
    ep.resize(a.addrlen);
  }
  return ep;
}

void make_path(ngtcp2_path_storage* ps, const udp::endpoint& local, const udp::endpoint& remote) {
  ngtcp2_path_storage_init(ps, local.data(), local.size(), remote.data(), remote.size(), nullptr);
}

std::string close_detail(const ngtcp2_connection_close_error& ce) {
  std::string s = ce.type == NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_APPLICATION
                      ? "application error "
                      : "transport error ";
  s += std::to_string(ce.error_code);
  if (ce.reasonlen > 0 && ce.reason != nullptr) {
    s += ": ";
    s.append(reinterpret_cast<const char*>(ce.reason), std::min<size_t>(ce.reasonlen, 256));
  }
  return s;
}

ngtcp2_conn* get_conn(ngtcp2_crypto_conn_ref* ref);

}  // namespace

// The ngtcp2 callbacks. They only update connection state and queue events;
// none reaches the handler (connection.h, re-entrancy rule).
struct ConnectionCallbacks {
  static Connection& self(void* user_data) { return *static_cast<Connection*>(user_data); }

  static void rand(uint8_t* dest, size_t len, const ngtcp2_rand_ctx*) {
    randombytes_buf(dest, len);
  }

  static int get_new_connection_id(ngtcp2_conn*, ngtcp2_cid* cid, uint8_t* token, size_t len,
                                   void* ud) {
    Connection& c = self(ud);
    if (!c.ep_.new_cid(cid, len, token))
      return NGTCP2_ERR_CALLBACK_FAILURE;
    c.ep_.route_cid(*cid, c);
    return 0;
  }

  static int remove_connection_id(ngtcp2_conn*, const ngtcp2_cid* cid, void* ud) {
    Connection& c = self(ud);
    c.ep_.unroute_cid(*cid, c);
    return 0;
  }

  static int handshake_completed(ngtcp2_conn* conn, void* ud) {
    Connection& c = self(ud);
    if (!c.ep_.tls().alpn_matches(c.tls_.get()))
      return NGTCP2_ERR_CALLBACK_FAILURE;  // ALPN is mandatory (belt and braces)
    Result<Exporter> ex = TlsContext::exporter(c.tls_.get());
    if (!ex.is_ok())
      return NGTCP2_ERR_CALLBACK_FAILURE;
    c.state_ = Connection::State::kEstablished;
    c.ep_.mutable_stats().handshakes_completed++;
    if (!c.outbound_)
      c.ep_.mutable_stats().connections_accepted++;
    Connection::Event ev;
    ev.kind = Connection::Event::Kind::kConnected;
    ev.exporter = *ex;
    ev.remote = to_endpoint(ngtcp2_conn_get_path(conn)->remote);
    c.events_.push_back(std::move(ev));
    return 0;
  }

  static int stream_open(ngtcp2_conn*, int64_t id, void* ud) {
    Connection& c = self(ud);
    c.streams_.try_emplace(id);
    return 0;
  }

  static int recv_stream_data(ngtcp2_conn*, uint32_t flags, int64_t id, uint64_t,
                              const uint8_t* data, size_t len, void* ud, void*) {
    Connection& c = self(ud);
    const bool fin = (flags & NGTCP2_STREAM_DATA_FLAG_FIN) != 0;
    if (len == 0 && !fin)
      return 0;
    Connection::Event ev;
    ev.kind = Connection::Event::Kind::kData;
    ev.stream = id;
    ev.data.assign(data, data + len);
    ev.fin = fin;
    c.events_.push_back(std::move(ev));
    return 0;
  }

  static int acked_stream_data_offset(ngtcp2_conn*, int64_t id, uint64_t offset, uint64_t len,
                                      void* ud, void*) {
    Connection& c = self(ud);
    auto it = c.streams_.find(id);
    if (it != c.streams_.end())
      it->second.buf.ack_to(offset + len);
    return 0;
  }

  static int stream_close(ngtcp2_conn* conn, uint32_t, int64_t id, uint64_t, void* ud, void*) {
    Connection& c = self(ud);
    auto it = c.streams_.find(id);
    if (it != c.streams_.end()) {
      // Erased after the ngtcp2 call returns: write() may hold a pointer.
      it->second.closed = true;
      c.streams_closed_ = true;
    }
    // Give the peer its stream credit back (ngtcp2 does not do it itself).
    if (!ngtcp2_conn_is_local_stream(conn, id) && ngtcp2_is_bidi_stream(id))
      ngtcp2_conn_extend_max_streams_bidi(conn, 1);
    return 0;
  }

  static int stream_reset(ngtcp2_conn*, int64_t id, uint64_t, uint64_t app_error, void* ud, void*) {
    queue_reset(self(ud), id, app_error);
    return 0;
  }

  static int stream_stop_sending(ngtcp2_conn*, int64_t id, uint64_t app_error, void* ud, void*) {
    Connection& c = self(ud);
    auto it = c.streams_.find(id);
    if (it != c.streams_.end())
      it->second.shut_wr = true;  // ngtcp2 answers with RESET_STREAM itself
    queue_reset(c, id, app_error);
    return 0;
  }

  static void queue_reset(Connection& c, int64_t id, uint64_t app_error) {
    Connection::Event ev;
    ev.kind = Connection::Event::Kind::kReset;
    ev.stream = id;
    ev.code = app_error;
    c.events_.push_back(std::move(ev));
  }

  static int extend_max_stream_data(ngtcp2_conn*, int64_t, uint64_t, void* ud, void*) {
    Connection& c = self(ud);
    c.ep_.mark_dirty(c);
    return 0;
  }

  static ngtcp2_callbacks make(bool server) {
    ngtcp2_callbacks cb{};  // positional C struct: zero, then set by name
    if (server) {
      cb.recv_client_initial = ngtcp2_crypto_recv_client_initial_cb;
    } else {
      cb.client_initial = ngtcp2_crypto_client_initial_cb;
      cb.recv_retry = ngtcp2_crypto_recv_retry_cb;
    }
    cb.recv_crypto_data = ngtcp2_crypto_recv_crypto_data_cb;
    cb.encrypt = ngtcp2_crypto_encrypt_cb;
    cb.decrypt = ngtcp2_crypto_decrypt_cb;
    cb.hp_mask = ngtcp2_crypto_hp_mask_cb;
    cb.update_key = ngtcp2_crypto_update_key_cb;
    cb.delete_crypto_aead_ctx = ngtcp2_crypto_delete_crypto_aead_ctx_cb;
    cb.delete_crypto_cipher_ctx = ngtcp2_crypto_delete_crypto_cipher_ctx_cb;
    cb.get_path_challenge_data = ngtcp2_crypto_get_path_challenge_data_cb;
    cb.version_negotiation = ngtcp2_crypto_version_negotiation_cb;
    cb.rand = rand;
    cb.get_new_connection_id = get_new_connection_id;
    cb.remove_connection_id = remove_connection_id;
    cb.handshake_completed = handshake_completed;
    cb.stream_open = stream_open;
    cb.recv_stream_data = recv_stream_data;
    cb.acked_stream_data_offset = acked_stream_data_offset;
    cb.stream_close = stream_close;
    cb.stream_reset = stream_reset;
    cb.stream_stop_sending = stream_stop_sending;
    cb.extend_max_stream_data = extend_max_stream_data;
    return cb;
  }
};

namespace {
ngtcp2_conn* get_conn(ngtcp2_crypto_conn_ref* ref) {
  return static_cast<ngtcp2_conn*>(ref->user_data);
}
}  // namespace

Connection::Connection(EndpointImpl& ep, ConnHandle handle, bool outbound)
    : ep_(ep), handle_(handle), outbound_(outbound), timer_(ep.io()) {}

Connection::~Connection() {
  timer_.cancel();
  if (conn_ != nullptr)
    ngtcp2_conn_del(conn_);
  // tls_ is released after the ngtcp2_conn that pointed at it.
}

Result<std::shared_ptr<Connection>> Connection::make_client(EndpointImpl& ep, ConnHandle handle,
                                                            const udp::endpoint& local,
                                                            const udp::endpoint& remote) {
  std::shared_ptr<Connection> c(new Connection(ep, handle, /*outbound=*/true));
  ngtcp2_cid dcid{};
  ngtcp2_cid scid{};
  std::array<uint8_t, NGTCP2_STATELESS_RESET_TOKENLEN> unused{};
  dcid.datalen = EndpointImpl::kCidLen;
  randombytes_buf(dcid.data, dcid.datalen);
  if (!ep.new_cid(&scid, EndpointImpl::kCidLen, unused.data()))
    return Status(Code::kInternal, "no free connection id");
  ngtcp2_path_storage ps;
  make_path(&ps, local, remote);
  const uint64_t now = now_ns();
  ngtcp2_settings settings;
  ngtcp2_settings_default(&settings);
  ep.fill_settings(&settings, now);
  ngtcp2_transport_params params;
  ngtcp2_transport_params_default(&params);
  ep.fill_params(&params);
  const ngtcp2_callbacks cb = ConnectionCallbacks::make(/*server=*/false);
  int rv = ngtcp2_conn_client_new(&c->conn_, &dcid, &scid, &ps.path, NGTCP2_PROTO_VER_V1, &cb,
                                  &settings, &params, nullptr, c.get());
  if (rv != 0)
    return Status(Code::kInternal, std::string("ngtcp2_conn_client_new: ") + ngtcp2_strerror(rv));
  if (Status s = c->init_tls(/*server=*/false); !s.is_ok())
    return s;
  ep.route_cid(scid, *c);
  return c;
}

Result<std::shared_ptr<Connection>> Connection::make_server(EndpointImpl& ep, ConnHandle handle,
                                                            const ngtcp2_pkt_hd& hd,
                                                            const ngtcp2_cid* retry_odcid,
                                                            const udp::endpoint& local,
                                                            const udp::endpoint& remote) {
  std::shared_ptr<Connection> c(new Connection(ep, handle, /*outbound=*/false));
  ngtcp2_cid scid{};
  ngtcp2_path_storage ps;
  make_path(&ps, local, remote);
  const uint64_t now = now_ns();
  ngtcp2_settings settings;
  ngtcp2_settings_default(&settings);
  ep.fill_settings(&settings, now);
  ngtcp2_transport_params params;
  ngtcp2_transport_params_default(&params);
  ep.fill_params(&params);
  if (!ep.new_cid(&scid, EndpointImpl::kCidLen, params.stateless_reset_token))
    return Status(Code::kInternal, "no free connection id");
  params.stateless_reset_token_present = 1;
  if (retry_odcid != nullptr) {
    // The client's first DCID is in the token; the one it now uses is ours.
    settings.token = hd.token;
    params.original_dcid = *retry_odcid;
    params.retry_scid = hd.dcid;
    params.retry_scid_present = 1;
  } else {
    params.original_dcid = hd.dcid;  // 0.12: no _present flag (quic.md, gotcha 3)
  }
  const ngtcp2_callbacks cb = ConnectionCallbacks::make(/*server=*/true);
  int rv = ngtcp2_conn_server_new(&c->conn_, &hd.scid, &scid, &ps.path, hd.version, &cb, &settings,
                                  &params, nullptr, c.get());
  if (rv != 0)
    return Status(Code::kInternal, std::string("ngtcp2_conn_server_new: ") + ngtcp2_strerror(rv));
  // TLS before the first read_pkt (quic.md, gotcha 10).
  if (Status s = c->init_tls(/*server=*/true); !s.is_ok())
    return s;
  ep.route_cid(scid, *c);
  // Retransmitted Initials still carry the DCID the client picked.
  ep.route_cid(hd.dcid, *c);
  return c;
}

Status Connection::init_tls(bool server) {
  conn_ref_.get_conn = get_conn;
  conn_ref_.user_data = conn_;
  Result<TlsSession> s = ep_.tls().new_session(server, &conn_ref_);
  if (!s.is_ok())
    return s.status();
  tls_ = std::move(s).value();
  ngtcp2_conn_set_tls_native_handle(conn_, tls_.get());
  const uint64_t keep_alive = to_ns(ep_.config().keep_alive);
  if (keep_alive > 0)
    ngtcp2_conn_set_keep_alive_timeout(conn_, keep_alive);
  return Status::ok();
}

void Connection::on_datagram(const udp::endpoint& local, const udp::endpoint& remote,
                             std::span<const uint8_t> data) {
  if (state_ == State::kClosing) {
    // Answer a peer that keeps talking with our CONNECTION_CLOSE, but only on
    // the 1st, 2nd, 4th, 8th... packet so a flood gets no flood back.
    ++close_pkt_trigger_;
    if (!close_pkt_.empty() && (close_pkt_trigger_ & (close_pkt_trigger_ - 1)) == 0) {
      ngtcp2_path_storage ps;
      make_path(&ps, local, remote);
      ep_.send_packet(ps.path, close_pkt_);
    }
    return;
  }
  if (state_ != State::kHandshaking && state_ != State::kEstablished)
    return;
  ngtcp2_path_storage ps;
  make_path(&ps, local, remote);
  ngtcp2_pkt_info pi{};
  const int rv = ngtcp2_conn_read_pkt(conn_, &ps.path, &pi, data.data(), data.size(), now_ns());
  erase_closed_streams();
  if (rv == 0) {
    got_packet_ = true;
    return;
  }
  on_read_error(rv);
}

void Connection::on_read_error(int rv) {
  const bool handshake_done = ngtcp2_conn_get_handshake_completed(conn_) != 0;
  if (rv == NGTCP2_ERR_DRAINING) {
    // The peer sent CONNECTION_CLOSE (or a stateless reset).
    ngtcp2_connection_close_error ce{};
    ngtcp2_conn_get_connection_close_error(conn_, &ce);
    const bool tls_refused = !handshake_done &&
                             ce.type == NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_TRANSPORT &&
                             (ce.error_code & ~uint64_t{0xff}) == NGTCP2_CRYPTO_ERROR;
    enter_draining(tls_refused ? CloseReason::kHandshakeFailed : CloseReason::kPeerClose,
                   close_detail(ce));
    return;
  }
  if (rv == NGTCP2_ERR_CRYPTO) {
    // TLS refused (ALPN, version, certificate): tell the peer with its alert.
    ngtcp2_connection_close_error ce;
    ngtcp2_connection_close_error_default(&ce);
    ngtcp2_connection_close_error_set_transport_error_tls_alert(
        &ce, ngtcp2_conn_get_tls_alert(conn_), nullptr, 0);
    if (!handshake_done)
      ep_.mutable_stats().connections_refused++;
    close_with(ce, handshake_done ? CloseReason::kProtocolError : CloseReason::kHandshakeFailed,
               std::string("TLS alert ") + std::to_string(ngtcp2_conn_get_tls_alert(conn_)));
    return;
  }
  if (!outbound_ && !got_packet_) {
    // An inbound attempt whose first packet ngtcp2 rejected: junk, or a
    // spoofed Initial. Nobody to tell; drop it without a word.
    ep_.mutable_stats().datagrams_dropped++;
    end_silently(CloseReason::kProtocolError, ngtcp2_strerror(rv));
    return;
  }
  if (rv == NGTCP2_ERR_DROP_CONN || rv == NGTCP2_ERR_RETRY) {
    end_silently(CloseReason::kProtocolError, ngtcp2_strerror(rv));
    return;
  }
  ngtcp2_connection_close_error ce;
  ngtcp2_connection_close_error_default(&ce);
  ngtcp2_connection_close_error_set_transport_error_liberr(&ce, rv, nullptr, 0);
  close_with(ce, CloseReason::kProtocolError, ngtcp2_strerror(rv));
}

void Connection::on_timer() {
  const uint64_t now = now_ns();
  if (state_ == State::kClosing || state_ == State::kDraining) {
    if (now >= deadline_ns_)
      state_ = State::kDead;  // on_closed was queued when it stopped being usable
    return;
  }
  if (state_ == State::kDead)
    return;
  const int rv = ngtcp2_conn_handle_expiry(conn_, now);
  if (rv == 0)
    return;
  if (rv == NGTCP2_ERR_IDLE_CLOSE) {
    end_silently(CloseReason::kIdleTimeout, "idle timeout");
  } else if (rv == NGTCP2_ERR_HANDSHAKE_TIMEOUT) {
    end_silently(CloseReason::kHandshakeTimeout, "handshake timeout");
  } else {
    ngtcp2_connection_close_error ce;
    ngtcp2_connection_close_error_default(&ce);
    ngtcp2_connection_close_error_set_transport_error_liberr(&ce, rv, nullptr, 0);
    close_with(ce, CloseReason::kProtocolError, ngtcp2_strerror(rv));
  }
}

void Connection::process(EndpointHandler& handler) {
  dispatch(handler);
  write();
  dispatch(handler);  // a write error may have queued on_closed
  arm_timer();
}

void Connection::dispatch(EndpointHandler& handler) {
  if (dispatching_)
    return;  // the handler called into the endpoint during a callback
  dispatching_ = true;
  // Keeps this object alive even if the handler closes it mid-callback.
  std::shared_ptr<Connection> keep = shared_from_this();
  for (size_t n = 0; n < kMaxEventsPerDispatch && !events_.empty(); ++n) {
    Event ev = std::move(events_.front());
    events_.pop_front();
    switch (ev.kind) {
      case Event::Kind::kConnected:
        if (!local_closed_ && !closed_queued_) {
          connected_reported_ = true;
          handler.on_connected(handle_, outbound_, ev.exporter, ev.remote);
        }
        break;
      case Event::Kind::kData:
        // Data that arrived before a peer close is still delivered; after a
        // local close the caller wants nothing more.
        if (connected_reported_ && !local_closed_) {
          handler.on_stream_data(handle_, ev.stream, ev.data, ev.fin);
          if (usable() && !ev.data.empty()) {
            // Consumed: return the flow-control credit (quic.md, gotcha 12).
            ngtcp2_conn_extend_max_stream_offset(conn_, ev.stream, ev.data.size());
            ngtcp2_conn_extend_max_offset(conn_, ev.data.size());
          }
        }
        break;
      case Event::Kind::kReset:
        if (connected_reported_ && !local_closed_)
          handler.on_stream_reset(handle_, ev.stream, ev.code);
        break;
      case Event::Kind::kClosed:
        if (outbound_ || connected_reported_ || ev.reason == CloseReason::kHandshakeFailed)
          handler.on_closed(handle_, ev.reason, ev.detail);
        break;
    }
  }
  dispatching_ = false;
  if (!events_.empty())
    ep_.mark_dirty(*this);
}

Connection::Stream* Connection::next_stream(StreamId* id) {
  // Bounded: each step either drops an entry or counts a skip.
  size_t skipped = 0;
  while (!pending_.empty() && skipped < pending_.size()) {
    if (rr_ >= pending_.size())
      rr_ = 0;
    auto it = streams_.find(pending_[rr_]);
    if (it == streams_.end() || it->second.closed || it->second.shut_wr ||
        !it->second.buf.has_pending()) {
      if (it != streams_.end())
        it->second.queued = false;
      pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(rr_));
      continue;
    }
    if (it->second.blocked_epoch == write_epoch_) {
      ++rr_;
      ++skipped;
      continue;
    }
    *id = it->first;
    return &it->second;
  }
  return nullptr;
}

void Connection::write() {
  if (state_ != State::kHandshaking && state_ != State::kEstablished)
    return;
  const uint64_t ts = now_ns();
  // destlen is the endpoint's maximum, not the path's current one, or PMTUD
  // can never send its probes (quic.md, gotcha 15).
  const size_t max_udp = std::min(ngtcp2_conn_get_max_tx_udp_payload_size(conn_), kTxBuffer);
  const size_t path_udp = std::max<size_t>(ngtcp2_conn_get_path_max_tx_udp_payload_size(conn_), 1);
  const size_t max_pkts =
      std::clamp<size_t>(ngtcp2_conn_get_send_quantum(conn_) / path_udp, 1, kMaxPacketsPerPass);
  std::array<uint8_t, kTxBuffer> buf;
  ngtcp2_path_storage ps;
  ngtcp2_path_storage_zero(&ps);
  ngtcp2_pkt_info pi{};
  // Datagrams of this pass go out in batches: same path, all of the first
  // one's size but the last (UDP GSO: one system call for up to 64 KiB).
  std::span<uint8_t> batch = ep_.tx_batch();
  ngtcp2_path_storage batch_ps;
  ngtcp2_path_storage_zero(&batch_ps);
  size_t batch_len = 0;
  size_t segment = 0;
  bool batch_closed = false;  // a shorter datagram ends a batch
  auto send_batch = [&] {
    if (batch_len > 0)
      ep_.send_packets(batch_ps.path, batch.first(batch_len), segment);
    batch_len = 0;
    batch_closed = false;
  };
  ++write_epoch_;
  size_t packets = 0;
  bool more = false;
  // Bounded: every iteration either sends a packet, consumes stream data,
  // blocks a stream for this pass, or stops.
  for (size_t iter = 0; iter < max_pkts * (kMaxVecs + streams_.size() + 4); ++iter) {
    StreamId sid = -1;
    Stream* s = next_stream(&sid);
    std::array<ngtcp2_vec, kMaxVecs> vecs;
    size_t nvec = 0;
    uint64_t offered = 0;
    uint32_t flags = NGTCP2_WRITE_STREAM_FLAG_MORE;
    if (s != nullptr) {
      nvec = s->buf.unsent_vecs(vecs.data(), vecs.size());
      for (size_t i = 0; i < nvec; ++i)
        offered += vecs[i].len;
      if (s->buf.fin_pending() && offered == s->buf.unsent())
        flags |= NGTCP2_WRITE_STREAM_FLAG_FIN;
    }
    ngtcp2_ssize datalen = -1;
    const ngtcp2_ssize n = ngtcp2_conn_writev_stream(conn_, &ps.path, &pi, buf.data(), max_udp,
                                                     &datalen, flags, sid, vecs.data(), nvec, ts);
    if (s != nullptr && datalen >= 0) {
      s->buf.mark_sent(static_cast<uint64_t>(datalen));
      if ((flags & NGTCP2_WRITE_STREAM_FLAG_FIN) && static_cast<uint64_t>(datalen) == offered)
        s->buf.mark_fin_sent();
    }
    if (n < 0) {
      if (n == NGTCP2_ERR_WRITE_MORE)
        continue;  // room left in this packet: add more stream data
      if (n == NGTCP2_ERR_STREAM_DATA_BLOCKED) {
        s->blocked_epoch = write_epoch_;
        continue;
      }
      if (n == NGTCP2_ERR_STREAM_SHUT_WR || n == NGTCP2_ERR_STREAM_NOT_FOUND) {
        s->shut_wr = true;
        continue;
      }
      ngtcp2_connection_close_error ce;
      ngtcp2_connection_close_error_default(&ce);
      ngtcp2_connection_close_error_set_transport_error_liberr(&ce, static_cast<int>(n), nullptr,
                                                               0);
      send_batch();
      close_with(ce, CloseReason::kProtocolError, ngtcp2_strerror(static_cast<int>(n)));
      return;
    }
    if (n == 0)
      break;  // nothing to send, or congestion/pacing limited
    const auto len = static_cast<size_t>(n);
    if (batch_len > 0 && (batch_closed || len > segment || batch_len + len > batch.size() ||
                          !ngtcp2_path_eq(&ps.path, &batch_ps.path)))
      send_batch();
    if (batch_len == 0) {
      segment = len;
      ngtcp2_path_copy(&batch_ps.path, &ps.path);
    }
    std::memcpy(batch.data() + batch_len, buf.data(), len);
    batch_len += len;
    batch_closed = len < segment;
    ++rr_;  // next packet starts with the next stream (fairness)
    if (++packets >= max_pkts) {
      more = true;
      break;
    }
  }
  send_batch();
  ngtcp2_conn_update_pkt_tx_time(conn_, ts);
  erase_closed_streams();
  if (more)
    ep_.mark_dirty(*this);  // yield to the socket, then carry on
}

void Connection::erase_closed_streams() {
  if (!streams_closed_)
    return;
  streams_closed_ = false;
  std::erase_if(streams_, [](const auto& kv) { return kv.second.closed; });
}

void Connection::arm_timer() {
  uint64_t expiry = UINT64_MAX;
  if (state_ == State::kClosing || state_ == State::kDraining)
    expiry = deadline_ns_;
  else if (state_ != State::kDead)
    expiry = ngtcp2_conn_get_expiry(conn_);
  // Due within kSoonNs (pacing's next packet, mostly): take another turn of
  // the loop instead of a timer. Asio moves a timerfd for every re-arm
  // (timerfd_settime(2)), and a bulk sender re-arms after every paced batch:
  // that was a fifth of its CPU, and the wake-up latency of a real timer
  // costs more than the few microseconds of the pacing gap.
  if (expiry != UINT64_MAX && state_ != State::kDead && expiry <= now_ns() + kSoonNs) {
    if (!soon_posted_) {
      soon_posted_ = true;
      std::weak_ptr<Connection> weak = weak_from_this();
      EndpointImpl* ep = &ep_;
      boost::asio::post(timer_.get_executor(), [weak, ep] {
        std::shared_ptr<Connection> c = weak.lock();
        if (!c)
          return;
        c->soon_posted_ = false;
        ep->on_conn_timer(c);
      });
    }
    return;
  }
  // Re-arm only when the deadline moves earlier. Moving an asio timer is a
  // timerfd_settime(2) each time, and during a bulk transfer every ACK moves
  // the deadline a little later: re-arming for each cost a quarter of the
  // sender's CPU. A timer left earlier than needed fires early; handling
  // expiry early is harmless (ngtcp2 does what is due) and re-arms exactly.
  if (expiry >= timer_armed_ns_ && timer_armed_ns_ != UINT64_MAX)
    return;
  if (expiry == timer_armed_ns_)
    return;
  timer_armed_ns_ = expiry;
  if (expiry == UINT64_MAX) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(to_time_point(expiry));
  std::weak_ptr<Connection> weak = weak_from_this();
  EndpointImpl* ep = &ep_;
  timer_.async_wait([weak, ep](const boost::system::error_code& ec) {
    if (ec)
      return;  // re-armed or cancelled
    std::shared_ptr<Connection> c = weak.lock();
    if (!c)
      return;  // gone with its endpoint
    c->timer_armed_ns_ = UINT64_MAX;
    ep->on_conn_timer(c);
  });
}

void Connection::queue_closed(CloseReason reason, std::string detail) {
  if (closed_queued_)
    return;
  closed_queued_ = true;
  Event ev;
  ev.kind = Event::Kind::kClosed;
  ev.reason = reason;
  ev.detail = std::move(detail);
  events_.push_back(std::move(ev));
  ep_.mark_dirty(*this);
}

void Connection::close_with(const ngtcp2_connection_close_error& ce, CloseReason reason,
                            std::string detail) {
  BARREL_ASSERT(state_ == State::kHandshaking || state_ == State::kEstablished);
  std::array<uint8_t, kTxBuffer> buf;
  ngtcp2_path_storage ps;
  ngtcp2_path_storage_zero(&ps);
  ngtcp2_pkt_info pi{};
  const size_t max_udp = std::min(ngtcp2_conn_get_max_tx_udp_payload_size(conn_), kTxBuffer);
  const ngtcp2_ssize n =
      ngtcp2_conn_write_connection_close(conn_, &ps.path, &pi, buf.data(), max_udp, &ce, now_ns());
  queue_closed(reason, std::move(detail));
  if (n <= 0) {
    // Nothing can be sent (e.g. no keys yet): nothing to wait for either.
    state_ = State::kDead;
    return;
  }
  close_pkt_.assign(buf.data(), buf.data() + n);
  ep_.send_packet(ps.path, close_pkt_);
  state_ = State::kClosing;
  deadline_ns_ = now_ns() + 3 * ngtcp2_conn_get_pto(conn_);
}

void Connection::enter_draining(CloseReason reason, std::string detail) {
  queue_closed(reason, std::move(detail));
  state_ = State::kDraining;
  deadline_ns_ = now_ns() + 3 * ngtcp2_conn_get_pto(conn_);
}

void Connection::end_silently(CloseReason reason, std::string detail) {
  queue_closed(reason, std::move(detail));
  state_ = State::kDead;
}

Result<StreamId> Connection::open_stream() {
  if (state_ != State::kEstablished || local_closed_)
    return Status::failed_precondition("connection not established");
  int64_t id = -1;
  const int rv = ngtcp2_conn_open_bidi_stream(conn_, &id, nullptr);
  if (rv == NGTCP2_ERR_STREAM_ID_BLOCKED)
    return Status::limit_exceeded("the peer's stream limit is reached");
  if (rv != 0)
    return Status(Code::kInternal, std::string("open_bidi_stream: ") + ngtcp2_strerror(rv));
  streams_.try_emplace(id);
  return id;
}

Status Connection::send(StreamId id, std::span<const uint8_t> data, bool fin) {
  if (!usable())
    return Status::not_found("connection closed");
  auto it = streams_.find(id);
  if (it == streams_.end() || it->second.closed)
    return Status::not_found("unknown stream");
  Stream& s = it->second;
  if (s.shut_wr || s.buf.fin())
    return Status::failed_precondition("stream is finished or reset");
  if (s.buf.unacked() + data.size() > ep_.config().max_stream_backlog)
    return Status::limit_exceeded("stream backlog full");
  s.buf.append(data);
  if (fin)
    s.buf.set_fin();
  if (!s.queued && s.buf.has_pending()) {
    s.queued = true;
    pending_.push_back(id);
  }
  ep_.mark_dirty(*this);
  return Status::ok();
}

void Connection::close(uint64_t app_error, std::string_view reason) {
  if (!usable())
    return;
  local_closed_ = true;
  ngtcp2_connection_close_error ce;
  ngtcp2_connection_close_error_default(&ce);
  const size_t len = std::min<size_t>(reason.size(), 256);
  ngtcp2_connection_close_error_set_application_error(
      &ce, app_error, reinterpret_cast<const uint8_t*>(reason.data()), len);
  close_with(ce, CloseReason::kLocalClose, std::string(reason.substr(0, len)));
}

void Connection::close_for_shutdown() {
  if (usable()) {
    close(0, "endpoint shutdown");
    // close() queued kLocalClose; the handler is told why instead.
    for (Event& ev : events_)
      if (ev.kind == Event::Kind::kClosed)
        ev.reason = CloseReason::kEndpointClosed;
  }
  state_ = State::kDead;  // the sockets are going away: no closing period
  timer_.cancel();
}

Status Connection::migrate(const udp::endpoint& new_local) {
  if (!outbound_ || state_ != State::kEstablished || local_closed_)
    return Status::failed_precondition("not an established outbound connection");
  const ngtcp2_path* cur = ngtcp2_conn_get_path(conn_);
  ngtcp2_path_storage ps;
  make_path(&ps, new_local, to_endpoint(cur->remote));
  const int rv = ngtcp2_conn_initiate_immediate_migration(conn_, &ps.path, now_ns());
  if (rv != 0)
    return Status::failed_precondition(std::string("migration: ") + ngtcp2_strerror(rv));
  ep_.mark_dirty(*this);
  return Status::ok();
}

uint64_t Connection::unacked_bytes() const {
  uint64_t n = 0;
  for (const auto& [id, s] : streams_)
    n += s.buf.unacked();
  return n;
}

PathInfo Connection::path_info() const {
  PathInfo info;
  const ngtcp2_path* p = ngtcp2_conn_get_path(conn_);
  info.local = to_endpoint(p->local);
  info.remote = to_endpoint(p->remote);
  info.max_udp_payload = ngtcp2_conn_get_path_max_tx_udp_payload_size(conn_);
  return info;
}

udp::endpoint Connection::local_address() const {
  return to_endpoint(ngtcp2_conn_get_path(conn_)->local);
}

}  // namespace barrel::transport::quic
