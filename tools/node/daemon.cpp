// daemon.cpp
#include "node/daemon.h"

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <optional>
#include <utility>

#include "barrel/transport/credentials.h"
#include "barrel/transport/discovery.h"
#include "barrel/transport/file_pin_store.h"
#include "node/control_server.h"
#include "node/metrics.h"
#include "node/metrics_http.h"

namespace barrel::node {

namespace asio = boost::asio;

namespace {
// How long a stopping node waits for its goodbyes (DISCONNECTs, the
// unregistration of its services) to be acknowledged before it closes.
constexpr auto kFlushLimit = std::chrono::milliseconds(1500);
constexpr auto kFlushPoll = std::chrono::milliseconds(20);
}  // namespace

std::string control_socket_path(const std::string& data_dir) {
  return data_dir + "/" + kControlSocketName;
}

struct Daemon::Impl {
  Impl(asio::io_context& io_in, transport::Logger l)
      : io(io_in), log(std::move(l)), flush_timer(io_in) {}

  asio::io_context& io;
  transport::Logger log;
  NodeFileConfig config;
  std::optional<transport::Credentials> creds;
  std::unique_ptr<transport::FilePinStore> pins;
  std::unique_ptr<transport::DiscoveryChain> discovery;
  std::unique_ptr<transport::Runtime> runtime;
  std::optional<transport::EndpointFile> endpoint_file;
  std::unique_ptr<ControlServer> control;
  std::unique_ptr<MetricsHttpServer> metrics_http;
  MetricsSnapshot counters;  // the event-driven part of the metrics
  asio::steady_timer flush_timer;
  bool stopping = false;

  MetricsSnapshot snapshot() const {
    MetricsSnapshot s = counters;
    s.node_name = config.name;
    s.runtime = runtime->stats();
    s.endpoint = runtime->endpoint_stats();
    s.node = runtime->node().stats();
    s.connections = runtime->connection_count();
    s.active_view = runtime->active_view().size();
    s.passive_view = runtime->passive_view().size();
    const std::vector<std::string> services = runtime->node().list_services();
    s.services = services.size();
    s.service_instances = 0;
    for (const std::string& name : services)
      s.service_instances += runtime->lookup(name).size();
    if (control)
      s.control = control->stats();
    return s;
  }

  void finish_stop(std::function<void()> done) {
    runtime->shutdown();
    control.reset();  // closes the sessions and removes the socket file
    metrics_http.reset();
    if (endpoint_file) {
      if (Status s = endpoint_file->remove(); !s.is_ok())
        log.warn("could not remove the endpoint file: " + s.to_string());
      endpoint_file.reset();
    }
    log.info("stopped");
    // One more turn so the CONNECTION_CLOSE datagrams leave.
    asio::post(io, std::move(done));
  }

  void wait_flushed(std::chrono::steady_clock::time_point until, std::function<void()> done) {
    if (runtime->unacked_bytes() == 0 || std::chrono::steady_clock::now() >= until) {
      finish_stop(std::move(done));
      return;
    }
    flush_timer.expires_after(kFlushPoll);
    flush_timer.async_wait([this, until, done = std::move(done)](const boost::system::error_code&) {
      wait_flushed(until, done);
    });
  }
};

namespace {
transport::LogLevel to_transport(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return transport::LogLevel::kDebug;
    case LogLevel::kInfo:
      return transport::LogLevel::kInfo;
    case LogLevel::kWarn:
      return transport::LogLevel::kWarn;
    case LogLevel::kError:
      return transport::LogLevel::kError;
  }
  return transport::LogLevel::kInfo;
}

Status with_context(const Status& s, std::string_view what) {
  return Status(s.code(), std::string(what) + ": " + std::string(s.message()));
}
}  // namespace

