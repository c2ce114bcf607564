// metrics_http.cpp — one request per connection, all asynchronous.
//
// Ownership: the server and every live connection share the State; the State
// holds the live connections (at most connections_max) until each closes,
// and every pending handler holds what it touches (shared_ptr), so a handler
// that completes after stop() finds its objects alive and merely returns.
#include "node/metrics_http.h"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <string_view>
#include <utility>
#include <vector>

#include "barrel/assert.h"

namespace barrel::node {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

class Connection;

constexpr size_t kRequestBytesMin = 64;
constexpr size_t kRequestBytesMaxLimit = 1 << 20;
constexpr size_t kConnectionsMaxLimit = 1024;
// After a failed accept (out of descriptors, say) wait before the next, so the
// loop does not spin on the same error.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

// A token of the request line: printable ASCII without spaces.
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 127; });
}

struct RequestLine {
  std::string_view method;
  std::string_view path;  // the target without its query
};

// "METHOD SP target SP HTTP/1.x"; false if it is anything else.
bool parse_request_line(std::string_view line, RequestLine* out) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  const size_t first = line.find(' ');
  if (first == std::string_view::npos)
    return false;
  const size_t second = line.find(' ', first + 1);
  if (second == std::string_view::npos)
    return false;
  const std::string_view method = line.substr(0, first);
  const std::string_view target = line.substr(first + 1, second - first - 1);
  const std::string_view version = line.substr(second + 1);
  if (!is_token(method) || !is_token(target) || target[0] != '/')
    return false;
  if (!std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
    return false;
  if (version != "HTTP/1.1" && version != "HTTP/1.0")
    return false;
  out->method = method;
  out->path = target.substr(0, target.find('?'));
  return true;
}

std::string make_response(std::string_view status, std::string_view content_type,
                          const std::string& body, bool with_body, std::string_view extra) {
  std::string r = "HTTP/1.1 ";
  r += status;
  r += "\r\nContent-Type: ";
  r += content_type;
  r += "\r\nContent-Length: " + std::to_string(body.size());
  r += "\r\nConnection: close\r\n";
  r += extra;
  r += "\r\n";
  if (with_body)
    r += body;
  return r;
}

}  // namespace

struct MetricsHttpServer::State : std::enable_shared_from_this<MetricsHttpServer::State> {
  State(asio::io_context& io_context, MetricsHttpOptions opts, Source src)
      : io(io_context),
        options(std::move(opts)),
        source(std::move(src)),
        acceptor(io_context),
        retry_timer(io_context) {}

  void accept();
  void on_accept(const boost::system::error_code& ec, tcp::socket socket);
  void forget(const Connection* c);
  void stop();

  asio::io_context& io;
  MetricsHttpOptions options;
  Source source;
  tcp::acceptor acceptor;
  asio::steady_timer retry_timer;
  uint16_t port = 0;
  bool stopped = false;
  MetricsHttpStats stats;
  std::vector<std::shared_ptr<Connection>> connections;  // at most options.connections_max
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using State = MetricsHttpServer::State;

  Connection(std::shared_ptr<State> state, tcp::socket socket)
      : state_(std::move(state)), socket_(std::move(socket)), deadline_(state_->io) {}

  void start() {
    const auto timeout = std::chrono::microseconds(state_->options.request_timeout.us());
    deadline_.expires_after(timeout);
    deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->closed_)
        return;
      ++self->state_->stats.timeouts;
      self->close();
    });
    read();
  }

  // Idempotent; the socket's pending operations complete with an error.
  void close() {
    if (closed_)
      return;
    closed_ = true;
    boost::system::error_code ignored;
    deadline_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    state_->forget(this);
  }

 private:
  void read() {
    socket_.async_read_some(asio::buffer(chunk_),
                            [self = shared_from_this()](const boost::system::error_code& ec,
                                                        size_t n) { self->on_read(ec, n); });
  }

  void on_read(const boost::system::error_code& ec, size_t n) {
    if (closed_)
      return;
    if (ec) {  // EOF or reset before a whole request: nothing to answer
      close();
      return;
    }
    request_.append(chunk_.data(), n);
    const size_t line_end = request_.find('\n');
    RequestLine line;
    // A control byte before the line ends (TLS, binary junk) is refused at
    // once rather than at the size bound or the deadline.
    const bool junk =
        line_end == std::string::npos && std::any_of(request_.begin(), request_.end(), [](char c) {
          return (static_cast<unsigned char>(c) < ' ' && c != '\r') || c == 127;
        });
    if (junk || (line_end != std::string::npos &&
                 !parse_request_line(std::string_view(request_).substr(0, line_end), &line))) {
      respond_bad("not an HTTP/1.x request line\n");
      return;
    }
    const size_t head_end = std::min(request_.find("\r\n\r\n"), request_.find("\n\n"));
    if (head_end == std::string::npos) {
      if (request_.size() >= state_->options.request_bytes_max)
        respond_bad("request head too large\n");
      else
        read();
      return;
    }
    BARREL_ASSERT(line_end != std::string::npos);
    respond(line);
  }

  void respond_bad(const std::string& why) {
    ++state_->stats.responses_bad;
    write(make_response("400 Bad Request", "text/plain", why, true, ""));
  }

  void respond(const RequestLine& line) {
    const bool head = line.method == "HEAD";
    if (line.path != "/metrics") {
      ++state_->stats.responses_not_found;
      write(make_response("404 Not Found", "text/plain", "not found; try /metrics\n", !head, ""));
      return;
    }
    if (line.method != "GET" && !head) {
      ++state_->stats.responses_bad;
      write(make_response("405 Method Not Allowed", "text/plain", "use GET\n", true,
                          "Allow: GET, HEAD\r\n"));
      return;
    }
    BARREL_ASSERT(!state_->stopped);  // stop() closed this connection first
    ++state_->stats.responses_ok;
    write(make_response("200 OK", "text/plain; version=0.0.4; charset=utf-8", state_->source(),
                        !head, ""));
  }

  void write(std::string response) {
    response_ = std::move(response);
    asio::async_write(socket_, asio::buffer(response_),
                      [self = shared_from_this()](const boost::system::error_code&, size_t) {
                        // Done or failed (the client left): either way the
                        // connection ends here.
                        self->close();
                      });
  }

  std::shared_ptr<State> state_;
  tcp::socket socket_;
  asio::steady_timer deadline_;
  std::array<char, 1024> chunk_{};
  std::string request_;  // at most request_bytes_max + chunk_ bytes
  std::string response_;
  bool closed_ = false;
};

}  // namespace

