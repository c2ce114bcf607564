// metrics_test.cpp — the Prometheus rendering and the HTTP server behind it.
//
// Rendering: exact lines for known inputs (labels, escaping, reasons at 0),
// and a structural check of the whole text (every sample under its own
// # HELP / # TYPE, counters named *_total). HTTP: real loopback TCP; the
// client runs on the same io_context as the server, which is driven with
// run_for() until the exchange is done or a deadline passes (no sleeps).
#include "node/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "node/metrics_http.h"

namespace barrel::node {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    out.push_back(line);
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  for (const std::string& l : lines_of(text)) {
    if (l == line)
      return true;
  }
  return false;
}

MetricsSnapshot sample_snapshot() {
  MetricsSnapshot s;
  s.node_name = "n1@host";
  s.peer_up = 4;
  s.peer_down["link_lost"] = 3;
  s.runtime.auth_accepted = 7;
  s.runtime.auth_rejections["bad_cookie"] = 2;
  s.runtime.auth_rejections["from \"future\"\\peer"] = 1;  // a reason this build does not know
  s.runtime.dials = 11;
  s.runtime.frames_sent = 100;
  s.runtime.frames_received = 90;
  s.runtime.app_sent = 5;
  s.runtime.app_received = 6;
  s.endpoint.bytes_sent = 123456;
  s.endpoint.bytes_received = 654321;
  s.node.broadcasts_delivered = 42;
  s.connections = 3;
  s.active_view = 2;
  s.passive_view = 9;
  s.services = 2;
  s.service_instances = 5;
  s.control.accepted = 8;
  s.control.refused_full = 1;
  s.control.requests = 30;
  s.control.dropped_garbage = 2;
  s.control.dropped_slow = 1;
  s.control.mailbox_kept = 12;
  s.control.mailbox_dropped = 4;
  return s;
}

TEST(Metrics, GoldenLines) {
  const std::string text = render_metrics(sample_snapshot());
  EXPECT_THAT(text, StartsWith("# HELP barrel_node_info "));
  EXPECT_TRUE(has_line(text, "# TYPE barrel_node_info gauge"));
  EXPECT_TRUE(has_line(text, "barrel_node_info{node=\"n1@host\"} 1"));
  EXPECT_TRUE(has_line(text, "# HELP barrel_peer_up_total Peers that entered the active view."));
  EXPECT_TRUE(has_line(text, "# TYPE barrel_peer_up_total counter"));
  EXPECT_TRUE(has_line(text, "barrel_peer_up_total 4"));
  EXPECT_TRUE(has_line(text, "# TYPE barrel_peer_down_total counter"));
  EXPECT_TRUE(has_line(text, "barrel_peer_down_total{reason=\"link_lost\"} 3"));
  // Known reasons are listed at 0.
  for (const char* r : {"disconnected", "left", "evicted", "local_leave"})
    EXPECT_TRUE(has_line(text, std::string("barrel_peer_down_total{reason=\"") + r + "\"} 0")) << r;
  EXPECT_TRUE(has_line(text, "barrel_auth_attempts_total{outcome=\"accepted\"} 7"));
  EXPECT_TRUE(has_line(text, "barrel_auth_attempts_total{outcome=\"bad_cookie\"} 2"));
  EXPECT_TRUE(has_line(text, "barrel_auth_attempts_total{outcome=\"key_mismatch\"} 0"));
  EXPECT_TRUE(has_line(text, "barrel_auth_attempts_total{outcome=\"stream_ended\"} 0"));
  EXPECT_TRUE(
      has_line(text, "barrel_auth_attempts_total{outcome=\"from \\\"future\\\"\\\\peer\"} 1"));
  EXPECT_TRUE(has_line(text, "barrel_broadcasts_delivered_total 42"));
  EXPECT_TRUE(has_line(text, "barrel_registry_services 2"));
  EXPECT_TRUE(has_line(text, "barrel_registry_instances 5"));
  EXPECT_TRUE(has_line(text, "# TYPE barrel_connections gauge"));
  EXPECT_TRUE(has_line(text, "barrel_connections 3"));
  EXPECT_TRUE(has_line(text, "barrel_active_view_peers 2"));
  EXPECT_TRUE(has_line(text, "barrel_passive_view_peers 9"));
  EXPECT_TRUE(has_line(text, "barrel_quic_bytes_sent_total 123456"));
  EXPECT_TRUE(has_line(text, "barrel_quic_bytes_received_total 654321"));
  EXPECT_TRUE(has_line(text, "barrel_frames_sent_total 100"));
  EXPECT_TRUE(has_line(text, "barrel_frames_received_total 90"));
  EXPECT_TRUE(has_line(text, "barrel_app_messages_sent_total 5"));
  EXPECT_TRUE(has_line(text, "barrel_app_messages_received_total 6"));
  EXPECT_TRUE(has_line(text, "barrel_dials_total 11"));
  EXPECT_TRUE(has_line(text, "# TYPE barrel_mailbox_messages_kept_total counter"));
  EXPECT_TRUE(has_line(text, "barrel_mailbox_messages_kept_total 12"));
  EXPECT_TRUE(has_line(text, "barrel_mailbox_messages_dropped_total 4"));
  EXPECT_TRUE(has_line(text, "barrel_control_sessions_total 8"));
  EXPECT_TRUE(has_line(text, "barrel_control_sessions_refused_total 1"));
  EXPECT_TRUE(has_line(text, "barrel_control_requests_total 30"));
  EXPECT_TRUE(has_line(text, "barrel_control_sessions_dropped_total 3"));
}

