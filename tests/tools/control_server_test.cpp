// Tests of the control socket (tools/node/control_server.h) against real
// Runtimes on loopback, all on the Cluster's one io_context.
#include "node/control_server.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/write.hpp>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern char** environ;  // for posix_spawn

#include "node/control_protocol.h"
#include "transport/runtime/cluster.h"

namespace barrel::node {
namespace {

namespace asio = boost::asio;
using Local = asio::local::stream_protocol;
using transport::testing::Cluster;
using transport::testing::NodeOptions;
using transport::testing::TempDir;
using transport::testing::TestNode;

// A control client on the cluster's io_context: requests are written
// synchronously (small, into a Unix socket buffer), replies read async.
class Client {
 public:
  Client(asio::io_context& io, const std::string& path) : sock_(io) {
    boost::system::error_code ec;
    sock_.connect(Local::endpoint(path), ec);
    EXPECT_FALSE(ec) << ec.message();
    read();
  }
  void request(std::vector<std::string> fields) {
    Result<std::vector<uint8_t>> b = encode_frame({FrameKind::kRequest, std::move(fields)});
    ASSERT_TRUE(b.is_ok());
    raw(*b);
  }
  void raw(const std::vector<uint8_t>& bytes) {
    boost::system::error_code ec;
    asio::write(sock_, asio::buffer(bytes), ec);
    EXPECT_FALSE(ec) << ec.message();
  }
  // A read may still be pending: its handler runs after we are gone and
  // must not touch us.
  ~Client() {
    *alive_ = false;
    boost::system::error_code ignored;
    sock_.close(ignored);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  void close() { sock_.close(); }
  std::vector<Frame>& frames() { return frames_; }
  bool eof() const { return eof_; }
  // Index of the first Ok/Error frame at or after `from`, or -1.
  int terminal(size_t from) const {
    for (size_t i = from; i < frames_.size(); ++i) {
      if (frames_[i].kind == FrameKind::kOk || frames_[i].kind == FrameKind::kError)
        return static_cast<int>(i);
    }
    return -1;
  }

 private:
  void read() {
    sock_.async_read_some(
        asio::buffer(buf_), [this, alive = alive_](boost::system::error_code ec, size_t n) {
          if (!*alive)
            return;
          if (ec) {
            eof_ = true;
            return;
          }
          ASSERT_TRUE(dec_.feed(std::span<const uint8_t>(buf_.data(), n)).is_ok());
          for (int i = 0; i < 10000; ++i) {
            Result<std::optional<Frame>> f = dec_.next();
            ASSERT_TRUE(f.is_ok());
            if (!f->has_value())
              break;
            frames_.push_back(std::move(**f));
          }
          read();
        });
  }
  Local::socket sock_;
  std::array<uint8_t, 8192> buf_{};
  FrameDecoder dec_;
  std::vector<Frame> frames_;
  bool eof_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

struct Reply {
  std::vector<Frame> rows;
  Frame end;  // Ok or Error
  bool ok() const { return end.kind == FrameKind::kOk; }
  std::string error() const { return end.fields.size() == 2 ? end.fields[1] : ""; }
};

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = &cluster_.start("a@127.0.0.1");
    b_ = &cluster_.start("b@127.0.0.1");
    server_a_ = make_server(*a_, dir_.sub("a.sock"));
    server_b_ = make_server(*b_, dir_.sub("b.sock"));
  }
  void TearDown() override {
    server_a_.reset();
    server_b_.reset();
  }
  std::unique_ptr<ControlServer> make_server(TestNode& n, const std::string& path) {
    Result<std::unique_ptr<ControlServer>> s = ControlServer::create(
        cluster_.io(), path, *n.rt, n.pins, *n.identity,
        transport::Logger(
            n.name, transport::LogLevel::kDebug,
            [&n](transport::LogLevel, std::string_view l) { n.log.emplace_back(l); }));
    EXPECT_TRUE(s.is_ok()) << s.status().to_string();
    return s.is_ok() ? std::move(s).value() : nullptr;
  }
  Reply call(Client& c, std::vector<std::string> req) {
    const size_t from = c.frames().size();
    c.request(std::move(req));
    Reply r;
    EXPECT_TRUE(cluster_.run_until([&] { return c.terminal(from) >= 0 || c.eof(); }));
    const int end = c.terminal(from);
    if (end < 0) {
      r.end = error_frame(Status(Code::kIo, "no reply"));
      return r;
    }
    r.rows.assign(c.frames().begin() + static_cast<std::ptrdiff_t>(from), c.frames().begin() + end);
    r.end = c.frames()[static_cast<size_t>(end)];
    return r;
  }
  void join() {
    ASSERT_TRUE(b_->rt->join(a_->name).is_ok());
    ASSERT_TRUE(cluster_.run_until([&] {
      return a_->rt->active_view().size() == 1 && b_->rt->active_view().size() == 1;
    })) << cluster_.dump();
  }

