// runtime.cpp — the core's real-time host: effects to QUIC, QUIC to inputs.
//
// Re-entrancy (effect.h): the Node is never called while its effects are
// being carried out. Every input goes through Impl::input(), which runs it at
// once when the runtime is idle and queues it otherwise (an effect whose
// execution fails — a dial with no address — produces on_link_failed, and an
// endpoint callback may arrive while we are inside endpoint_->send()).
#include "barrel/transport/runtime.h"

#include <sodium.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <fstream>
#include <map>
#include <unordered_map>
#include <utility>

#include "barrel/codec.h"
#include "barrel/effect.h"
#include "barrel/record.h"
#include "runtime/app_stream.h"
#include "runtime/frame_reader.h"

namespace barrel::transport {

namespace {

using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;

// Application error codes of CONNECTION_CLOSE (ours, not QUIC's).
constexpr uint64_t kCloseNormal = 0;
constexpr uint64_t kCloseAuthRejected = 0x100;
constexpr uint64_t kCloseProtocolViolation = 0x101;
constexpr uint64_t kCloseDuplicate = 0x102;
constexpr uint64_t kCloseIdle = 0x103;

// How often connections are checked: auth deadlines, flushed closes, idle
// reaping. Coarse on purpose: each is a backstop measured in seconds.
constexpr auto kHousekeepingPeriod = std::chrono::milliseconds(100);
// Inputs queued while busy; beyond it something loops (each input's effects
// can only queue a bounded number of failures).
constexpr size_t kQueuedInputsMax = 1 << 16;
// Stream bytes an inbound connection may send before the endpoint reports
// its handshake complete (normally none: a packet or two in one datagram).
constexpr size_t kEarlyBytesMax = 64 * 1024;
// Application streams one connection may have open towards us at once.
constexpr size_t kAppStreamsMax = 16;

uint64_t wall_us() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

std::string endpoint_string(const asio::ip::udp::endpoint& e) {
  return e.address().to_string() + ":" + std::to_string(e.port());
}

}  // namespace

struct Runtime::Impl {
  struct Conn {
    ConnHandle handle = 0;
    bool outbound = false;
    NodeId dialed;                    // outbound: the name we dialed
    std::string remote;               // "ip:port", for logs
    std::optional<AuthSession> auth;  // until authenticated
    bool authed = false;
    NodeId peer;                     // once authenticated
    StreamId control = -1;           // the first client-initiated stream
    std::vector<uint8_t> early_out;  // server: auth bytes before the stream exists
    FrameReader reader;
    Clock::time_point last_activity;
    bool retired = false;        // a duplicate: no new sends, closed once flushed
    bool close_flushed = false;  // CloseLink: closed once flushed
    bool closing = false;        // close() called
    // Inbound: stream bytes that arrived before on_connected (kept in order).
    std::vector<std::pair<StreamId, std::vector<uint8_t>>> early_in;
    size_t early_in_bytes = 0;
    bool connected = false;                // on_connected seen
    StreamId app_out = -1;                 // our application stream on this connection
    std::map<StreamId, AppReader> app_in;  // the peer's application streams
  };
  struct Peer {
    ConnHandle conn = 0;     // the authenticated connection frames go on
    ConnHandle dialing = 0;  // an outbound connection not yet authenticated
    bool monitored = false;  // OpenLink'd and not CloseLink'd
    // Frames waiting for the connection: protocol frames (control stream)
    // and application frames (application stream), in order.
    std::deque<std::pair<bool /*app*/, std::vector<uint8_t>>> pending;
    size_t pending_bytes = 0;
  };

  Impl(asio::io_context& io_in, const RuntimeConfig& c, const AuthCrypto& cr, PinStore& p,
       Resolver& r, Logger l)
      : io(io_in),
        config(c),
        crypto(cr),
        pins(p),
        resolver(r),
        log(std::move(l)),
        names(c.names_max),
        node_timer(io_in),
        housekeeping(io_in),
        epoch(Clock::now()) {}

  asio::io_context& io;
  RuntimeConfig config;
  const AuthCrypto& crypto;
  PinStore& pins;
  Resolver& resolver;
  Logger log;
  NameTable names;
  NodeId self;
  std::unique_ptr<Node> node;
  std::unique_ptr<Endpoint> endpoint;
  std::unique_ptr<EndpointHandler> handler;
  std::vector<Subscriber> subscribers;
  std::vector<AppHandler> app_handlers;
  RuntimeStats stats;
  asio::steady_timer node_timer;
  asio::steady_timer housekeeping;
  Clock::time_point epoch;
  std::unordered_map<ConnHandle, Conn> conns;
  std::unordered_map<uint32_t, Peer> peers;  // by NodeId value
  std::deque<std::function<void()>> queued;
  std::vector<Effect> effects;
  // Recording (RuntimeConfig::record_path): set while it is on.
  std::optional<record::Writer> recorder;
  std::ofstream record_file;
  bool busy = false;
  bool stopped = false;
  // Timer callbacks hold this, not `this`: a callback that runs after the
  // runtime is gone finds it expired.
  std::shared_ptr<Impl*> alive = std::make_shared<Impl*>(this);

