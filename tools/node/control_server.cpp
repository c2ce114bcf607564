#include "node/control_server.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <set>
#include <utility>
#include <variant>
#include <vector>

#include "node/control_protocol.h"

namespace barrel::node {

namespace asio = boost::asio;
using Local = asio::local::stream_protocol;

namespace {

std::string errno_text(int e) {
  return std::strerror(e);
}

// A file descriptor closed on scope exit unless released.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Result<sockaddr_un> unix_address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path)
    return Status::invalid_argument("control socket path empty or longer than " +
                                    std::to_string(sizeof addr.sun_path - 1) + " bytes: " + path);
  std::memcpy(addr.sun_path, path.data(), path.size());
  return addr;
}

// Makes `path` free for bind(): nothing there, or a socket nobody listens on
// (left by a node that died), which is removed.
Status clear_stale(const std::string& path, const sockaddr_un& addr) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return Status::ok();
    return Status(Code::kIo, "stat " + path + ": " + errno_text(errno));
  }
  if (!S_ISSOCK(st.st_mode))
    return Status::failed_precondition(path + " exists and is not a socket");
  Fd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (probe.get() < 0)
    return Status(Code::kIo, "socket: " + errno_text(errno));
  if (::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0)
    return Status::failed_precondition("another process listens on " + path);
  if (errno != ECONNREFUSED)
    return Status(Code::kIo, "probe " + path + ": " + errno_text(errno));
  if (::unlink(path.c_str()) != 0)
    return Status(Code::kIo, "remove stale " + path + ": " + errno_text(errno));
  return Status::ok();
}

std::string to_hex_key(const PublicKey& k) {
  return transport::to_hex(k);
}

}  // namespace

struct Session {
  Session(Local::socket s, EndpointId ep) : sock(std::move(s)), endpoint(ep) {}
  Local::socket sock;
  EndpointId endpoint;
  FrameDecoder decoder;
  std::array<uint8_t, 16384> rbuf{};
  std::deque<std::vector<uint8_t>> outq;
  size_t out_bytes = 0;
  bool writing = false;
  bool closed = false;
  bool streaming = false;               // after recv/events: no more requests
  bool events = false;                  // streams events
  std::set<EndpointId> recv_endpoints;  // streams app messages to these
  std::set<std::string, std::less<>> registered;
};

// Messages for a registered endpoint that no `recv` is attached to yet (a
// --persistent service between readers, or a session between `register` and
// `recv`): kept, bounded, for the next reader instead of dropped.
struct Mailbox {
  std::deque<Frame> records;
  size_t bytes = 0;
  uint64_t dropped = 0;  // refused: the box was full
};

struct ControlServer::Impl : std::enable_shared_from_this<ControlServer::Impl> {
  Impl(asio::io_context& io_, std::string path_, transport::Runtime& rt, PinStore& p,
       const transport::NodeIdentity& id, transport::Logger log_, ControlServerOptions o)
      : io(io_),
        path(std::move(path_)),
        runtime(rt),
        pins(p),
        identity(id),
        log(std::move(log_)),
        options(o),
        acceptor(io_),
        retry(io_),
        next_endpoint(o.first_endpoint) {}

  asio::io_context& io;
  std::string path;
  transport::Runtime& runtime;
  PinStore& pins;
  const transport::NodeIdentity& identity;
  transport::Logger log;
  ControlServerOptions options;
  Local::acceptor acceptor;
  asio::steady_timer retry;  // after an accept error (EMFILE...): no busy loop
  ino_t socket_inode = 0;
  EndpointId next_endpoint;
  std::map<EndpointId, std::shared_ptr<Session>> sessions;
  std::map<std::string, EndpointId, std::less<>> persistent;
  std::map<EndpointId, Mailbox> mailboxes;  // per registered endpoint without a reader
  ControlServerStats stats;
  bool stopped = false;

  Status listen();
  void hook_runtime();
  void accept();
  void read(const std::shared_ptr<Session>& s);
  void on_bytes(const std::shared_ptr<Session>& s, size_t n);
  void send(const std::shared_ptr<Session>& s, const Frame& f);
  void pump(const std::shared_ptr<Session>& s);
  void close_session(const std::shared_ptr<Session>& s, std::string_view why);
  void stop();