  TempDir dir_;
  Cluster cluster_;
  TestNode* a_ = nullptr;
  TestNode* b_ = nullptr;
  std::unique_ptr<ControlServer> server_a_, server_b_;
};

TEST_F(ControlServerTest, SocketIsPrivate) {
  struct stat st {};
  ASSERT_EQ(::lstat(dir_.sub("a.sock").c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ControlServerTest, Identity) {
  Client c(cluster_.io(), dir_.sub("a.sock"));
  Reply r = call(c, {"identity"});
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].fields,
            (std::vector<std::string>{a_->name, transport::to_hex(a_->identity->public_key()),
                                      a_->identity->fingerprint()}));
  EXPECT_EQ(r.rows[0].fields[2].size(), 64u);
}

TEST_F(ControlServerTest, ViewsJoinAndTrust) {
  Client c(cluster_.io(), dir_.sub("b.sock"));
  ASSERT_TRUE(call(c, {"join", a_->name}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return b_->rt->active_view().size() == 1; }));
  Reply v = call(c, {"active-view"});
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v.rows.size(), 1u);
  EXPECT_EQ(v.rows[0].fields[0], a_->name);
  EXPECT_TRUE(call(c, {"passive-view"}).ok());
  // TOFU pinned a's key on b.
  Reply t = call(c, {"trust", "list"});
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].fields[0], a_->name);
  EXPECT_EQ(t.rows[0].fields[1], a_->identity->fingerprint());
  EXPECT_TRUE(call(c, {"trust", "delete", a_->name}).ok());
  EXPECT_EQ(b_->pins.size(), 0u);
  Reply again = call(c, {"trust", "delete", a_->name});
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(again.end.fields[0], "NotFound");
  EXPECT_FALSE(call(c, {"trust", "frobnicate"}).ok());
}

TEST_F(ControlServerTest, SessionRegistrationGoesDownWithTheConnection) {
  join();
  std::vector<ServiceDown> downs;
  b_->rt->subscribe([&](const Event& e) {
    if (auto* d = std::get_if<ServiceDown>(&e))
      downs.push_back(*d);
  });
  auto c = std::make_unique<Client>(cluster_.io(), dir_.sub("a.sock"));
  Reply r = call(*c, {"register", "web", "session", "role=front", "zone=eu"});
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_TRUE(cluster_.run_until([&] { return b_->rt->lookup("web").size() == 1; }));
  const ServiceInstance seen = b_->rt->lookup("web")[0];
  EXPECT_EQ(seen.node, a_->name);
  EXPECT_EQ(seen.metadata, (Metadata{{"role", "front"}, {"zone", "eu"}}));
  EXPECT_EQ(r.rows.at(0).fields, (std::vector<std::string>{"web", std::to_string(seen.endpoint)}));

  // Lookup through b's control socket shows it, with its metadata.
  Client cb(cluster_.io(), dir_.sub("b.sock"));
  Reply l = call(cb, {"lookup", "web"});
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l.rows.size(), 1u);
  EXPECT_EQ(l.rows[0].fields,
            (std::vector<std::string>{"web", a_->name, std::to_string(seen.endpoint), "role",
                                      "front", "zone", "eu"}));
  Reply svcs = call(cb, {"services"});
  ASSERT_TRUE(svcs.ok());
  ASSERT_EQ(svcs.rows.size(), 1u);
  EXPECT_EQ(svcs.rows[0].fields, (std::vector<std::string>{"web", "1"}));

  c->close();
  ASSERT_TRUE(cluster_.run_until([&] { return b_->rt->lookup("web").empty(); }));
  ASSERT_TRUE(cluster_.run_until([&] { return !downs.empty(); }));
  EXPECT_EQ(downs[0].service, "web");
  EXPECT_EQ(downs[0].reason, ServiceDownReason::kEndpointClosed);
  EXPECT_TRUE(a_->rt->lookup("web").empty());
  EXPECT_EQ(server_a_->session_count(), 0u);
}