  Instant now() const {
    return Instant::from_us(static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - epoch).count()));
  }
  Clock::time_point to_clock(Instant at) const {
    return epoch + std::chrono::microseconds(static_cast<int64_t>(at.us()));
  }

  // --- Inputs ---------------------------------------------------------------

  // Runs `f` (which feeds the Node) and carries out the effects, then any
  // input queued meanwhile; re-arms the Node's timer at the end.
  void input(std::function<void()> f) {
    if (busy) {
      if (queued.size() >= kQueuedInputsMax) {
        log.error("input queue full: dropping an input (a bug: inputs should not loop)");
        return;
      }
      queued.push_back(std::move(f));
      return;
    }
    busy = true;
    f();
    carry_out_effects();
    // Bounded: each queued input runs once; what it queues runs after.
    for (size_t i = 0; i < kQueuedInputsMax && !queued.empty(); ++i) {
      std::function<void()> next = std::move(queued.front());
      queued.pop_front();
      next();
      carry_out_effects();
    }
    busy = false;
    arm_node_timer();
  }

  // --- Recording ----------------------------------------------------------------

  // Records the input `make()` builds, just before it runs (make is called
  // only when recording: a delivered message is not copied otherwise).
  template <class F>
  void record(F&& make) {
    if (!recorder)
      return;
    if (Status s = recorder->input(make()); !s.is_ok())
      return stop_recording("cannot record an input: " + s.to_string());
    write_record(false);
  }

  // Moves the recorder's bytes to the file; flushes after each input's
  // effects, so a crash loses at most the input being run.
  void write_record(bool flush) {
    std::vector<uint8_t> bytes = recorder->take();
    record_file.write(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<std::streamsize>(bytes.size()));
    if (flush)
      record_file.flush();
    if (!record_file)
      stop_recording("cannot write " + config.record_path);
  }

  void stop_recording(const std::string& why) {
    log.error("recording stopped: " + why);
    recorder.reset();
    record_file.close();
  }

  void carry_out_effects() {
    effects.clear();
    node->drain_effects(&effects);
    if (recorder) {
      if (Status s = recorder->effects(effects); !s.is_ok())
        stop_recording("cannot record effects: " + s.to_string());
      else
        write_record(true);
    }
    // Effects may queue inputs but never call the Node: `effects` is stable.
    for (Effect& e : effects) {
      if (auto* s = std::get_if<Send>(&e)) {
        send(s->to, s->msg);
      } else if (const auto* o = std::get_if<OpenLink>(&e)) {
        open_link(o->peer);
      } else if (const auto* c = std::get_if<CloseLink>(&e)) {
        close_link(c->peer);
      } else {
        const Event& ev = std::get<Emit>(e).event;
        for (const Subscriber& sub : subscribers)
          sub(ev);
      }
    }
    effects.clear();
  }

  void arm_node_timer() {
    if (stopped)
      return;
    const Instant at = node->next_deadline();
    if (at.is_never()) {
      node_timer.cancel();
      return;
    }
    node_timer.expires_at(to_clock(at));
    std::weak_ptr<Impl*> weak = alive;
    node_timer.async_wait([weak](const boost::system::error_code& ec) {
      auto self_ptr = weak.lock();
      if (ec || !self_ptr)
        return;
      Impl* impl = *self_ptr;
      impl->input([impl] {
        const Instant t = impl->now();
        impl->record([&] { return record::Input{.kind = record::InputKind::kTimers, .now = t}; });
        impl->node->handle_timers(t);
      });
    });
  }

  void link_failed(NodeId peer) {
    stats.links_failed += 1;
    input([this, peer] {
      const Instant t = now();
      record([&] {
        return record::Input{.kind = record::InputKind::kLinkFailed, .now = t, .peer = peer};
      });
      node->on_link_failed(t, peer);
    });
  }
  void link_down(NodeId peer) {
    stats.links_down += 1;
    input([this, peer] {
      const Instant t = now();
      record([&] {
        return record::Input{.kind = record::InputKind::kLinkDown, .now = t, .peer = peer};
      });
      node->on_link_down(t, peer);
    });
  }

  // --- Effects ----------------------------------------------------------------

  void send(NodeId to, const Message& msg) {
    std::vector<uint8_t> frame;
    if (Status s = wire::encode(msg, names, &frame); !s.is_ok()) {
      // The core encodes only what it may send; a failure here is a bug.
      log.error("cannot encode a message to " + std::string(names.name(to)) + ": " + s.to_string());
      return;
    }
    Peer& p = peers[to.value()];
    if (Conn* c = usable(p)) {
      write_frame(*c, frame);
      return;
    }
    if (p.pending.size() >= config.pending_frames_max ||
        p.pending_bytes + frame.size() > config.pending_bytes_max) {
      stats.pending_overflows += 1;
      log.warn("send queue to " + std::string(names.name(to)) +
               " overflowed while connecting: dropped");
      drop_pending(p);
      link_failed(to);
      return;
    }
    p.pending_bytes += frame.size();
    p.pending.emplace_back(false, std::move(frame));
    dial(to);
  }

  // --- Application messages ---------------------------------------------------

  Status send_app(std::string_view node_name, EndpointId to, EndpointId from,
                  std::span<const uint8_t> bytes) {
    if (bytes.size() > config.app_message_bytes_max)
      return Status::invalid_argument("application message of " + std::to_string(bytes.size()) +
                                      " bytes is above the limit of " +
                                      std::to_string(config.app_message_bytes_max));
    Result<NodeId> id = names.intern(node_name);
    if (!id.is_ok())
      return id.status();
    if (*id == self) {
      AppMessage m{config.name, from, to, std::vector<uint8_t>(bytes.begin(), bytes.end())};
      stats.app_sent += 1;
      std::weak_ptr<Impl*> weak = alive;
      // Never re-entrantly: the caller may be inside an app handler.
      asio::post(io, [weak, m = std::move(m)] {
        if (auto self_ptr = weak.lock())
          (*self_ptr)->deliver_app(m);
      });
      return Status::ok();
    }
    std::vector<uint8_t> frame = encode_app_frame(to, from, bytes);
    Peer& p = peers[id->value()];
    if (Conn* c = usable(p)) {
      write_app(*c, frame);
      return Status::ok();
    }
    if (p.pending.size() >= config.pending_frames_max ||
        p.pending_bytes + frame.size() > config.pending_bytes_max)
      return Status::limit_exceeded("the queue to " + std::string(node_name) + " is full");
    p.pending_bytes += frame.size();
    p.pending.emplace_back(true, std::move(frame));
    dial(*id);
    return Status::ok();
  }

  void write_app(Conn& c, std::span<const uint8_t> frame) {
    c.last_activity = Clock::now();
    if (c.app_out < 0) {
      Result<StreamId> s = endpoint->open_stream(c.handle);
      if (!s.is_ok()) {
        log.warn("cannot open an application stream to " + std::string(names.name(c.peer)) + ": " +
                 s.status().to_string());
        return;
      }
      c.app_out = *s;
      if (!endpoint->send(c.handle, c.app_out, kAppStreamMagic, false).is_ok())
        return;
    }
    if (Status s = endpoint->send(c.handle, c.app_out, frame, false); !s.is_ok()) {
      log.warn("application send to " + std::string(names.name(c.peer)) +
               " failed: " + s.to_string());
      return;
    }
    stats.app_sent += 1;
  }

  void deliver_app(const AppMessage& m) {
    stats.app_received += 1;
    for (const AppHandler& h : app_handlers)
      h(m);
  }

  void read_app(Conn& c, StreamId stream, std::span<const uint8_t> data) {
    if (c.app_in.size() >= kAppStreamsMax && !c.app_in.count(stream)) {
      stats.app_rejected += 1;
      close_conn(c, kCloseProtocolViolation, "too many application streams");
      return;
    }
    AppReader& r = c.app_in[stream];
    r.push(data);
    for (;;) {
      Result<std::optional<AppFrame>> f = r.next(config.app_message_bytes_max);
      if (!f.is_ok()) {
        stats.app_rejected += 1;
        log.warn("bad application stream from " + std::string(names.name(c.peer)) + ": " +
                 f.status().to_string() + "; closing the connection");
        close_conn(c, kCloseProtocolViolation, "bad application stream");
        return;
      }
      if (!f->has_value())
        return;
      AppFrame& frame = **f;
      deliver_app(AppMessage{std::string(names.name(c.peer)), frame.from, frame.to,
                             std::move(frame.bytes)});
    }
  }

  Conn* usable(Peer& p) {
    if (p.conn == 0)
      return nullptr;
    auto it = conns.find(p.conn);
    if (it == conns.end() || !it->second.authed || it->second.retired || it->second.closing)
      return nullptr;
    return &it->second;
  }

  void write_frame(Conn& c, std::span<const uint8_t> frame) {
    c.last_activity = Clock::now();
    c.close_flushed = false;  // new traffic: a CloseLink'd connection is in use again
    if (Status s = endpoint->send(c.handle, c.control, frame, false); !s.is_ok()) {
      log.warn("send to " + std::string(names.name(c.peer)) + " failed: " + s.to_string() +
               "; closing the connection");
      close_conn(c, kCloseProtocolViolation, "send failed");
      return;
    }
    stats.frames_sent += 1;
  }

  void drop_pending(Peer& p) {
    p.pending.clear();
    p.pending_bytes = 0;
  }

  void dial(NodeId to) {
    Peer& p = peers[to.value()];
    if (p.dialing != 0 || usable(p) != nullptr)
      return;
    const std::string name(names.name(to));
    std::optional<asio::ip::udp::endpoint> at = resolver.resolve(name);
    if (!at) {
      log.info("no address for " + name + ": cannot connect");
      stats.dial_failures += 1;
      drop_pending(p);
      link_failed(to);
      return;
    }
    Result<ConnHandle> h = endpoint->connect(*at);
    if (!h.is_ok()) {
      log.warn("connect to " + name + " at " + endpoint_string(*at) +
               " failed: " + h.status().to_string());
      stats.dial_failures += 1;
      resolver.on_dial_failed(name);
      drop_pending(p);
      link_failed(to);
      return;
    }
    stats.dials += 1;
    p.dialing = *h;
    Conn& c = conns[*h];
    c.handle = *h;
    c.outbound = true;
    c.dialed = to;
    c.remote = endpoint_string(*at);
    c.last_activity = Clock::now();
    log.debug("dialing " + name + " at " + c.remote);
  }

  void open_link(NodeId peer) {
    Peer& p = peers[peer.value()];
    p.monitored = true;
    log.debug("monitor " + std::string(names.name(peer)));
    if (Conn* c = usable(p)) {
      c->close_flushed = false;
      return;
    }
    dial(peer);
  }

  void close_link(NodeId peer) {
    auto it = peers.find(peer.value());
    if (it == peers.end())
      return;
    Peer& p = it->second;
    p.monitored = false;
    log.debug("unmonitor " + std::string(names.name(peer)));
    if (Conn* c = usable(p))
      c->close_flushed = true;  // housekeeping closes it once flushed
  }

  // --- Connections ----------------------------------------------------------

  void close_conn(Conn& c, uint64_t code, std::string_view why) {
    if (c.closing)
      return;
    c.closing = true;
    endpoint->close(c.handle, code, why);
  }

  void on_connected(ConnHandle h, bool outbound, const Exporter& exporter,
                    const asio::ip::udp::endpoint& remote) {
    if (!outbound) {
      Conn& fresh = conns[h];  // may exist: data came first
      fresh.handle = h;
      fresh.remote = endpoint_string(remote);
      fresh.last_activity = Clock::now();
    }
    auto it = conns.find(h);
    if (it == conns.end())
      return;  // closed meanwhile
    Conn& c = it->second;
    c.connected = true;
    AuthNonce nonce{};
    randombytes_buf(nonce.data(), nonce.size());
    Result<AuthSession> session =
        outbound
            ? AuthSession::client(config.auth, crypto, pins, config.name, names.name(c.dialed),
                                  nonce, exporter, now())
            : AuthSession::server(config.auth, crypto, pins, config.name, nonce, exporter, now());
    if (!session.is_ok()) {
      log.error("cannot start authentication with " + c.remote + ": " +
                session.status().to_string());
      close_conn(c, kCloseAuthRejected, "auth setup failed");
      return;
    }
    c.auth.emplace(std::move(session).value());
    if (outbound) {
      Result<StreamId> s = endpoint->open_stream(h);
      if (!s.is_ok()) {
        close_conn(c, kCloseProtocolViolation, "cannot open the control stream");
        return;
      }
      c.control = *s;
    }
    flush_auth(c);
    // Bytes that raced ahead of the handshake's completion, in order.
    std::vector<std::pair<StreamId, std::vector<uint8_t>>> early = std::move(c.early_in);
    c.early_in.clear();
    c.early_in_bytes = 0;
    for (auto& [stream, bytes] : early)
      on_stream_data(h, stream, bytes, false);
  }

  // Writes what the AuthSession has to say (the server waits for the stream).
  void flush_auth(Conn& c) {
    if (!c.auth)
      return;
    std::vector<uint8_t> out;
    c.auth->take_output(&out);
    if (c.control < 0) {
      c.early_out.insert(c.early_out.end(), out.begin(), out.end());
      return;
    }
    if (!c.early_out.empty()) {
      out.insert(out.begin(), c.early_out.begin(), c.early_out.end());
      c.early_out.clear();
    }
    if (out.empty())
      return;
    if (Status s = endpoint->send(c.handle, c.control, out, false); !s.is_ok())
      close_conn(c, kCloseProtocolViolation, "auth send failed");
  }

  void on_stream_data(ConnHandle h, StreamId stream, std::span<const uint8_t> data, bool fin) {
    auto it = conns.find(h);
    if (it == conns.end())
      it = conns.emplace(h, Conn{}).first;  // inbound, before on_connected
    if (it->second.closing)
      return;
    Conn& c = it->second;
    if (!c.outbound && !c.connected) {
      c.handle = h;
      if (c.early_in_bytes + data.size() > kEarlyBytesMax) {
        close_conn(c, kCloseProtocolViolation, "too much data before the handshake");
        return;
      }
      c.early_in_bytes += data.size();
      c.early_in.emplace_back(stream, std::vector<uint8_t>(data.begin(), data.end()));
      return;
    }
    c.last_activity = Clock::now();
    if (c.control < 0 && !c.outbound && (stream & 0x3) == 0) {
      c.control = stream;  // the first client-initiated bidirectional stream
      flush_auth(c);
    }
    if (stream != c.control) {
      if (c.authed)
        read_app(c, stream, data);
      else
        close_conn(c, kCloseProtocolViolation, "application stream before authentication");
      if (fin)
        c.app_in.erase(stream);
      return;
    }
    if (!c.authed) {
      if (!c.auth) {
        close_conn(c, kCloseProtocolViolation, "data before the handshake");
        return;
      }
      const size_t used = c.auth->on_bytes(now(), data);
      flush_auth(c);
      if (!auth_progress(c)) {
        if (fin && !c.closing && c.auth) {
          c.auth->on_stream_end(now());  // the stream ended inside the exchange
          flush_auth(c);
          auth_progress(c);
        }
        return;
      }
      data = data.subspan(used);
    }
    if (!data.empty())
      read_frames(c, data);
    if (fin && !c.closing && c.authed) {
      // The peer finished its control stream: it is going away.
      close_conn(c, kCloseNormal, "control stream finished");
    }
  }

  // After the AuthSession moved: true if the connection is authenticated now.
  bool auth_progress(Conn& c) {
    switch (c.auth->state()) {
      case AuthState::kRunning:
        return false;
      case AuthState::kRejected:
        on_auth_rejected(c);
        return false;
      case AuthState::kAccepted:
        on_authenticated(c);
        return c.authed;
    }
    return false;
  }

  void on_auth_rejected(Conn& c) {
    std::string reason(to_string(c.auth->reason()));
    stats.auth_rejected += 1;
    stats.auth_rejections[reason] += 1;
    if (c.auth->reason() == AuthReason::kRejectedByPeer)
      reason += " (their reason: " + std::string(to_string(c.auth->peer_reason())) + ")";
    std::string who = c.outbound ? std::string(names.name(c.dialed)) : std::string("?");
    if (!c.auth->peer_name().empty())
      who = std::string(c.auth->peer_name());
    log.warn("authentication with " + who + " at " + c.remote + " failed: " + reason +
             (c.auth->detail().empty() ? "" : " (" + std::string(c.auth->detail()) + ")"));
    // The REJECT frame was written to the stream just before; the close
    // carries the reason too, for a peer that does not get to read it.
    close_conn(c, kCloseAuthRejected, reason);
    c.auth.reset();
  }

  void on_authenticated(Conn& c) {
    Result<NodeId> id = names.intern(c.auth->peer_name());
    if (!id.is_ok() || *id == self) {
      log.warn("authenticated peer at " + c.remote + " is unusable: " +
               (id.is_ok() ? std::string("it is this node") : id.status().to_string()));
      close_conn(c, kCloseAuthRejected, "unusable peer");
      return;
    }
    c.authed = true;
    c.peer = *id;
    stats.auth_accepted += 1;
    const bool pinned = c.auth->pinned_on_this_session();
    c.auth.reset();
    Peer& p = peers[c.peer.value()];
    const std::string name(names.name(c.peer));
    log.info("peer " + name + " authenticated at " + c.remote +
             (c.outbound ? " (outbound)" : " (inbound)") + (pinned ? ", key pinned" : ""));
    if (p.dialing == c.handle)
      p.dialing = 0;
    if (Conn* other = usable(p); other != nullptr && other->handle != c.handle) {
      // Simultaneous dials: keep the one dialed by the node whose name sorts
      // first; both ends apply the same rule, so they keep the same one.
      auto dialer_of = [&](const Conn& x) {
        return x.outbound ? std::string_view(config.name) : std::string_view(name);
      };
      const bool keep_new = dialer_of(c) < dialer_of(*other) ||
                            (dialer_of(c) == dialer_of(*other) && c.handle > other->handle);
      Conn& loser = keep_new ? *other : c;
      loser.retired = true;
      stats.duplicate_connections += 1;
      if (keep_new)
        p.conn = c.handle;
    } else {
      p.conn = c.handle;
    }
    if (Conn* use = usable(p)) {
      for (auto& [app, frame] : p.pending) {
        if (app)
          write_app(*use, frame);
        else
          write_frame(*use, frame);
      }
      drop_pending(p);
    }
  }

  void read_frames(Conn& c, std::span<const uint8_t> data) {
    c.reader.push(data);
    // Bounded by the bytes buffered: each frame consumes at least a header.
    for (size_t i = 0; i <= data.size(); ++i) {
      Result<Message> m = c.reader.next(names);
      if (!m.is_ok()) {
        if (m.status().code() == Code::kTruncated)
          return;
        stats.frames_rejected += 1;
        log.warn("malformed frame from " + std::string(names.name(c.peer)) + ": " +
                 m.status().to_string() + "; closing the connection");
        close_conn(c, kCloseProtocolViolation, "malformed frame");
        return;
      }
      stats.frames_received += 1;
      const NodeId from = c.peer;
      input([this, from, msg = std::move(m).value()] {
        const Instant t = now();
        record([&] {
          return record::Input{
              .kind = record::InputKind::kDeliver, .now = t, .peer = from, .msg = msg};
        });
        Status s = node->deliver(t, from, msg);
        if (!s.is_ok())
          log.debug("message from " + std::string(names.name(from)) +
                    " rejected by the core: " + s.to_string());
      });
    }
  }

  void on_closed(ConnHandle h, CloseReason reason, std::string_view detail) {
    auto it = conns.find(h);
    if (it == conns.end())
      return;
    Conn c = std::move(it->second);
    conns.erase(it);
    if (c.authed) {
      auto pit = peers.find(c.peer.value());
      if (pit == peers.end())
        return;
      Peer& p = pit->second;
      if (p.conn != h)
        return;  // a retired duplicate
      p.conn = 0;
      log.info("connection to " + std::string(names.name(c.peer)) +
               " closed: " + std::string(to_string(reason)) +
               (detail.empty() ? "" : " (" + std::string(detail) + ")") +
               (p.monitored ? " [monitored]" : "") + (p.dialing != 0 ? " [dialing]" : ""));
      if (p.monitored)
        link_down(c.peer);  // the core drops it from the active view and repairs
      else if (!p.pending.empty())
        dial(c.peer);
      return;
    }
    if (c.auth && c.auth->state() == AuthState::kRunning) {
      // Closed mid-authentication. By the peer: it refused us (its
      // CONNECTION_CLOSE names its reason). Otherwise it went away (a crash
      // or a timeout): a lost connection, not a refusal.
      if (reason == CloseReason::kPeerClose) {
        stats.auth_rejected += 1;
        stats.auth_rejections["rejected_by_peer"] += 1;
      }
      log.warn("connection to " + c.remote +
               " closed during authentication: " + std::string(to_string(reason)) +
               (detail.empty() ? "" : " (" + std::string(detail) + ")"));
    }
    if (c.outbound) {
      Peer& p = peers[c.dialed.value()];
      if (p.dialing != h)
        return;
      p.dialing = 0;
      if (usable(p) != nullptr)
        return;
      stats.dial_failures += 1;
      resolver.on_dial_failed(names.name(c.dialed));
      log.info("could not reach " + std::string(names.name(c.dialed)) + " at " + c.remote + ": " +
               std::string(to_string(reason)) +
               (detail.empty() ? "" : " (" + std::string(detail) + ")"));
      drop_pending(p);
      link_failed(c.dialed);
    }
  }

  // --- Housekeeping -----------------------------------------------------------

  void arm_housekeeping() {
    if (stopped)
      return;
    housekeeping.expires_after(kHousekeepingPeriod);
    std::weak_ptr<Impl*> weak = alive;
    housekeeping.async_wait([weak](const boost::system::error_code& ec) {
      auto self_ptr = weak.lock();
      if (ec || !self_ptr)
        return;
      (*self_ptr)->tick();
    });
  }

  void tick() {
    const auto wall = Clock::now();
    const Instant t = now();
    std::vector<ConnHandle> handles;
    handles.reserve(conns.size());
    for (const auto& [h, c] : conns)
      handles.push_back(h);
    for (ConnHandle h : handles) {
      auto it = conns.find(h);
      if (it == conns.end())
        continue;
      Conn& c = it->second;
      if (c.closing)
        continue;
      if (!c.authed) {
        if (c.auth && t >= c.auth->deadline()) {
          c.auth->on_timer(t);
          flush_auth(c);
          auth_progress(c);
        }
        continue;
      }
      const bool flushed = endpoint->unacked_bytes(h) == 0;
      if ((c.retired || c.close_flushed) && flushed) {
        close_conn(c, c.retired ? kCloseDuplicate : kCloseNormal,
                   c.retired ? "duplicate connection" : "link closed");
        continue;
      }
      auto pit = peers.find(c.peer.value());
      const bool monitored = pit != peers.end() && pit->second.monitored;
      if (!monitored && flushed &&
          wall - c.last_activity >= std::chrono::microseconds(config.transient_idle.us())) {
        stats.transient_reaped += 1;
        close_conn(c, kCloseIdle, "idle");
      }
    }
    arm_housekeeping();
  }
};

