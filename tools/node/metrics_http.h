// metrics_http.h — a tiny HTTP/1.1 server for Prometheus scrapes.
//
// Serves GET (and HEAD) /metrics with 200 and
// "Content-Type: text/plain; version=0.0.4; charset=utf-8", the body from the
// caller's callback; any other path is 404, another method 405, and a request
// that is not HTTP (or whose head exceeds request_bytes_max) 400. Every
// response carries "Connection: close" and the connection then closes: a
// scrape every few seconds does not need keep-alive, and it keeps the state
// of a connection to one request.
//
// Robustness: everything is asynchronous on the caller's io_context (never a
// blocking call on the io thread). At most connections_max connections are
// served at once; more are closed at accept. Each connection has one deadline
// (request_timeout from accept, covering read and write), so a client that
// sends slowly or stops reading cannot hold a slot. A client that disconnects
// mid-request just ends its connection.
//
// Threading: every call on the io_context's thread; the source callback runs
// there too (so it may read the runtime's stats directly).
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "barrel/result.h"
#include "barrel/status.h"
#include "barrel/time.h"

namespace barrel::node {

struct MetricsHttpOptions {
  std::string address = "127.0.0.1";  // scrapes are local (a proxy may forward)
  uint16_t port = 0;                  // 0: the OS picks (port() tells)
  size_t request_bytes_max = 8 * 1024;
  Duration request_timeout = Duration::seconds(5);
  size_t connections_max = 4;
};

struct MetricsHttpStats {
  uint64_t connections_accepted = 0;
  uint64_t connections_refused = 0;  // beyond connections_max
  uint64_t responses_ok = 0;         // 200
  uint64_t responses_not_found = 0;  // 404
  uint64_t responses_bad = 0;        // 400 and 405
  uint64_t timeouts = 0;             // connections closed at their deadline
};

class MetricsHttpServer {
 public:
  using Source = std::function<std::string()>;

  // Binds and starts accepting. kInvalidArgument for a bad address or
  // option, kIo if the socket cannot be bound.
  static Result<std::unique_ptr<MetricsHttpServer>> start(boost::asio::io_context& io,
                                                          const MetricsHttpOptions& options,
                                                          Source source);
  // Stops (see stop()).
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // The bound TCP port.
  uint16_t port() const;
  const MetricsHttpStats& stats() const;
  // Closes the listening socket and every connection; the source is not
  // called afterwards. Idempotent.
  void stop();

  struct State;

 private:
  explicit MetricsHttpServer(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace barrel::node