Result<std::unique_ptr<Daemon>> Daemon::start(asio::io_context& io, const NodeFileConfig& config,
                                              const DaemonOptions& options,
                                              transport::Logger logger) {
  auto impl = std::make_unique<Impl>(io, std::move(logger));
  Impl& d = *impl;
  d.config = config;

  // Credentials: created on the first start, refused when damaged or exposed.
  Result<transport::Credentials> creds =
      transport::load_or_create_credentials(config.data_dir, config.name, {});
  if (!creds.is_ok())
    return with_context(creds.status(), "credentials in " + config.data_dir);
  d.creds.emplace(std::move(creds).value());
  for (const std::string& f : d.creds->written)
    d.log.info("created " + f);
  d.log.info("node " + config.name + " key fingerprint " + d.creds->fingerprint);
  d.pins = std::make_unique<transport::FilePinStore>(d.creds->paths.trusted_dir);

  // Discovery: the configured backends, in order.
  transport::DiscoveryConfig dc;
  dc.backends.clear();
  for (DiscoveryBackend b : config.discovery_backends)
    dc.backends.emplace_back(to_string(b));
  for (const auto& [name, hp] : config.nodes) {
    const bool v6 = hp.host.find(':') != std::string::npos;
    dc.static_nodes[name] = (v6 ? "[" + hp.host + "]" : hp.host) + ":" + std::to_string(hp.port);
  }
  dc.discovery_dir = config.discovery_dir;
  dc.dns_port = config.listen_port;
  Result<std::unique_ptr<transport::DiscoveryChain>> chain = transport::DiscoveryChain::create(
      dc, transport::Logger(config.name + " discovery", to_transport(config.log_level)));
  if (!chain.is_ok())
    return with_context(chain.status(), "discovery");
  d.discovery = std::move(chain).value();

  // The runtime: the QUIC endpoint and the core.
  transport::RuntimeConfig rc = to_runtime_config(config);
  rc.quic.cert_pem = d.creds->tls.cert_pem;
  rc.quic.key_pem = d.creds->tls.key_pem;
  rc.record_path = options.record_path;
  Result<std::unique_ptr<transport::Runtime>> rt =
      transport::Runtime::create(io, rc, d.creds->identity, *d.pins, *d.discovery,
                                 transport::Logger(config.name, to_transport(config.log_level)));
  if (!rt.is_ok())
    return with_context(rt.status(), "starting the QUIC endpoint");
  d.runtime = std::move(rt).value();
  d.runtime->subscribe([&d](const Event& e) { count_event(e, &d.counters); });

  // Our own endpoint file, for peers whose chain includes "file".
  bool uses_files = false;
  for (DiscoveryBackend b : config.discovery_backends)
    uses_files = uses_files || b == DiscoveryBackend::kFile;
  if (uses_files) {
    const std::string host = config.advertise_host.value_or(config.listen_address == "0.0.0.0" ||
                                                                    config.listen_address == "::"
                                                                ? std::string("127.0.0.1")
                                                                : config.listen_address);
    Result<transport::EndpointFile> ef = transport::EndpointFile::create(
        config.discovery_dir, config.name, host, d.runtime->local_port());
    if (!ef.is_ok())
      return with_context(ef.status(), "writing the endpoint file");
    d.endpoint_file.emplace(std::move(ef).value());
  }

  // The control socket (0600, in data_dir).
  Result<std::unique_ptr<ControlServer>> control = ControlServer::create(
      io, node::control_socket_path(config.data_dir), *d.runtime, *d.pins, d.creds->identity,
      transport::Logger(config.name + " control", to_transport(config.log_level)));
  if (!control.is_ok())
    return with_context(control.status(), "control socket");
  d.control = std::move(control).value();

  if (config.metrics_port != 0) {
    MetricsHttpOptions mo;
    mo.port = config.metrics_port;
    Impl* ip = &d;
    Result<std::unique_ptr<MetricsHttpServer>> m =
        MetricsHttpServer::start(io, mo, [ip] { return render_metrics(ip->snapshot()); });
    if (!m.is_ok())
      return with_context(m.status(), "metrics endpoint");
    d.metrics_http = std::move(m).value();
    d.log.info("metrics on http://127.0.0.1:" + std::to_string(d.metrics_http->port()) +
               "/metrics");
  }

  // contact_nodes: joined now; the core retries while the view is empty.
  for (const std::string& contact : config.contact_nodes) {
    if (contact == config.name)
      continue;  // one list for every node: skip ourselves
    if (Status s = d.runtime->join(contact); !s.is_ok())
      d.log.warn("cannot join " + contact + ": " + s.to_string());
  }
  d.log.info("started: QUIC on port " + std::to_string(d.runtime->local_port()) +
             ", control socket " + node::control_socket_path(config.data_dir));
  return std::unique_ptr<Daemon>(new Daemon(std::move(impl)));
}

Daemon::Daemon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Daemon::~Daemon() {
  if (!impl_->stopping) {
    impl_->stopping = true;
    impl_->runtime->shutdown();
  }
}

void Daemon::stop(std::function<void()> done) {
  if (impl_->stopping)
    return;
  impl_->stopping = true;
  impl_->log.info("stopping: leaving the cluster");
  // First, so peers stop finding a node that is going away.
  if (impl_->endpoint_file) {
    if (Status s = impl_->endpoint_file->remove(); !s.is_ok())
      impl_->log.warn("could not remove the endpoint file: " + s.to_string());
    impl_->endpoint_file.reset();
  }
  impl_->runtime->leave();
  impl_->wait_flushed(std::chrono::steady_clock::now() + kFlushLimit, std::move(done));
}

transport::Runtime& Daemon::runtime() {
  return *impl_->runtime;
}
const std::string& Daemon::fingerprint() const {
  return impl_->creds->fingerprint;
}
std::string Daemon::control_socket_path() const {
  return node::control_socket_path(impl_->config.data_dir);
}
uint16_t Daemon::quic_port() const {
  return impl_->runtime->local_port();
}
uint16_t Daemon::metrics_port() const {
  return impl_->metrics_http ? impl_->metrics_http->port() : 0;
}

}  // namespace barrel::node