TEST_F(ControlServerTest, PersistentRegistrationOutlivesTheConnection) {
  {
    Client c(cluster_.io(), dir_.sub("a.sock"));
    Reply r = call(c, {"register", "db", "persistent"});
    ASSERT_TRUE(r.ok()) << r.error();
    c.close();
    ASSERT_TRUE(cluster_.run_until([&] { return server_a_->session_count() == 0; }));
  }
  // The session is gone (its endpoint closed); the persistent one stays.
  ASSERT_EQ(a_->rt->lookup("db").size(), 1u);
  Client c2(cluster_.io(), dir_.sub("a.sock"));
  EXPECT_TRUE(call(c2, {"whereis", "db"}).ok());
  EXPECT_TRUE(call(c2, {"unregister", "db"}).ok());
  EXPECT_TRUE(a_->rt->lookup("db").empty());
  Reply again = call(c2, {"unregister", "db"});
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(again.end.fields[0], "NotFound");
}

// `leave` unregisters the node's services cluster-wide (Node::leave); the
// server forgets the names it kept for them, so unregister and recv say they
// are gone, and the same names register afresh after the next join.
TEST_F(ControlServerTest, LeaveForgetsTheRegistrations) {
  join();
  Client c(cluster_.io(), dir_.sub("a.sock"));
  ASSERT_TRUE(call(c, {"register", "db", "persistent"}).ok());
  ASSERT_TRUE(call(c, {"register", "web", "session"}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return b_->rt->lookup("db").size() == 1; }));
  ASSERT_TRUE(call(c, {"leave"}).ok());
  EXPECT_TRUE(a_->rt->lookup("db").empty());
  ASSERT_TRUE(cluster_.run_until([&] { return b_->rt->lookup("db").empty(); }));
  EXPECT_TRUE(b_->rt->lookup("web").empty());
  for (const char* name : {"db", "web"}) {
    Reply u = call(c, {"unregister", name});
    EXPECT_FALSE(u.ok()) << name;
    EXPECT_EQ(u.end.fields.at(0), "NotFound") << name;
    Reply r = call(c, {"recv", name});
    EXPECT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.end.fields.at(0), "NotFound") << name;
  }
  ASSERT_TRUE(call(c, {"join", b_->name}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return a_->rt->active_view().size() == 1; }));
  ASSERT_TRUE(call(c, {"register", "db", "persistent"}).ok());
  ASSERT_TRUE(call(c, {"register", "web", "session"}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return b_->rt->lookup("db").size() == 1; }));
  EXPECT_TRUE(call(c, {"unregister", "db"}).ok());
}

TEST_F(ControlServerTest, SendAndReceiveAcrossNodes) {
  join();
  Client rx(cluster_.io(), dir_.sub("a.sock"));
  ASSERT_TRUE(call(rx, {"register", "echo", "session"}).ok());
  ASSERT_TRUE(call(rx, {"recv", "echo"}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return b_->rt->whereis("echo").has_value(); }));

  Client tx(cluster_.io(), dir_.sub("b.sock"));
  const std::string binary("x\0y\xff", 4);
  Reply s1 = call(tx, {"send", "echo", "hello"});
  ASSERT_TRUE(s1.ok()) << s1.error();
  EXPECT_EQ(s1.rows.at(0).fields.at(0), a_->name);
  ASSERT_TRUE(call(tx, {"send", "echo", binary}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return rx.frames().size() >= 4; }));
  // frames: Ok(register-row excluded)... find the records.
  std::vector<Frame> recs;
  for (const Frame& f : rx.frames()) {
    if (f.kind == FrameKind::kRecord)
      recs.push_back(f);
  }
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields.at(0), b_->name);
  EXPECT_EQ(recs[0].fields.at(2), "hello");
  EXPECT_EQ(recs[1].fields.at(2), binary);
  // The sender's endpoint is its session's: distinct from the receiver's.
  EXPECT_NE(recs[0].fields.at(1), "0");

  // recv of a name this connection did not register is refused.
  Reply bad = call(tx, {"recv", "echo"});
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.end.fields[0], "NotFound");
  // A request after a streaming command is a protocol violation.
  rx.request({"identity"});
  ASSERT_TRUE(cluster_.run_until([&] { return rx.eof(); }));
}