  Status handle(Session& s, const std::vector<std::string>& req, std::vector<Frame>& rows);
  Status do_register(Session& s, const std::vector<std::string>& req, std::vector<Frame>& rows);
  Status do_unregister(const std::string& name);
  Status do_recv(Session& s, const std::string& name);

  void deliver_event(const std::vector<std::string>& rec);
  void deliver_app(const transport::AppMessage& m);
  bool is_registered_endpoint(EndpointId ep) const;
  void keep(EndpointId ep, Frame rec);
  void flush_mailboxes(const std::shared_ptr<Session>& s);
  void forget_registrations();
};

Status ControlServer::Impl::listen() {
  Result<sockaddr_un> addr = unix_address(path);
  if (!addr.is_ok())
    return addr.status();
  if (Status st = clear_stale(path, *addr); !st.is_ok())
    return st;
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0)
    return Status(Code::kIo, "socket: " + errno_text(errno));
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof *addr) != 0)
    return Status(Code::kIo, "bind " + path + ": " + errno_text(errno));
  // Nobody can connect before listen(), so restricting the mode between bind
  // and listen leaves no window in which another user gets in.
  struct stat st {};
  if (::chmod(path.c_str(), 0600) != 0 || ::lstat(path.c_str(), &st) != 0) {
    const int e = errno;
    ::unlink(path.c_str());
    return Status(Code::kIo, "chmod " + path + ": " + errno_text(e));
  }
  socket_inode = st.st_ino;
  if (::listen(fd.get(), 16) != 0) {
    const int e = errno;
    ::unlink(path.c_str());
    return Status(Code::kIo, "listen " + path + ": " + errno_text(e));
  }
  boost::system::error_code ec;
  acceptor.assign(Local(), fd.get(), ec);
  if (ec) {
    ::unlink(path.c_str());
    return Status(Code::kIo, "assign " + path + ": " + ec.message());
  }
  fd.release();
  return Status::ok();
}

void ControlServer::Impl::hook_runtime() {
  std::weak_ptr<Impl> weak = weak_from_this();
  // Runtime callbacks: turn the event into strings now (names() is the
  // runtime's table, read-only here) and deliver from a posted handler, where
  // dropping a slow client may call close_endpoint() safely.
  runtime.subscribe([weak, this](const Event& ev) {
    auto self = weak.lock();
    if (!self || stopped)
      return;
    const NameTable& names = runtime.names();
    std::vector<std::string> rec;
    std::visit(
        [&](const auto& e) {
          using E = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<E, PeerUp>) {
            rec = {"peer_up", std::string(names.name(e.peer))};
          } else if constexpr (std::is_same_v<E, PeerDown>) {
            rec = {"peer_down", std::string(names.name(e.peer)), std::string(to_string(e.reason))};
          } else if constexpr (std::is_same_v<E, ServiceRegistered>) {
            rec = {"service_registered", e.service, e.node};
          } else if constexpr (std::is_same_v<E, ServiceUnregistered>) {
            rec = {"service_unregistered", e.service, e.node};
          } else if constexpr (std::is_same_v<E, ServiceDown>) {
            rec = {"service_down", e.service, e.node, std::string(to_string(e.reason))};
          }
        },
        ev);
    if (rec.empty())
      return;  // broadcasts are not control-socket business
    asio::post(io, [weak, rec = std::move(rec)] {
      if (auto s = weak.lock(); s && !s->stopped)
        s->deliver_event(rec);
    });
  });
  runtime.on_app_message([weak, this](const transport::AppMessage& m) {
    auto self = weak.lock();
    if (!self || stopped)
      return;
    // Only messages for an endpoint of ours with a registration are copied:
    // one a session listens to, or one kept in a mailbox for a later reader.
    bool wanted = is_registered_endpoint(m.to_endpoint);
    for (const auto& [id, s] : sessions)
      wanted = wanted || s->recv_endpoints.count(m.to_endpoint) > 0;
    if (!wanted)
      return;
    asio::post(io, [weak, m] {
      if (auto s = weak.lock(); s && !s->stopped)
        s->deliver_app(m);
    });
  });
}