namespace {

// Forwards the endpoint's callbacks to the Impl (which outlives the endpoint).
class Handler final : public EndpointHandler {
 public:
  explicit Handler(Runtime::Impl& impl) : impl_(impl) {}
  void on_connected(ConnHandle conn, bool outbound, const Exporter& exporter,
                    const asio::ip::udp::endpoint& remote) override {
    if (!impl_.stopped)
      impl_.on_connected(conn, outbound, exporter, remote);
  }
  void on_stream_data(ConnHandle conn, StreamId stream, std::span<const uint8_t> data,
                      bool fin) override {
    if (!impl_.stopped)
      impl_.on_stream_data(conn, stream, data, fin);
  }
  void on_stream_reset(ConnHandle, StreamId, uint64_t) override {}
  void on_closed(ConnHandle conn, CloseReason reason, std::string_view detail) override {
    if (!impl_.stopped)
      impl_.on_closed(conn, reason, detail);
  }

 private:
  Runtime::Impl& impl_;
};

}  // namespace

Result<std::unique_ptr<Runtime>> Runtime::create(asio::io_context& io, const RuntimeConfig& config,
                                                 const AuthCrypto& crypto, PinStore& pins,
                                                 Resolver& resolver, Logger logger) {
  if (sodium_init() < 0)
    return Status(Code::kInternal, "libsodium failed to initialise");
  if (Status s = validate_node_name(config.name); !s.is_ok())
    return Status::invalid_argument("node name '" + config.name + "': " + std::string(s.message()));
  auto impl = std::make_unique<Impl>(io, config, crypto, pins, resolver, std::move(logger));
  Result<NodeId> self = impl->names.intern(config.name);
  if (!self.is_ok())
    return self.status();
  impl->self = *self;
  uint64_t seed = config.seed;
  while (seed == 0)
    randombytes_buf(&seed, sizeof seed);
  const Instant created_at = impl->now();
  const uint64_t boot_wall_us = wall_us();
  Result<std::unique_ptr<Node>> node =
      Node::create(config.node, impl->names, impl->self, seed, created_at, boot_wall_us);
  if (!node.is_ok())
    return node.status();
  impl->node = std::move(node).value();
  if (!config.record_path.empty()) {
    impl->record_file.open(config.record_path, std::ios::binary | std::ios::trunc);
    if (!impl->record_file)
      return Status(Code::kIo, "cannot create the record file " + config.record_path);
    impl->recorder.emplace(impl->names);
    Status s = impl->recorder->create(record::Create{.config = config.node,
                                                     .self = config.name,
                                                     .seed = seed,
                                                     .now = created_at,
                                                     .boot_wall_us = boot_wall_us,
                                                     .names_max = config.names_max});
    if (!s.is_ok())
      return s;
    impl->write_record(true);
    if (!impl->recorder)
      return Status(Code::kIo, "cannot write the record file " + config.record_path);
  }
  impl->handler = std::make_unique<Handler>(*impl);
  Result<std::unique_ptr<Endpoint>> ep = Endpoint::create(io, config.quic, *impl->handler);
  if (!ep.is_ok())
    return ep.status();
  impl->endpoint = std::move(ep).value();
  if (!config.auth.enabled)
    impl->log.warn(
        "authentication is DISABLED (auth_enabled: false): any peer that knows the "
        "cookie is accepted under the name it claims. Development only.");
  impl->log.info("listening on UDP port " + std::to_string(impl->endpoint->local_port()));
  impl->arm_housekeeping();
  return std::unique_ptr<Runtime>(new Runtime(std::move(impl)));
}