// Messages for a persistent service with no `recv` attached wait in its
// mailbox; the next `recv` gets them first, in order, then new ones.
TEST_F(ControlServerTest, MessagesWaitForTheNextRecv) {
  join();
  Client owner(cluster_.io(), dir_.sub("a.sock"));
  ASSERT_TRUE(call(owner, {"register", "inbox", "persistent"}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return b_->rt->whereis("inbox").has_value(); }));
  Client tx(cluster_.io(), dir_.sub("b.sock"));
  for (const char* m : {"one", "two"})
    ASSERT_TRUE(call(tx, {"send", "inbox", m}).ok());
  // Arrived (and kept) before anyone reads.
  ASSERT_TRUE(cluster_.run_until([&] { return server_a_->stats().mailbox_kept == 2; }));

  Client rx(cluster_.io(), dir_.sub("a.sock"));
  ASSERT_TRUE(call(rx, {"recv", "inbox"}).ok());
  ASSERT_TRUE(call(tx, {"send", "inbox", "three"}).ok());
  const auto records = [&] {
    std::vector<std::string> out;
    for (const Frame& f : rx.frames()) {
      if (f.kind == FrameKind::kRecord)
        out.push_back(f.fields.at(2));
    }
    return out;
  };
  ASSERT_TRUE(cluster_.run_until([&] { return records().size() >= 3; }));
  EXPECT_EQ(records(), (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(server_a_->stats().mailbox_kept, 2u);  // "three" went straight through

  // The reader goes away: the mailbox fills again; a name nobody registered
  // keeps nothing.
  rx.close();
  ASSERT_TRUE(cluster_.run_until([&] { return server_a_->session_count() == 1; }));
  ASSERT_TRUE(call(tx, {"send", "inbox", "four"}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return server_a_->stats().mailbox_kept == 3; }));
  Client rx2(cluster_.io(), dir_.sub("a.sock"));
  ASSERT_TRUE(call(rx2, {"recv", "inbox"}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return rx2.frames().size() >= 2; }));
  EXPECT_EQ(rx2.frames().at(1).kind, FrameKind::kRecord);
  EXPECT_EQ(rx2.frames().at(1).fields.at(2), "four");
}

// The mailbox is bounded: beyond mailbox_messages_max, messages are dropped
// and counted, and what was kept is still delivered.
TEST_F(ControlServerTest, MailboxIsBounded) {
  join();
  const std::string path = dir_.sub("small.sock");
  Result<std::unique_ptr<ControlServer>> s = ControlServer::create(
      cluster_.io(), path, *a_->rt, a_->pins, *a_->identity,
      transport::Logger("x", transport::LogLevel::kError),
      ControlServerOptions{.first_endpoint = 1000, .mailbox_messages_max = 2});
  ASSERT_TRUE(s.is_ok());
  Client owner(cluster_.io(), path);
  ASSERT_TRUE(call(owner, {"register", "box", "persistent"}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return b_->rt->whereis("box").has_value(); }));
  Client tx(cluster_.io(), dir_.sub("b.sock"));
  for (const char* m : {"1", "2", "3"})
    ASSERT_TRUE(call(tx, {"send", "box", m}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return (*s)->stats().mailbox_dropped == 1; }));
  EXPECT_EQ((*s)->stats().mailbox_kept, 2u);
  Client rx(cluster_.io(), path);
  ASSERT_TRUE(call(rx, {"recv", "box"}).ok());
  ASSERT_TRUE(cluster_.run_until([&] { return rx.frames().size() >= 3; }));
  EXPECT_EQ(rx.frames().at(1).fields.at(2), "1");
  EXPECT_EQ(rx.frames().at(2).fields.at(2), "2");
}