void ControlServer::Impl::deliver_event(const std::vector<std::string>& rec) {
  std::vector<std::shared_ptr<Session>> to;
  for (const auto& [id, s] : sessions) {
    if (s->events)
      to.push_back(s);
  }
  for (const auto& s : to)
    send(s, Frame{FrameKind::kRecord, rec});
}

void ControlServer::Impl::deliver_app(const transport::AppMessage& m) {
  std::vector<std::shared_ptr<Session>> to;
  for (const auto& [id, s] : sessions) {
    if (s->recv_endpoints.count(m.to_endpoint))
      to.push_back(s);
  }
  Frame rec{
      FrameKind::kRecord,
      {m.from_node, std::to_string(m.from_endpoint), std::string(m.bytes.begin(), m.bytes.end())}};
  if (to.empty()) {
    // Decided here, not in the Runtime callback: a reader that attached in
    // between gets the mailbox first, then this, in arrival order.
    if (is_registered_endpoint(m.to_endpoint))
      keep(m.to_endpoint, std::move(rec));
    return;
  }
  for (const auto& s : to)
    send(s, rec);
}

bool ControlServer::Impl::is_registered_endpoint(EndpointId ep) const {
  if (auto it = sessions.find(ep); it != sessions.end() && !it->second->registered.empty())
    return true;
  for (const auto& [name, id] : persistent) {
    if (id == ep)
      return true;
  }
  return false;
}

void ControlServer::Impl::keep(EndpointId ep, Frame rec) {
  Mailbox& box = mailboxes[ep];
  size_t size = 0;
  for (const std::string& f : rec.fields)
    size += f.size();
  if (box.records.size() >= options.mailbox_messages_max ||
      box.bytes + size > options.mailbox_bytes_max) {
    if (box.dropped++ == 0)
      log.warn("endpoint " + std::to_string(ep) +
               ": no recv attached and its mailbox is full; dropping messages");
    ++stats.mailbox_dropped;
    return;
  }
  ++stats.mailbox_kept;
  box.bytes += size;
  box.records.push_back(std::move(rec));
}

void ControlServer::Impl::flush_mailboxes(const std::shared_ptr<Session>& s) {
  for (EndpointId ep : s->recv_endpoints) {
    auto it = mailboxes.find(ep);
    if (it == mailboxes.end())
      continue;
    Mailbox box = std::move(it->second);
    mailboxes.erase(it);
    if (box.dropped > 0)
      log.warn("endpoint " + std::to_string(ep) + ": " + std::to_string(box.dropped) +
               " messages were dropped before a recv attached");
    for (Frame& rec : box.records)
      send(s, rec);
  }
}

void ControlServer::Impl::accept() {
  acceptor.async_accept(
      [self = shared_from_this()](boost::system::error_code ec, Local::socket sock) {
        if (self->stopped)
          return;
        if (ec) {
          self->log.warn("control socket accept: " + ec.message());
          self->retry.expires_after(std::chrono::milliseconds(100));
          self->retry.async_wait([self](boost::system::error_code) {
            if (!self->stopped)
              self->accept();
          });
          return;
        }
        if (self->sessions.size() >= self->options.clients_max) {
          ++self->stats.refused_full;
          self->log.warn("control socket: " + std::to_string(self->options.clients_max) +
                         " clients already, refusing one");
          boost::system::error_code ignored;
          sock.close(ignored);
        } else {
          ++self->stats.accepted;
          auto s = std::make_shared<Session>(std::move(sock), self->next_endpoint++);
          self->sessions.emplace(s->endpoint, s);
          self->log.debug("control client " + std::to_string(s->endpoint) + " connected");
          self->read(s);
        }
        self->accept();
      });
}