TEST(Metrics, EscapesLabelValues) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("a\"b"), "a\\\"b");
  EXPECT_EQ(escape_label_value("a\\b"), "a\\\\b");
  EXPECT_EQ(escape_label_value("a\nb"), "a\\nb");
  MetricsSnapshot s;
  s.node_name = "x\"y\\z\nw";
  EXPECT_TRUE(has_line(render_metrics(s), "barrel_node_info{node=\"x\\\"y\\\\z\\nw\"} 1"));
}

// Every sample follows the # HELP and # TYPE of its own family, each family
// is declared once, counters end in _total, and values are integers.
TEST(Metrics, WellFormedExposition) {
  const std::string text = render_metrics(sample_snapshot());
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::set<std::string> declared;
  std::string help_name;
  std::string family;
  std::string type;
  size_t samples = 0;
  for (const std::string& line : lines_of(text)) {
    ASSERT_FALSE(line.empty());
    if (line.rfind("# HELP ", 0) == 0) {
      help_name = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_TRUE(declared.insert(help_name).second) << "declared twice: " << help_name;
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      const size_t sp = line.find(' ', 7);
      family = line.substr(7, sp - 7);
      type = line.substr(sp + 1);
      EXPECT_EQ(family, help_name) << "TYPE without its HELP: " << line;
      EXPECT_TRUE(type == "counter" || type == "gauge") << line;
      if (type == "counter") {
        EXPECT_THAT(family, ::testing::EndsWith("_total"));
      }
      continue;
    }
    ++samples;
    const size_t name_end = line.find_first_of("{ ");
    ASSERT_NE(name_end, std::string::npos) << line;
    EXPECT_EQ(line.substr(0, name_end), family) << "sample outside its family: " << line;
    const std::string value = line.substr(line.rfind(' ') + 1);
    EXPECT_FALSE(value.empty());
    EXPECT_EQ(value.find_first_not_of("0123456789"), std::string::npos) << line;
  }
  EXPECT_GE(declared.size(), 25u);
  EXPECT_GT(samples, declared.size());
}

TEST(Metrics, CountsPeerEvents) {
  MetricsSnapshot s;
  count_event(Event(PeerUp{NodeId(1)}), &s);
  count_event(Event(PeerUp{NodeId(2)}), &s);
  count_event(Event(PeerDown{NodeId(1), PeerDownReason::kEvicted}), &s);
  count_event(Event(PeerDown{NodeId(2), PeerDownReason::kEvicted}), &s);
  count_event(Event(PeerDown{NodeId(3), PeerDownReason::kLeft}), &s);
  count_event(Event(ServiceRegistered{"svc", "n@h"}), &s);  // not a peer event
  EXPECT_EQ(s.peer_up, 2u);
  EXPECT_EQ(s.peer_down.size(), 2u);
  EXPECT_EQ(s.peer_down["evicted"], 2u);
  EXPECT_EQ(s.peer_down["left"], 1u);
  const std::string text = render_metrics(s);
  EXPECT_TRUE(has_line(text, "barrel_peer_down_total{reason=\"evicted\"} 2"));
  EXPECT_TRUE(has_line(text, "barrel_peer_down_total{reason=\"left\"} 1"));
}

// --- HTTP ---------------------------------------------------------------------

constexpr auto kDeadline = std::chrono::seconds(10);

// Runs `io` until `done()` or kDeadline; true if done.
bool run_until(asio::io_context& io, const std::function<bool()>& done) {
  const auto end = std::chrono::steady_clock::now() + kDeadline;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_for(std::chrono::milliseconds(20));
  }
  return done();
}