TEST_F(ControlServerTest, UnknownServiceIsAClearError) {
  Client c(cluster_.io(), dir_.sub("a.sock"));
  for (const char* cmd : {"send", "lookup", "whereis"}) {
    std::vector<std::string> req = {cmd, "nope"};
    if (std::string(cmd) == "send")
      req.push_back("hi");
    Reply r = call(c, req);
    EXPECT_FALSE(r.ok()) << cmd;
    EXPECT_EQ(r.end.fields.at(0), "NotFound");
    EXPECT_EQ(r.error(), "no service named nope");
  }
  Reply u = call(c, {"frobnicate"});
  EXPECT_EQ(u.error(), "unknown command frobnicate");
  // Errors do not end the session.
  EXPECT_TRUE(call(c, {"identity"}).ok());
}

TEST_F(ControlServerTest, EventsStream) {
  Client ev(cluster_.io(), dir_.sub("a.sock"));
  ASSERT_TRUE(call(ev, {"events"}).ok());
  join();
  {
    Client c(cluster_.io(), dir_.sub("a.sock"));
    ASSERT_TRUE(call(c, {"register", "tmp", "session"}).ok());
  }  // closed: service_down
  const auto has = [&](const std::vector<std::string>& want) {
    for (const Frame& f : ev.frames()) {
      if (f.kind == FrameKind::kRecord && f.fields == want)
        return true;
    }
    return false;
  };
  ASSERT_TRUE(cluster_.run_until([&] {
    return has({"peer_up", b_->name}) && has({"service_registered", "tmp", a_->name}) &&
           has({"service_down", "tmp", a_->name, "endpoint_closed"});
  })) << ev.frames().size();
}

TEST_F(ControlServerTest, GarbageClientIsDroppedOthersServed) {
  Client bad(cluster_.io(), dir_.sub("a.sock"));
  bad.raw({0, 0, 0, 6, 7, 7, 7, 7, 7, 7});  // version 7
  ASSERT_TRUE(cluster_.run_until([&] { return bad.eof(); }));
  Client bad2(cluster_.io(), dir_.sub("a.sock"));
  bad2.raw({0xff, 0xff, 0xff, 0xff});  // a 4 GiB frame
  ASSERT_TRUE(cluster_.run_until([&] { return bad2.eof(); }));
  EXPECT_EQ(server_a_->stats().dropped_garbage, 2u);
  EXPECT_TRUE(a_->logged("sent garbage"));
  Client good(cluster_.io(), dir_.sub("a.sock"));
  EXPECT_TRUE(call(good, {"identity"}).ok());
}

TEST_F(ControlServerTest, TooManyClientsAreRefused) {
  const std::string path = dir_.sub("small.sock");
  server_a_.reset();
  Result<std::unique_ptr<ControlServer>> s = ControlServer::create(
      cluster_.io(), path, *a_->rt, a_->pins, *a_->identity,
      transport::Logger("x", transport::LogLevel::kError), ControlServerOptions{.clients_max = 1});
  ASSERT_TRUE(s.is_ok());
  Client one(cluster_.io(), path);
  EXPECT_TRUE(call(one, {"identity"}).ok());
  Client two(cluster_.io(), path);
  ASSERT_TRUE(cluster_.run_until([&] { return two.eof(); }));
  EXPECT_EQ((*s)->stats().refused_full, 1u);
}

