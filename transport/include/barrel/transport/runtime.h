// runtime.h — a core Node driven by real time and the QUIC endpoint.
//
// The runtime is the transport's host of the core, the sibling of the
// simulator's engine: it feeds the Node its inputs with the steady clock's
// time and carries out its effects (effect.h):
//
//   Send{to, msg}    encode (core wire codec) and write on the control stream
//                    of the authenticated connection to `to`; with none, queue
//                    it (bounded) and dial `to` (Resolver). A dial or
//                    authentication that fails drops the queue and feeds
//                    on_link_failed(to).
//   OpenLink{peer}   mark the peer monitored (dial if needed); a monitored
//                    connection that closes feeds on_link_down(peer).
//   CloseLink{peer}  unmark it; its connection closes once every byte queued
//                    on it is acknowledged.
//   Emit{event}      hand it to the subscribers.
//
// Connections. Every connection authenticates before the core hears of it
// (core auth.h: Ed25519 proof bound to the TLS exporter, trust, cookie): the
// dialer opens the first stream, both ends run an AuthSession on it, and the
// same stream then carries the core's frames (the control stream). The name
// the peer proved is the only name the core ever sees for that connection.
// Two nodes that dial each other at once end up with two connections; both
// keep the one dialed by the node whose name sorts first, and the other is
// retired (no new sends; closed once flushed). A connection to a peer that is
// not monitored (a SHUFFLE reply, a JOIN from a stranger) is reaped after
// `transient_idle` without traffic.
//
// Nothing protocol-specific lives here: the runtime moves frames and turns
// connection events into the core's inputs.
//
// Threading: everything runs on the io_context's thread; the public methods
// must be called from it too (asio::post from elsewhere).
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/auth.h"
#include "barrel/config.h"
#include "barrel/event.h"
#include "barrel/ids.h"
#include "barrel/node.h"
#include "barrel/result.h"
#include "barrel/service.h"
#include "barrel/status.h"
#include "barrel/transport/log.h"
#include "barrel/transport/quic_endpoint.h"
#include "barrel/transport/resolver.h"
#include "barrel/trust.h"

namespace barrel::transport {

struct RuntimeConfig {
  std::string name;  // this node, "name@host"
  NodeConfig node;
  QuicConfig quic;
  AuthConfig auth;
  // A connection to a peer outside the active view closes after this long
  // without traffic in either direction.
  Duration transient_idle = Duration::seconds(10);
  // Frames queued for a peer while its connection is being set up; beyond
  // either bound the queue is dropped and the core told the peer failed.
  size_t pending_frames_max = 1024;
  size_t pending_bytes_max = 4 * 1024 * 1024;
  // Largest application message, bytes (send_app() refuses more; a peer
  // announcing more is cut off).
  size_t app_message_bytes_max = 1 << 20;
  // Names this process interns at most (peers can make us learn names).
  size_t names_max = 1 << 20;
  // Seed of the core's Rng; 0: drawn from the OS.
  uint64_t seed = 0;
  // Set: record the Node's creation, every input it receives (with its time)
  // and the effects of each to this file (core record.h), written as the node
  // runs and flushed after each input, so `barrel-sim --replay FILE` can
  // reproduce its decisions. Empty: no recording. Recording changes nothing
  // the node does; a write error is logged and ends the recording. The file
  // grows with the node's traffic (no rotation) and is sensitive: it holds the
  // Rng seed, every payload and metadata; keep it where peers cannot read it.
  std::string record_path;
};

// An application message: bytes from an endpoint of one node to an endpoint
// of another (or the same) node. A service reference from lookup()/whereis()
// — (node, endpoint) — is all a sender needs.
struct AppMessage {
  std::string from_node;
  EndpointId from_endpoint = 0;
  EndpointId to_endpoint = 0;
  std::vector<uint8_t> bytes;
};

struct RuntimeStats {
  uint64_t dials = 0;
  uint64_t dial_failures = 0;  // connect failed or closed before authenticating
  uint64_t auth_accepted = 0;  // connections authenticated, both directions
  uint64_t auth_rejected = 0;  // sum of auth_rejections
  std::map<std::string, uint64_t, std::less<>> auth_rejections;  // by reason (auth.h)
  uint64_t duplicate_connections = 0;  // retired after a simultaneous dial
  uint64_t frames_sent = 0;
  uint64_t frames_received = 0;
  uint64_t frames_rejected = 0;    // undecodable: the connection was closed
  uint64_t pending_overflows = 0;  // queues dropped while dialing
  uint64_t links_down = 0;         // on_link_down fed to the core
  uint64_t links_failed = 0;       // on_link_failed fed to the core
  uint64_t transient_reaped = 0;   // idle connections outside the active view closed
  uint64_t app_sent = 0;           // application messages written (or delivered locally)
  uint64_t app_received = 0;       // application messages handed to the app handlers
  uint64_t app_rejected = 0;       // malformed application streams (connection closed)
};

class Runtime {
 public:
  using Subscriber = std::function<void(const Event&)>;