void ControlServer::Impl::read(const std::shared_ptr<Session>& s) {
  s->sock.async_read_some(asio::buffer(s->rbuf), [self = shared_from_this(), s](
                                                     boost::system::error_code ec, size_t n) {
    if (self->stopped || s->closed)
      return;
    if (ec) {
      self->close_session(s, ec == asio::error::eof ? "disconnected" : ec.message());
      return;
    }
    self->on_bytes(s, n);
    if (!s->closed)
      self->read(s);
  });
}

void ControlServer::Impl::on_bytes(const std::shared_ptr<Session>& s, size_t n) {
  const auto garbage = [&](const Status& why) {
    ++stats.dropped_garbage;
    log.warn("control client " + std::to_string(s->endpoint) +
             " sent garbage, disconnecting: " + why.to_string());
    close_session(s, "garbage");
  };
  if (Status st = s->decoder.feed(std::span<const uint8_t>(s->rbuf.data(), n)); !st.is_ok())
    return garbage(st);
  // Bounded: each turn consumes a frame from at most one buffer's worth.
  while (!s->closed) {
    Result<std::optional<Frame>> f = s->decoder.next();
    if (!f.is_ok())
      return garbage(f.status());
    if (!f->has_value())
      return;
    const Frame& req = **f;
    if (req.kind != FrameKind::kRequest)
      return garbage(Status(Code::kProtocolViolation, "a client sends requests only"));
    if (s->streaming)
      return garbage(Status(Code::kProtocolViolation, "a request after a streaming command"));
    ++stats.requests;
    std::vector<Frame> rows;
    Status st = handle(*s, req.fields, rows);
    for (const Frame& r : rows)
      send(s, r);
    send(s, st.is_ok() ? ok_frame() : error_frame(st));
    // After `recv`'s Ok: what waited in the mailbox, oldest first.
    if (st.is_ok() && s->streaming)
      flush_mailboxes(s);
  }
}

void ControlServer::Impl::send(const std::shared_ptr<Session>& s, const Frame& f) {
  if (s->closed)
    return;
  Result<std::vector<uint8_t>> bytes = encode_frame(f);
  if (!bytes.is_ok()) {
    // A row too large to frame (a huge message): say so instead.
    bytes = encode_frame(error_frame(bytes.status()));
    if (!bytes.is_ok())
      return;
  }
  if (s->out_bytes + bytes->size() > options.output_bytes_max) {
    ++stats.dropped_slow;
    log.warn("control client " + std::to_string(s->endpoint) + " does not read, disconnecting");
    close_session(s, "output limit");
    return;
  }
  s->out_bytes += bytes->size();
  s->outq.push_back(std::move(bytes).value());
  pump(s);
}

void ControlServer::Impl::pump(const std::shared_ptr<Session>& s) {
  if (s->writing || s->outq.empty() || s->closed)
    return;
  s->writing = true;
  asio::async_write(s->sock, asio::buffer(s->outq.front()),
                    [self = shared_from_this(), s](boost::system::error_code ec, size_t) {
                      s->writing = false;
                      if (self->stopped || s->closed)
                        return;
                      if (ec) {
                        self->close_session(s, ec.message());
                        return;
                      }
                      s->out_bytes -= s->outq.front().size();
                      s->outq.pop_front();
                      self->pump(s);
                    });
}

void ControlServer::Impl::close_session(const std::shared_ptr<Session>& s, std::string_view why) {
  if (s->closed)
    return;
  s->closed = true;
  boost::system::error_code ignored;
  s->sock.close(ignored);
  sessions.erase(s->endpoint);
  mailboxes.erase(s->endpoint);  // its registrations go with it
  log.debug("control client " + std::to_string(s->endpoint) + " closed (" + std::string(why) + ")");
  // Its registrations go down everywhere (ServiceDown kEndpointClosed).
  // Always called from an asio handler, never from a Runtime callback.
  runtime.close_endpoint(s->endpoint);
}

void ControlServer::Impl::stop() {
  if (stopped)
    return;
  std::vector<std::shared_ptr<Session>> all;
  for (const auto& [id, s] : sessions)
    all.push_back(s);
  for (const auto& s : all)
    close_session(s, "server stopping");
  stopped = true;
  boost::system::error_code ignored;
  acceptor.close(ignored);
  retry.cancel();
  // Remove the socket file only if it is still ours.
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode) && st.st_ino == socket_inode)
    ::unlink(path.c_str());
}