struct Exchange {
  tcp::socket socket;
  std::string request;
  std::string response;
  boost::system::error_code error;  // of the last step (eof: closed after the response)
  bool done = false;
  explicit Exchange(asio::io_context& io) : socket(io) {}
};

// Connects, writes `request` (then, with `close_after_write`, closes at once)
// and reads until the server closes.
std::shared_ptr<Exchange> start_exchange(asio::io_context& io, uint16_t port, std::string request,
                                         bool close_after_write = false) {
  auto x = std::make_shared<Exchange>(io);
  x->request = std::move(request);
  const tcp::endpoint at(asio::ip::address_v4::loopback(), port);
  x->socket.async_connect(at, [x, close_after_write](const boost::system::error_code& ec) {
    if (ec) {
      x->error = ec;
      x->done = true;
      return;
    }
    asio::async_write(x->socket, asio::buffer(x->request),
                      [x, close_after_write](const boost::system::error_code& wec, size_t) {
                        if (wec || close_after_write) {
                          x->error = wec;
                          boost::system::error_code ignored;
                          x->socket.close(ignored);
                          x->done = true;
                          return;
                        }
                        asio::async_read(x->socket, asio::dynamic_buffer(x->response),
                                         [x](const boost::system::error_code& rec, size_t) {
                                           x->error = rec;
                                           x->done = true;
                                         });
                      });
  });
  return x;
}

std::shared_ptr<Exchange> exchange(asio::io_context& io, uint16_t port, std::string request) {
  auto x = start_exchange(io, port, std::move(request));
  EXPECT_TRUE(run_until(io, [&] { return x->done; })) << "no answer before the deadline";
  return x;
}