// A client that stops reading is dropped once its unread output passes the
// bound; its registration goes with it.
TEST_F(ControlServerTest, ClientThatDoesNotReadIsDropped) {
  const std::string path = dir_.sub("slow.sock");
  Result<std::unique_ptr<ControlServer>> s =
      ControlServer::create(cluster_.io(), path, *a_->rt, a_->pins, *a_->identity,
                            transport::Logger("x", transport::LogLevel::kError),
                            ControlServerOptions{.output_bytes_max = 2 * kFrameBytesMax});
  ASSERT_TRUE(s.is_ok());
  Local::socket mute(cluster_.io());
  mute.connect(Local::endpoint(path));
  std::vector<uint8_t> reqs;
  for (const Frame& f : {Frame{FrameKind::kRequest, {"register", "sink", "session"}},
                         Frame{FrameKind::kRequest, {"recv", "sink"}}}) {
    Result<std::vector<uint8_t>> b = encode_frame(f);
    ASSERT_TRUE(b.is_ok());
    reqs.insert(reqs.end(), b->begin(), b->end());
  }
  asio::write(mute, asio::buffer(reqs));
  ASSERT_TRUE(cluster_.run_until([&] { return a_->rt->whereis("sink").has_value(); }));
  Client tx(cluster_.io(), path);
  // Small enough for one synchronous write into the socket buffer (this
  // thread also runs the server).
  const std::string chunk(96 * 1024, 'z');
  for (int i = 0; i < 400 && (*s)->stats().dropped_slow == 0; ++i)
    ASSERT_TRUE(call(tx, {"send", "sink", chunk}).ok());
  EXPECT_EQ((*s)->stats().dropped_slow, 1u);
  EXPECT_FALSE(a_->rt->whereis("sink").has_value());
  EXPECT_TRUE(call(tx, {"identity"}).ok());
}

TEST_F(ControlServerTest, SocketPathChecks) {
  // A regular file is never removed.
  const std::string file = dir_.sub("file");
  std::ofstream(file) << "x";
  EXPECT_EQ(ControlServer::create(cluster_.io(), file, *a_->rt, a_->pins, *a_->identity,
                                  transport::Logger())
                .status()
                .code(),
            Code::kFailedPrecondition);
  // A live socket is not stolen.
  EXPECT_EQ(ControlServer::create(cluster_.io(), dir_.sub("a.sock"), *b_->rt, b_->pins,
                                  *b_->identity, transport::Logger())
                .status()
                .code(),
            Code::kFailedPrecondition);
  // A stale one (its process died without removing it) is replaced.
  const std::string stale = dir_.sub("stale.sock");
  {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, stale.c_str(), sizeof addr.sun_path - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ::close(fd);
  }
  auto s = ControlServer::create(cluster_.io(), stale, *a_->rt, a_->pins, *a_->identity,
                                 transport::Logger());
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  s.value().reset();
  struct stat st {};
  EXPECT_NE(::lstat(stale.c_str(), &st), 0);  // removed on destruction
  EXPECT_EQ(ControlServer::create(cluster_.io(), std::string(200, 'x'), *a_->rt, a_->pins,
                                  *a_->identity, transport::Logger())
                .status()
                .code(),
            Code::kInvalidArgument);
}

#ifdef BARREL_CTL_BIN
// --- The barrel-ctl binary against a server in this process ------------------
// The child runs while this thread drives the io_context; its exit is polled
// with waitpid(WNOHANG) inside the bounded run_until.

struct Child {
  pid_t pid = -1;
  std::string out_path, err_path;
  int status = -1;
  bool exited = false;
  std::string read(const std::string& p) const {
    std::ifstream f(p);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }
  std::string out() const { return read(out_path); }
  std::string err() const { return read(err_path); }
  int code() const { return exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
  bool poll() {
    if (!exited && ::waitpid(pid, &status, WNOHANG) == pid)
      exited = true;
    return exited;
  }
  ~Child() {
    if (pid > 0 && !exited) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    }
  }
};