void MetricsHttpServer::State::accept() {
  acceptor.async_accept(
      [self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
      });
}

void MetricsHttpServer::State::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
  if (stopped)
    return;
  if (ec) {
    retry_timer.expires_after(kAcceptRetryDelay);
    retry_timer.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
      if (!e && !self->stopped)
        self->accept();
    });
    return;
  }
  if (connections.size() >= options.connections_max) {
    ++stats.connections_refused;
    boost::system::error_code ignored;
    socket.close(ignored);
  } else {
    ++stats.connections_accepted;
    auto c = std::make_shared<Connection>(shared_from_this(), std::move(socket));
    connections.push_back(c);
    c->start();
  }
  accept();
}

void MetricsHttpServer::State::forget(const Connection* c) {
  const auto it = std::find_if(connections.begin(), connections.end(),
                               [c](const std::shared_ptr<Connection>& p) { return p.get() == c; });
  if (it != connections.end())
    connections.erase(it);
}

void MetricsHttpServer::State::stop() {
  if (stopped)
    return;
  stopped = true;
  boost::system::error_code ignored;
  acceptor.close(ignored);
  retry_timer.cancel();
  // close() erases from `connections`: work on a copy.
  const std::vector<std::shared_ptr<Connection>> live = connections;
  for (const auto& c : live)
    c->close();
  BARREL_ASSERT(connections.empty());
}

Result<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::start(
    asio::io_context& io, const MetricsHttpOptions& options, Source source) {
  if (!source)
    return Status::invalid_argument("metrics http: no source");
  if (options.request_bytes_max < kRequestBytesMin ||
      options.request_bytes_max > kRequestBytesMaxLimit) {
    return Status::invalid_argument("metrics http: request_bytes_max outside 64..1048576");
  }
  if (options.request_timeout <= Duration::zero())
    return Status::invalid_argument("metrics http: request_timeout must be > 0");
  if (options.connections_max < 1 || options.connections_max > kConnectionsMaxLimit)
    return Status::invalid_argument("metrics http: connections_max outside 1..1024");
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(options.address, ec);
  if (ec)
    return Status::invalid_argument("metrics http: bad address '" + options.address + "'");

  auto state = std::make_shared<State>(io, options, std::move(source));
  const tcp::endpoint at(address, options.port);
  const auto fail = [&](const char* what) {
    return Status(Code::kIo, std::string("metrics http: ") + what + " " + options.address + ":" +
                                 std::to_string(options.port) + ": " + ec.message());
  };
  if (state->acceptor.open(at.protocol(), ec))
    return fail("cannot open a socket for");
  // A restarted daemon rebinds its port while old connections sit in TIME_WAIT.
  if (state->acceptor.set_option(tcp::acceptor::reuse_address(true), ec))
    return fail("cannot set SO_REUSEADDR on");
  if (state->acceptor.bind(at, ec))
    return fail("cannot bind");
  if (state->acceptor.listen(asio::socket_base::max_listen_connections, ec))
    return fail("cannot listen on");
  const tcp::endpoint bound = state->acceptor.local_endpoint(ec);
  if (ec)
    return fail("cannot read the port of");
  state->port = bound.port();
  state->accept();
  return std::unique_ptr<MetricsHttpServer>(new MetricsHttpServer(std::move(state)));
}

MetricsHttpServer::MetricsHttpServer(std::shared_ptr<State> state) : state_(std::move(state)) {}

MetricsHttpServer::~MetricsHttpServer() {
  stop();
}

uint16_t MetricsHttpServer::port() const {
  return state_->port;
}

const MetricsHttpStats& MetricsHttpServer::stats() const {
  return state_->stats;
}

void MetricsHttpServer::stop() {
  state_->stop();
}

}  // namespace barrel::node