std::string body_of(const std::string& response) {
  const size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

class MetricsHttp : public ::testing::Test {
 protected:
  void start(MetricsHttpOptions options = {}) {
    auto r = MetricsHttpServer::start(io_, options, [this] {
      ++scrapes_;
      return text_;
    });
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    server_ = std::move(r).value();
    ASSERT_NE(server_->port(), 0);
  }

  asio::io_context io_;
  std::string text_ = render_metrics(sample_snapshot());
  int scrapes_ = 0;
  std::unique_ptr<MetricsHttpServer> server_;
};

TEST_F(MetricsHttp, ServesMetrics) {
  start();
  auto x = exchange(io_, server_->port(), "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(x->error, asio::error::eof);
  EXPECT_THAT(x->response, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(x->response, HasSubstr("\r\nContent-Type: text/plain; version=0.0.4"));
  EXPECT_THAT(x->response,
              HasSubstr("\r\nContent-Length: " + std::to_string(text_.size()) + "\r\n"));
  EXPECT_THAT(x->response, HasSubstr("\r\nConnection: close\r\n"));
  EXPECT_EQ(body_of(x->response), text_);
  EXPECT_EQ(scrapes_, 1);
  EXPECT_EQ(server_->stats().responses_ok, 1u);

  // The source is asked on every scrape; a query string is ignored.
  text_ = "# changed\n";
  x = exchange(io_, server_->port(), "GET /metrics?x=1 HTTP/1.0\r\n\r\n");
  EXPECT_EQ(body_of(x->response), "# changed\n");
  EXPECT_EQ(scrapes_, 2);
}

TEST_F(MetricsHttp, HeadHasNoBody) {
  start();
  auto x = exchange(io_, server_->port(), "HEAD /metrics HTTP/1.1\r\n\r\n");
  EXPECT_THAT(x->response, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(x->response, HasSubstr("Content-Length: " + std::to_string(text_.size())));
  EXPECT_EQ(body_of(x->response), "");
}

TEST_F(MetricsHttp, OtherPathIs404AndOtherMethod405) {
  start();
  auto x = exchange(io_, server_->port(), "GET /other HTTP/1.1\r\n\r\n");
  EXPECT_THAT(x->response, StartsWith("HTTP/1.1 404 Not Found\r\n"));
  EXPECT_EQ(server_->stats().responses_not_found, 1u);
  x = exchange(io_, server_->port(), "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  EXPECT_THAT(x->response, StartsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
  EXPECT_EQ(scrapes_, 0);
}

// Garbage is refused (400, or at least closed) and the server serves on.
TEST_F(MetricsHttp, GarbageThenServesOn) {
  start();
  const std::vector<std::string> garbage = {
      std::string("\x16\x03\x01\x02\x00\x01\x00", 7),  // a TLS ClientHello's start
      "hello there\r\n\r\n",
      "GET /metrics\r\n\r\n",          // HTTP/0.9: no version
      "GET metrics HTTP/1.1\r\n\r\n",  // not an origin-form target
      "GET /metrics HTTP/2.0\r\n\r\n",
  };
  for (const std::string& g : garbage) {
    auto x = exchange(io_, server_->port(), g);
    if (!x->response.empty()) {
      EXPECT_THAT(x->response, StartsWith("HTTP/1.1 400 Bad Request\r\n")) << g;
    } else {
      EXPECT_TRUE(x->error) << "neither 400 nor closed: " << g;
    }
  }
  EXPECT_EQ(server_->stats().responses_bad, garbage.size());
  auto x = exchange(io_, server_->port(), "GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_THAT(x->response, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(scrapes_, 1);
}

TEST_F(MetricsHttp, OversizedHeadIsRefused) {
  start();
  const std::string big = "GET /metrics HTTP/1.1\r\nX-Filler: " + std::string(9000, 'a');
  auto x = exchange(io_, server_->port(), big);
  if (!x->response.empty()) {
    EXPECT_THAT(x->response, StartsWith("HTTP/1.1 400 Bad Request\r\n"));
  } else {
    EXPECT_TRUE(x->error);
  }
  EXPECT_EQ(server_->stats().responses_bad, 1u);
  EXPECT_EQ(scrapes_, 0);
}

TEST_F(MetricsHttp, ClientLeavingMidRequestThenServesOn) {
  start();
  auto gone = start_exchange(io_, server_->port(), "GET /metr", /*close_after_write=*/true);
  ASSERT_TRUE(run_until(io_, [&] { return gone->done; }));
  // The server notices the EOF and frees the slot; a whole request still works.
  auto x = exchange(io_, server_->port(), "GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_THAT(x->response, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(server_->stats().connections_accepted, 2u);
  EXPECT_EQ(server_->stats().responses_ok, 1u);
}

// A silent client holds its slot only until its deadline; beyond
// connections_max new connections are closed at once.
TEST_F(MetricsHttp, SlotsAreBoundedAndSilentClientsTimeOut) {
  MetricsHttpOptions options;
  options.connections_max = 1;
  options.request_timeout = Duration::millis(300);
  start(options);
  // An idle client: connected, never writes.
  tcp::socket idle(io_);
  bool idle_connected = false;
  idle.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), server_->port()),
                     [&](const boost::system::error_code& ec) { idle_connected = !ec; });
  ASSERT_TRUE(run_until(io_, [&] { return server_->stats().connections_accepted == 1; }));
  EXPECT_TRUE(idle_connected);

  // Its slot is the only one: this request is refused without an answer.
  auto refused = exchange(io_, server_->port(), "GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_EQ(refused->response, "");
  EXPECT_TRUE(refused->error);
  EXPECT_EQ(server_->stats().connections_refused, 1u);

  // The deadline closes the idle connection; then requests are served again.
  ASSERT_TRUE(run_until(io_, [&] { return server_->stats().timeouts == 1; }));
  auto x = exchange(io_, server_->port(), "GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_THAT(x->response, StartsWith("HTTP/1.1 200 OK\r\n"));
}

TEST_F(MetricsHttp, StopClosesEverything) {
  start();
  tcp::socket idle(io_);
  idle.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), server_->port()),
                     [](const boost::system::error_code&) {});
  ASSERT_TRUE(run_until(io_, [&] { return server_->stats().connections_accepted == 1; }));
  const uint16_t port = server_->port();
  server_->stop();
  server_->stop();  // idempotent
  // The idle client sees its connection end.
  std::string sink;
  bool ended = false;
  asio::async_read(idle, asio::dynamic_buffer(sink),
                   [&](const boost::system::error_code& ec, size_t) { ended = ec.failed(); });
  ASSERT_TRUE(run_until(io_, [&] { return ended; }));
  // Nobody listens any more.
  auto x = exchange(io_, port, "GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(x->error);
  EXPECT_EQ(scrapes_, 0);
}

TEST(MetricsHttpStart, RefusesBadOptions) {
  asio::io_context io;
  const auto source = [] { return std::string(); };
  MetricsHttpOptions bad_address;
  bad_address.address = "not-an-address";
  EXPECT_EQ(MetricsHttpServer::start(io, bad_address, source).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(MetricsHttpServer::start(io, {}, nullptr).status().code(), Code::kInvalidArgument);

  // A port already taken is kIo.
  auto first = MetricsHttpServer::start(io, {}, source);
  ASSERT_TRUE(first.is_ok());
  MetricsHttpOptions same;
  same.port = first.value()->port();
  auto second = MetricsHttpServer::start(io, same, source);
  ASSERT_FALSE(second.is_ok());
  EXPECT_EQ(second.status().code(), Code::kIo);
}

}  // namespace
}  // namespace barrel::node