// --- Commands -----------------------------------------------------------------

namespace {

Status usage(std::string_view u) {
  return Status::invalid_argument("usage: " + std::string(u));
}

Frame instance_row(const ServiceInstance& i) {
  std::vector<std::string> f = {i.service, i.node, std::to_string(i.endpoint)};
  for (const auto& [k, v] : i.metadata) {
    f.push_back(k);
    f.push_back(v);
  }
  return row_frame(std::move(f));
}

Status no_service(const std::string& name) {
  return Status::not_found("no service named " + name);
}

}  // namespace

Status ControlServer::Impl::handle(Session& s, const std::vector<std::string>& req,
                                   std::vector<Frame>& rows) {
  const std::string& cmd = req[0];
  const size_t argc = req.size() - 1;
  if (cmd == "identity") {
    rows.push_back(
        row_frame({runtime.name(), to_hex_key(identity.public_key()), identity.fingerprint()}));
    return Status::ok();
  }
  if (cmd == "active-view" || cmd == "passive-view") {
    for (std::string& p : cmd == "active-view" ? runtime.active_view() : runtime.passive_view())
      rows.push_back(row_frame({std::move(p)}));
    return Status::ok();
  }
  if (cmd == "join")
    return argc == 1 ? runtime.join(req[1]) : usage("join CONTACT");
  if (cmd == "leave") {
    runtime.leave();
    forget_registrations();
    return Status::ok();
  }
  if (cmd == "register")
    return do_register(s, req, rows);
  if (cmd == "unregister")
    return argc == 1 ? do_unregister(req[1]) : usage("unregister NAME");
  if (cmd == "services") {
    for (const std::string& name : runtime.node().list_services())
      rows.push_back(row_frame({name, std::to_string(runtime.lookup(name).size())}));
    return Status::ok();
  }
  if (cmd == "lookup" || cmd == "whereis") {
    if (argc != 1)
      return usage(cmd + " NAME");
    if (cmd == "whereis") {
      std::optional<ServiceInstance> i = runtime.whereis(req[1]);
      if (!i)
        return no_service(req[1]);
      rows.push_back(instance_row(*i));
      return Status::ok();
    }
    std::vector<ServiceInstance> all = runtime.lookup(req[1]);
    if (all.empty())
      return no_service(req[1]);
    for (const ServiceInstance& i : all)
      rows.push_back(instance_row(i));
    return Status::ok();
  }
  if (cmd == "send") {
    if (argc != 2)
      return usage("send NAME MESSAGE");
    std::optional<ServiceInstance> i = runtime.whereis(req[1]);
    if (!i)
      return no_service(req[1]);
    const std::string& msg = req[2];
    Status st = runtime.send_app(
        i->node, i->endpoint, s.endpoint,
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(msg.data()), msg.size()));
    if (st.is_ok())
      rows.push_back(row_frame({i->node, std::to_string(i->endpoint)}));
    return st;
  }
  if (cmd == "recv")
    return argc == 1 ? do_recv(s, req[1]) : usage("recv NAME");
  if (cmd == "events") {
    if (argc != 0)
      return usage("events");
    s.streaming = true;
    s.events = true;
    return Status::ok();
  }
  if (cmd == "trust") {
    if (argc == 1 && req[1] == "list") {
      Result<std::vector<std::pair<std::string, PublicKey>>> pinned = pins.list();
      if (!pinned.is_ok())
        return pinned.status();
      for (const auto& [name, key] : *pinned)
        rows.push_back(row_frame({name, transport::fingerprint_hex(key), to_hex_key(key)}));
      return Status::ok();
    }
    if (argc == 2 && req[1] == "delete") {
      Status st = pins.remove(req[2]);
      if (st.code() == Code::kNotFound)
        return Status::not_found("no key pinned for " + req[2]);
      return st;
    }
    return usage("trust list | trust delete NAME");
  }
  return Status::invalid_argument("unknown command " + cmd);
}