Runtime::Runtime(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Runtime::~Runtime() {
  if (impl_->endpoint)
    shutdown();
}

void Runtime::shutdown() {
  if (impl_->stopped)
    return;
  impl_->stopped = true;  // the endpoint's last callbacks are ignored
  impl_->record_file.close();
  impl_->recorder.reset();
  impl_->node_timer.cancel();
  impl_->housekeeping.cancel();
  impl_->endpoint->shutdown();
}

void Runtime::abort() {
  if (impl_->stopped)
    return;
  impl_->stopped = true;
  impl_->record_file.close();
  impl_->recorder.reset();
  impl_->node_timer.cancel();
  impl_->housekeeping.cancel();
  impl_->endpoint.reset();  // abrupt: no CONNECTION_CLOSE (quic_endpoint.h)
}

namespace {
Status busy_error() {
  return Status::failed_precondition(
      "runtime API called from inside an event callback: post it to the io_context instead");
}
}  // namespace

Status Runtime::join(std::string_view contact) {
  if (impl_->busy)
    return busy_error();
  Result<NodeId> id = impl_->names.intern(contact);
  if (!id.is_ok())
    return id.status();
  Status out;
  impl_->input([&] {
    const Instant t = impl_->now();
    impl_->record(
        [&] { return record::Input{.kind = record::InputKind::kJoin, .now = t, .peer = *id}; });
    out = impl_->node->join(t, *id);
  });
  return out;
}

void Runtime::leave() {
  BARREL_ASSERT(!impl_->busy && "post leave() to the io_context from callbacks");
  impl_->input([&] {
    const Instant t = impl_->now();
    impl_->record([&] { return record::Input{.kind = record::InputKind::kLeave, .now = t}; });
    impl_->node->leave(t);
  });
}

Result<MessageId> Runtime::broadcast(std::span<const uint8_t> payload) {
  if (impl_->busy)
    return busy_error();
  Result<MessageId> out = Status(Code::kInternal, "not run");
  impl_->input([&] {
    const Instant t = impl_->now();
    impl_->record([&] {
      return record::Input{.kind = record::InputKind::kBroadcast,
                           .now = t,
                           .payload = std::vector<uint8_t>(payload.begin(), payload.end())};
    });
    out = impl_->node->broadcast(t, payload);
  });
  return out;
}

Status Runtime::register_service(std::string_view name, EndpointId endpoint,
                                 const Metadata& metadata) {
  if (impl_->busy)
    return busy_error();
  Status out;
  impl_->input([&] {
    const Instant t = impl_->now();
    impl_->record([&] {
      return record::Input{.kind = record::InputKind::kRegisterService,
                           .now = t,
                           .service = std::string(name),
                           .endpoint = endpoint,
                           .metadata = metadata};
    });
    out = impl_->node->register_service(t, name, endpoint, metadata);
  });
  return out;
}

Status Runtime::unregister_service(std::string_view name) {
  if (impl_->busy)
    return busy_error();
  Status out;
  impl_->input([&] {
    const Instant t = impl_->now();
    impl_->record([&] {
      return record::Input{
          .kind = record::InputKind::kUnregisterService, .now = t, .service = std::string(name)};
    });
    out = impl_->node->unregister_service(t, name);
  });
  return out;
}

void Runtime::close_endpoint(EndpointId endpoint) {
  BARREL_ASSERT(!impl_->busy && "post close_endpoint() to the io_context from callbacks");
  impl_->input([&] {
    const Instant t = impl_->now();
    impl_->record([&] {
      return record::Input{
          .kind = record::InputKind::kCloseEndpoint, .now = t, .endpoint = endpoint};
    });
    impl_->node->close_endpoint(t, endpoint);
  });
}

std::vector<ServiceInstance> Runtime::lookup(std::string_view name) const {
  return impl_->node->lookup(name);
}
std::optional<ServiceInstance> Runtime::whereis(std::string_view name) const {
  return impl_->node->whereis(name);
}

std::vector<std::string> Runtime::active_view() const {
  std::vector<std::string> out;
  for (NodeId id : impl_->node->active_view())
    out.emplace_back(impl_->names.name(id));
  return out;
}
std::vector<std::string> Runtime::passive_view() const {
  std::vector<std::string> out;
  for (NodeId id : impl_->node->passive_view())
    out.emplace_back(impl_->names.name(id));
  return out;
}
const std::string& Runtime::name() const {
  return impl_->config.name;
}
const Node& Runtime::node() const {
  return *impl_->node;
}
uint16_t Runtime::local_port() const {
  return impl_->endpoint->local_port();
}
const RuntimeStats& Runtime::stats() const {
  return impl_->stats;
}
const EndpointStats& Runtime::endpoint_stats() const {
  return impl_->endpoint->stats();
}
uint64_t Runtime::unacked_bytes() const {
  if (!impl_->endpoint)
    return 0;
  uint64_t total = 0;
  for (const auto& [h, c] : impl_->conns)
    total += impl_->endpoint->unacked_bytes(h);
  return total;
}
size_t Runtime::connection_count() const {
  return impl_->endpoint->connection_count();
}
const NameTable& Runtime::names() const {
  return impl_->names;
}
Status Runtime::send_app(std::string_view node, EndpointId to, EndpointId from,
                         std::span<const uint8_t> bytes) {
  if (impl_->stopped)
    return Status::failed_precondition("the runtime is shut down");
  return impl_->send_app(node, to, from, bytes);
}
void Runtime::on_app_message(AppHandler h) {
  impl_->app_handlers.push_back(std::move(h));
}
void Runtime::subscribe(Subscriber s) {
  impl_->subscribers.push_back(std::move(s));
}
Status Runtime::rebind_outbound() {
  return impl_->endpoint->rebind_outbound();
}

std::vector<std::string> Runtime::connected_peers() const {
  std::vector<std::string> out;
  for (const auto& [h, c] : impl_->conns) {
    if (c.authed && !c.retired && !c.closing)
      out.emplace_back(impl_->names.name(c.peer));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace barrel::transport