class CtlProcessTest : public ControlServerTest {
 protected:
  std::unique_ptr<Child> spawn(std::vector<std::string> args) {
    auto c = std::make_unique<Child>();
    c->out_path = dir_.sub("out" + std::to_string(n_));
    c->err_path = dir_.sub("err" + std::to_string(n_++));
    args.insert(args.begin(), BARREL_CTL_BIN);
    std::vector<char*> argv;
    for (std::string& s : args)
      argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, c->out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&fa, 2, c->err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    EXPECT_EQ(::posix_spawn(&c->pid, argv[0], &fa, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    return c;
  }
  // Runs barrel-ctl to completion (bounded).
  std::unique_ptr<Child> ctl(std::vector<std::string> args) {
    auto c = spawn(std::move(args));
    EXPECT_TRUE(cluster_.run_until([&] { return c->poll(); }, std::chrono::seconds(10)));
    return c;
  }
  std::string sock() const { return dir_.sub("a.sock"); }
  int n_ = 0;
};

TEST_F(CtlProcessTest, IdentityTextAndJson) {
  auto t = ctl({"--socket", sock(), "identity"});
  EXPECT_EQ(t->code(), 0) << t->err();
  EXPECT_NE(t->out().find("fingerprint: " + a_->identity->fingerprint()), std::string::npos);
  auto j = ctl({"--socket", sock(), "--json", "identity"});
  EXPECT_EQ(j->code(), 0) << j->err();
  EXPECT_EQ(j->out(), "{\"name\":\"" + a_->name + "\",\"public_key\":\"" +
                          transport::to_hex(a_->identity->public_key()) + "\",\"fingerprint\":\"" +
                          a_->identity->fingerprint() + "\"}\n");
  // --data-dir DIR means DIR/control.sock.
  auto d = ctl({"--data-dir", dir_.path(), "identity"});
  EXPECT_EQ(d->code(), 1);
  EXPECT_NE(d->err().find(dir_.sub("control.sock")), std::string::npos) << d->err();
}

TEST_F(CtlProcessTest, ExitCodes) {
  auto u = ctl({"--socket", sock(), "whereis", "nope"});
  EXPECT_EQ(u->code(), 1);
  EXPECT_NE(u->err().find("no service named nope"), std::string::npos) << u->err();
  EXPECT_EQ(ctl({"--socket", sock(), "frobnicate"})->code(), 2);
  EXPECT_EQ(ctl({"--socket"})->code(), 2);
  EXPECT_EQ(ctl({"--socket", sock(), "send", "x"})->code(), 2);
  EXPECT_EQ(ctl({"--socket", dir_.sub("none.sock"), "identity"})->code(), 1);
}

TEST_F(CtlProcessTest, RegisterPersistentAndSession) {
  auto p = ctl({"--socket", sock(), "register", "db", "role=main", "--persistent"});
  EXPECT_EQ(p->code(), 0) << p->err();
  ASSERT_EQ(a_->rt->lookup("db").size(), 1u);
  EXPECT_EQ(a_->rt->lookup("db")[0].metadata, (Metadata{{"role", "main"}}));
  auto l = ctl({"--socket", sock(), "--json", "lookup", "db"});
  EXPECT_EQ(l->code(), 0);
  EXPECT_NE(l->out().find("\"metadata\":{\"role\":\"main\"}"), std::string::npos) << l->out();

  auto s = spawn({"--socket", sock(), "register", "web"});
  ASSERT_TRUE(cluster_.run_until([&] { return a_->rt->lookup("web").size() == 1; }));
  ASSERT_FALSE(s->poll());  // holds the registration open
  ::kill(s->pid, SIGINT);
  ASSERT_TRUE(cluster_.run_until([&] { return s->poll(); }, std::chrono::seconds(10)));
  EXPECT_EQ(s->code(), 0) << s->err();
  EXPECT_NE(s->out().find("registered web; press Ctrl-C to unregister"), std::string::npos);
  ASSERT_TRUE(cluster_.run_until([&] { return a_->rt->lookup("web").empty(); }));
  EXPECT_EQ(a_->rt->lookup("db").size(), 1u);
}

TEST_F(CtlProcessTest, RecvPrintsMessagesAsJson) {
  auto r = spawn({"--socket", sock(), "--json", "recv", "inbox"});
  // barrel-ctl says so once `recv` is acknowledged (messages before are not for it).
  ASSERT_TRUE(
      cluster_.run_until([&] { return r->err().find("registered inbox") != std::string::npos; }));
  ASSERT_EQ(a_->rt->lookup("inbox").size(), 1u);
  auto s = ctl({"--socket", sock(), "send", "inbox", "say \"hi\""});
  EXPECT_EQ(s->code(), 0) << s->err();
  ASSERT_TRUE(cluster_.run_until([&] {
    return r->out().find("\"message\":\"say \\\"hi\\\"\"") != std::string::npos;
  })) << r->out();
  ::kill(r->pid, SIGINT);
  ASSERT_TRUE(cluster_.run_until([&] { return r->poll(); }, std::chrono::seconds(10)));
  EXPECT_EQ(r->code(), 0) << r->err();
  ASSERT_TRUE(cluster_.run_until([&] { return a_->rt->lookup("inbox").empty(); }));
}
#endif

}  // namespace
}  // namespace barrel::node