  // Binds the endpoint (config.quic) and creates the Node. `crypto` and `pins`
  // must outlive the runtime. kInvalidArgument for a bad name or config, kIo
  // if the socket cannot be bound.
  static Result<std::unique_ptr<Runtime>> create(boost::asio::io_context& io,
                                                 const RuntimeConfig& config,
                                                 const AuthCrypto& crypto, PinStore& pins,
                                                 Resolver& resolver, Logger logger);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // --- The core's API, with the current time ------------------------------
  Status join(std::string_view contact);
  void leave();
  Result<MessageId> broadcast(std::span<const uint8_t> payload);
  Status register_service(std::string_view name, EndpointId endpoint, const Metadata& metadata);
  Status unregister_service(std::string_view name);
  void close_endpoint(EndpointId endpoint);
  std::vector<ServiceInstance> lookup(std::string_view name) const;
  std::optional<ServiceInstance> whereis(std::string_view name) const;

  std::vector<std::string> active_view() const;
  std::vector<std::string> passive_view() const;
  const std::string& name() const;
  const Node& node() const;
  uint16_t local_port() const;
  const RuntimeStats& stats() const;
  const EndpointStats& endpoint_stats() const;
  size_t connection_count() const;
  // Bytes written on every connection and not yet acknowledged (0: all our
  // frames, a leave()'s DISCONNECTs included, have reached their peers).
  uint64_t unacked_bytes() const;
  // Names of the peers with an authenticated connection now, sorted.
  std::vector<std::string> connected_peers() const;

  // --- Application messages ---------------------------------------------------
  // Sends `bytes` from local endpoint `from` to endpoint `to` of `node`. To a
  // node without a connection, one is opened on demand (authenticated like
  // any other, reaped once idle). Messages from one node to another arrive in
  // the order sent (one stream per connection and direction); a message whose
  // connection fails before it is delivered is lost. Returns kInvalidArgument
  // (bad node name, message above app_message_bytes_max), kLimitExceeded
  // (the queue to that node is full).
  Status send_app(std::string_view node, EndpointId to, EndpointId from,
                  std::span<const uint8_t> bytes);
  // Receives every application message addressed to this node.
  using AppHandler = std::function<void(const AppMessage&)>;
  void on_app_message(AppHandler h);

  // Every event the core emits, in order, with the runtime's name table
  // (events carry NodeId handles).
  void subscribe(Subscriber s);
  const NameTable& names() const;

  // Moves the endpoint's outbound connections to a new local port
  // (connection migration; tests and address changes).
  Status rebind_outbound();

  // Closes every connection (CONNECTION_CLOSE) and the socket; the Node is
  // left as it is (call leave() first for a graceful exit). Idempotent; the
  // destructor calls it.
  void shutdown();
  // Drops every connection without a word to the peers, as a crash would
  // (they notice by the idle timeout). For tests of failure handling.
  void abort();

  struct Impl;

 private:
  explicit Runtime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace barrel::transport
