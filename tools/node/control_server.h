// control_server.h — a node's local control socket, what barrel-ctl talks to.
//
// A Unix stream socket (default data_dir/control.sock), mode 0600: only the
// node's user may connect, and whoever can connect may do anything the node
// can (join, leave, trust delete...). Framing: control_protocol.h.
//
// Each accepted connection is a session with its own EndpointId. Endpoints:
// the server hands out options.first_endpoint, +1, +2 ... (never reused in
// one server's life), one per session and one per --persistent registration;
// endpoints below first_endpoint (default: 0) are left to the node.
//   - `register NAME session ...` registers NAME for the session's endpoint:
//     when the connection closes the server calls close_endpoint(), and NAME
//     goes down everywhere with ServiceDown{kEndpointClosed}.
//   - `register NAME persistent ...` registers NAME for a fresh endpoint owned
//     by the server: it lives as long as the node (or until `unregister`).
//
// Commands (Request fields), their reply Rows, then Ok or Error:
//   identity                        row [name, public_key_hex, fingerprint]
//   active-view | passive-view      row [peer] per peer
//   join CONTACT | leave            -
//   register NAME session|persistent [KEY=VALUE...]
//                                   row [name, endpoint]
//   unregister NAME                 - (any local instance of NAME)
//   services                        row [name, instances] per known name
//   lookup NAME                     row [service, node, endpoint, k1, v1, ...] per instance
//                                   (Error NotFound "no service named NAME" if none)
//   whereis NAME                    one row as lookup (same error)
//   send NAME MESSAGE               row [node, endpoint] of the instance sent to;
//                                   from = the session's endpoint
//   recv NAME                       NAME registered by this session (its endpoint) or
//                                   persistently (that endpoint); Ok, then streams
//                                   Record [from_node, from_endpoint, message]:
//                                   first those that arrived while no recv was
//                                   attached (the endpoint's bounded mailbox),
//                                   then new ones, in arrival order
//   events                          Ok, then streams Record per event:
//                                   [peer_up, peer] | [peer_down, peer, reason] |
//                                   [service_registered, service, node] |
//                                   [service_unregistered, service, node] |
//                                   [service_down, service, node, reason]
//   trust list                      row [name, fingerprint, public_key_hex] per pin
//   trust delete NAME               - (NotFound if no pin)
// After `recv` or `events` the session only streams; any further request is
// a protocol violation.
//
// A client that sends garbage (undecodable frame, unknown command, wrong
// arguments are errors, not garbage — garbage is what the decoder refuses) is
// logged and disconnected; so is one whose unread output exceeds
// options.output_bytes_max. Beyond options.clients_max sessions, new
// connections are closed at once.
//
// Threading: everything runs on the io_context's thread (the Runtime's).
// Runtime callbacks only queue work (asio::post): the Runtime is never called
// from inside its own callbacks. REQUIRES: the Runtime, PinStore and
// NodeIdentity outlive the server (destroy the server first).
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "barrel/result.h"
#include "barrel/service.h"
#include "barrel/status.h"
#include "barrel/transport/identity.h"
#include "barrel/transport/log.h"
#include "barrel/transport/runtime.h"
#include "barrel/trust.h"

namespace barrel::node {

// The control socket's file name inside a node's data directory.
inline constexpr const char* kControlSocketName = "control.sock";

struct ControlServerOptions {
  size_t clients_max = 64;
  // Unread output a client may accumulate (a stalled `events` reader) before
  // it is disconnected.
  size_t output_bytes_max = 8 << 20;
  // The first EndpointId the server hands out (see above).
  EndpointId first_endpoint = 1;
  // Messages for a registered endpoint with no `recv` attached are kept for
  // the next reader, up to these bounds per endpoint; beyond, dropped (and
  // counted, and logged).
  size_t mailbox_messages_max = 1024;
  size_t mailbox_bytes_max = 4 << 20;
};

struct ControlServerStats {
  uint64_t accepted = 0;
  uint64_t refused_full = 0;     // closed at once: clients_max reached
  uint64_t dropped_garbage = 0;  // undecodable input
  uint64_t dropped_slow = 0;     // output_bytes_max exceeded
  uint64_t requests = 0;
  uint64_t mailbox_kept = 0;     // app messages kept for a later `recv`
  uint64_t mailbox_dropped = 0;  // app messages refused by a full mailbox
};

class ControlServer {
 public:
  // Binds and listens at `socket_path`: a stale socket file there (nobody
  // listening) is removed first; kFailedPrecondition if another process
  // listens on it or the path exists and is not a socket; kInvalidArgument
  // if the path is too long for a Unix socket; kIo on a socket error.
  static Result<std::unique_ptr<ControlServer>> create(boost::asio::io_context& io,
                                                       const std::string& socket_path,
                                                       transport::Runtime& runtime, PinStore& pins,
                                                       const transport::NodeIdentity& identity,
                                                       transport::Logger logger,
                                                       ControlServerOptions options = {});
  // Closes the listener and every session (closing their endpoints: their
  // services go down) and removes the socket file.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  const std::string& socket_path() const;
  size_t session_count() const;
  const ControlServerStats& stats() const;

  struct Impl;

 private:
  explicit ControlServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace barrel::node
