// daemon.h — one deployed node: credentials, discovery, the runtime, the
// control socket and the metrics endpoint, started and stopped in order.
//
// barrel-node is a thin main over this class, so tests can run a whole node
// in-process too. Start order: credentials (data_dir, created on first start)
// -> pins -> discovery (static table, endpoint files, DNS) -> runtime (QUIC
// endpoint) -> our own <name>.endpoint file -> control socket -> metrics ->
// contact_nodes joined. Stop order (SIGTERM): leave the cluster, let the
// goodbyes flush (bounded), close every connection, remove the endpoint file
// and the control socket.
//
// Threading: everything on the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "barrel/result.h"
#include "barrel/transport/log.h"
#include "barrel/transport/runtime.h"
#include "node/node_config.h"

namespace barrel::node {

struct DaemonOptions {
  std::string record_path;  // --record FILE: every core input and effect (empty: off)
};

class Daemon {
 public:
  // Starts the node. Errors (refused credentials, a port in use, ...) name
  // what is wrong; nothing is left running.
  static Result<std::unique_ptr<Daemon>> start(boost::asio::io_context& io,
                                               const NodeFileConfig& config,
                                               const DaemonOptions& options,
                                               transport::Logger logger);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Graceful stop: leave, flush (at most `flush_limit`), close, clean up;
  // then `done` runs (on the io_context). Idempotent.
  void stop(std::function<void()> done);

  transport::Runtime& runtime();
  const std::string& fingerprint() const;
  std::string control_socket_path() const;
  uint16_t quic_port() const;
  uint16_t metrics_port() const;  // 0 when off

  struct Impl;

 private:
  explicit Daemon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The control socket of a node whose data directory is `data_dir`.
std::string control_socket_path(const std::string& data_dir);

}  // namespace barrel::node