Status ControlServer::Impl::do_register(Session& s, const std::vector<std::string>& req,
                                        std::vector<Frame>& rows) {
  if (req.size() < 3 || (req[2] != "session" && req[2] != "persistent"))
    return usage("register NAME session|persistent [KEY=VALUE...]");
  const std::string& name = req[1];
  Metadata md;
  for (size_t i = 3; i < req.size(); ++i) {
    const size_t eq = req[i].find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::invalid_argument("metadata must be KEY=VALUE: " + req[i]);
    md[req[i].substr(0, eq)] = req[i].substr(eq + 1);
  }
  const bool persist = req[2] == "persistent";
  const EndpointId ep = persist ? next_endpoint : s.endpoint;
  if (Status st = runtime.register_service(name, ep, md); !st.is_ok())
    return st;
  if (persist) {
    ++next_endpoint;
    persistent[name] = ep;
  } else {
    s.registered.insert(name);
  }
  rows.push_back(row_frame({name, std::to_string(ep)}));
  return Status::ok();
}

// leave() unregistered every service of the node, cluster-wide (Node::leave):
// the names this server kept for them go too, as `unregister` would drop
// them, so `services`, `recv` and `unregister` agree with the cluster and a
// `register` after the next join starts afresh. What waited in their
// mailboxes goes with them, as with `unregister`.
void ControlServer::Impl::forget_registrations() {
  size_t forgotten = persistent.size();
  for (const auto& [name, ep] : persistent)
    mailboxes.erase(ep);
  persistent.clear();
  for (const auto& [id, s] : sessions) {
    forgotten += s->registered.size();
    if (!s->registered.empty())
      mailboxes.erase(id);
    s->registered.clear();
  }
  if (forgotten > 0)
    log.info("left the cluster: " + std::to_string(forgotten) + " registration(s) forgotten");
}

Status ControlServer::Impl::do_unregister(const std::string& name) {
  if (Status st = runtime.unregister_service(name); !st.is_ok()) {
    if (st.code() == Code::kNotFound)
      return Status::not_found("this node has no service named " + name);
    return st;
  }
  if (auto it = persistent.find(name); it != persistent.end()) {
    mailboxes.erase(it->second);
    persistent.erase(it);
  }
  for (const auto& [id, other] : sessions) {
    if (other->registered.erase(name) > 0 && other->registered.empty())
      mailboxes.erase(id);
  }
  return Status::ok();
}

Status ControlServer::Impl::do_recv(Session& s, const std::string& name) {
  EndpointId ep = 0;
  if (s.registered.count(name)) {
    ep = s.endpoint;
  } else if (auto it = persistent.find(name); it != persistent.end()) {
    ep = it->second;
  } else {
    return Status::not_found(name +
                             " is not registered by this connection nor --persistent on this node");
  }
  s.streaming = true;
  s.recv_endpoints.insert(ep);
  return Status::ok();
}

// --- ControlServer --------------------------------------------------------------

Result<std::unique_ptr<ControlServer>> ControlServer::create(
    asio::io_context& io, const std::string& socket_path, transport::Runtime& runtime,
    PinStore& pins, const transport::NodeIdentity& identity, transport::Logger logger,
    ControlServerOptions options) {
  if (options.clients_max == 0 || options.output_bytes_max < kFrameBytesMax + 4)
    return Status::invalid_argument(
        "control server: clients_max must be > 0 and "
        "output_bytes_max at least one frame");
  auto impl =
      std::make_shared<Impl>(io, socket_path, runtime, pins, identity, std::move(logger), options);
  if (Status st = impl->listen(); !st.is_ok())
    return st;
  impl->hook_runtime();
  impl->accept();
  impl->log.info("control socket at " + socket_path);
  return std::unique_ptr<ControlServer>(new ControlServer(std::move(impl)));
}

ControlServer::ControlServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

ControlServer::~ControlServer() {
  impl_->stop();
}

const std::string& ControlServer::socket_path() const {
  return impl_->path;
}
size_t ControlServer::session_count() const {
  return impl_->sessions.size();
}
const ControlServerStats& ControlServer::stats() const {
  return impl_->stats;
}

}  // namespace barrel::node
