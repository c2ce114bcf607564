// barrel-node — one cluster node: the core over QUIC, a control socket for
// barrel-ctl, optional Prometheus metrics.
//
//   barrel-node --config FILE.yaml [--record FILE]
//
// Exit codes: 0 after a clean stop (SIGTERM or SIGINT: leave the cluster,
// flush, close the connections), 1 when the node cannot start (credentials,
// ports, ...), 2 for a bad command line or configuration (the message names
// file:line:column).
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

#include "node/daemon.h"
#include "node/node_config.h"

namespace {

constexpr std::string_view kUsage =
    "usage: barrel-node --config FILE.yaml [--record FILE]\n"
    "\n"
    "  --config FILE   the node's configuration (YAML; see README, 'Production')\n"
    "  --record FILE   write every input the core receives, and its effects, to FILE\n"
    "                  (replay it with: barrel-sim --replay FILE)\n"
    "  --help          this text\n"
    "\n"
    "SIGTERM or SIGINT: leave the cluster, flush, close connections, exit 0.\n";

barrel::transport::LogLevel to_transport(barrel::node::LogLevel l) {
  switch (l) {
    case barrel::node::LogLevel::kDebug:
      return barrel::transport::LogLevel::kDebug;
    case barrel::node::LogLevel::kInfo:
      return barrel::transport::LogLevel::kInfo;
    case barrel::node::LogLevel::kWarn:
      return barrel::transport::LogLevel::kWarn;
    case barrel::node::LogLevel::kError:
      return barrel::transport::LogLevel::kError;
  }
  return barrel::transport::LogLevel::kInfo;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  barrel::node::DaemonOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) {
        std::cerr << "barrel-node: " << a << " needs a value\n" << kUsage;
        return false;
      }
      *out = argv[++i];
      return true;
    };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--config") {
      if (!value(&config_path))
        return 2;
    } else if (a == "--record") {
      if (!value(&options.record_path))
        return 2;
    } else {
      std::cerr << "barrel-node: unknown argument '" << a << "'\n" << kUsage;
      return 2;
    }
  }
  if (config_path.empty()) {
    std::cerr << "barrel-node: --config FILE is required\n" << kUsage;
    return 2;
  }
  barrel::Result<barrel::node::NodeFileConfig> config = barrel::node::load_node_config(config_path);
  if (!config.is_ok()) {
    std::cerr << "barrel-node: " << config.status().message() << "\n";
    return 2;
  }
  // A peer that closes a connection must not kill us with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);

  boost::asio::io_context io(1);
  barrel::transport::Logger log(config->name, to_transport(config->log_level));
  barrel::Result<std::unique_ptr<barrel::node::Daemon>> daemon =
      barrel::node::Daemon::start(io, *config, options, log);
  if (!daemon.is_ok()) {
    log.error("cannot start: " + daemon.status().to_string());
    return 1;
  }
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec)
      return;
    log.info(std::string("received ") + (signo == SIGTERM ? "SIGTERM" : "SIGINT"));
    (*daemon)->stop([&io] { io.stop(); });
  });
  io.run();
  daemon->reset();
  return 0;
}
