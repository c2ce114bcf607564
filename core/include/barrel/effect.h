// effect.h — the only output of the core.
//
// Every Node handler appends effects to the Node's queue; the host drains
// them with Node::drain_effects() after each input and carries them out in
// order. The contract between core and host, per effect:
//
//   Send{to, msg}     Deliver msg to `to`, over the open connection to it if
//                     there is one, else over a new one opened on demand (a
//                     transient connection the host reaps when idle). If `to`
//                     cannot be reached, the message is dropped and the host
//                     calls Node::on_link_failed(to). Messages to one peer are
//                     delivered in order or not at all (QUIC stream order).
//   OpenLink{peer}    Keep a monitored connection to `peer` open (keep-alive)
//                     until CloseLink{peer}. If it cannot be opened, call
//                     on_link_failed(peer); if it breaks later (crash, idle
//                     timeout, network), call on_link_down(peer).
//   CloseLink{peer}   Stop monitoring `peer`: close the connection once the
//                     Sends queued before it are flushed. No on_link_down
//                     follows for this connection.
//   Emit{event}       Hand the event to the subscribers.
//
// Re-entrancy: a host never calls into a Node while draining its effects;
// it collects any resulting inputs and feeds them after.
#pragma once

#include <variant>

#include "barrel/event.h"
#include "barrel/ids.h"
#include "barrel/message.h"

namespace barrel {

struct Send {
  NodeId to;
  Message msg;
  bool operator==(const Send&) const = default;
};

struct OpenLink {
  NodeId peer;
  bool operator==(const OpenLink&) const = default;
};

struct CloseLink {
  NodeId peer;
  bool operator==(const CloseLink&) const = default;
};

struct Emit {
  Event event;
  bool operator==(const Emit&) const = default;
};

using Effect = std::variant<Send, OpenLink, CloseLink, Emit>;

}  // namespace barrel
