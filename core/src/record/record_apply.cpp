// record_apply.cpp — apply(): the one mapping from a recorded Input to the
// Node call it stands for, and describe(): inputs and effects as text for a
// replay's divergence report.
#include <cstdio>
#include <type_traits>

#include "barrel/codec.h"
#include "barrel/record.h"

namespace barrel::record {

std::string_view to_string(InputKind k) {
  switch (k) {
    case InputKind::kJoin:
      return "join";
    case InputKind::kLeave:
      return "leave";
    case InputKind::kBroadcast:
      return "broadcast";
    case InputKind::kRegisterService:
      return "register_service";
    case InputKind::kUnregisterService:
      return "unregister_service";
    case InputKind::kCloseEndpoint:
      return "close_endpoint";
    case InputKind::kDeliver:
      return "deliver";
    case InputKind::kLinkDown:
      return "on_link_down";
    case InputKind::kLinkFailed:
      return "on_link_failed";
    case InputKind::kTimers:
      return "handle_timers";
  }
  return "unknown";
}

Status apply(Node& node, const Input& in) {
  switch (in.kind) {
    case InputKind::kJoin:
      return node.join(in.now, in.peer);
    case InputKind::kLeave:
      node.leave(in.now);
      return Status::ok();
    case InputKind::kBroadcast: {
      Result<MessageId> r = node.broadcast(in.now, in.payload);
      return r.is_ok() ? Status::ok() : r.status();
    }
    case InputKind::kRegisterService:
      return node.register_service(in.now, in.service, in.endpoint, in.metadata);
    case InputKind::kUnregisterService:
      return node.unregister_service(in.now, in.service);
    case InputKind::kCloseEndpoint:
      node.close_endpoint(in.now, in.endpoint);
      return Status::ok();
    case InputKind::kDeliver:
      return node.deliver(in.now, in.peer, in.msg);
    case InputKind::kLinkDown:
      node.on_link_down(in.now, in.peer);
      return Status::ok();
    case InputKind::kLinkFailed:
      node.on_link_failed(in.now, in.peer);
      return Status::ok();
    case InputKind::kTimers:
      node.handle_timers(in.now);
      return Status::ok();
  }
  return Status::invalid_argument("unknown input kind");
}

namespace {

std::string hex(std::span<const uint8_t> b, size_t max) {
  std::string out;
  char buf[4];
  for (size_t i = 0; i < b.size() && i < max; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", b[i]);
    out += buf;
  }
  if (b.size() > max)
    out += "...";
  return out;
}

// The type, then the encoded frame: two messages that differ differ there.
std::string describe_message(const Message& m, const NameTable& names) {
  std::string out(to_string(message_type(m)));
  std::vector<uint8_t> frame;
  if (wire::encode(m, names, &frame).is_ok())
    out += " (" + std::to_string(frame.size()) + " bytes: " + hex(frame, 48) + ")";
  return out;
}

std::string describe_event(const Event& ev, const NameTable& names) {
  return std::visit(
      [&](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, PeerUp>) {
          return "PeerUp " + std::string(names.name(e.peer));
        } else if constexpr (std::is_same_v<T, PeerDown>) {
          return "PeerDown " + std::string(names.name(e.peer)) + " (" +
                 std::string(to_string(e.reason)) + ")";
        } else if constexpr (std::is_same_v<T, BroadcastDelivered>) {
          return "BroadcastDelivered id " + std::to_string(e.id.hi) + ":" +
                 std::to_string(e.id.lo) + " from " + std::string(names.name(e.origin)) + " hops " +
                 std::to_string(e.hops) + ", " + std::to_string(e.payload.size()) + " bytes " +
                 hex(e.payload.bytes(), 16);
        } else if constexpr (std::is_same_v<T, ServiceRegistered>) {
          return "ServiceRegistered " + e.service + " on " + e.node;
        } else if constexpr (std::is_same_v<T, ServiceUnregistered>) {
          return "ServiceUnregistered " + e.service + " on " + e.node;
        } else {
          return "ServiceDown " + e.service + " on " + e.node + " (" +
                 std::string(to_string(e.reason)) + ")";
        }
      },
      ev);
}

}  // namespace

std::string describe(const Input& in, const NameTable& names) {
  std::string out(to_string(in.kind));
  switch (in.kind) {
    case InputKind::kJoin:
    case InputKind::kLinkDown:
    case InputKind::kLinkFailed:
      out += " " + std::string(names.name(in.peer));
      break;
    case InputKind::kLeave:
    case InputKind::kTimers:
      break;
    case InputKind::kBroadcast:
      out += " of " + std::to_string(in.payload.size()) + " bytes";
      break;
    case InputKind::kRegisterService:
      out += " " + in.service + " endpoint " + std::to_string(in.endpoint);
      break;
    case InputKind::kUnregisterService:
      out += " " + in.service;
      break;
    case InputKind::kCloseEndpoint:
      out += " " + std::to_string(in.endpoint);
      break;
    case InputKind::kDeliver:
      out += " from " + std::string(names.name(in.peer)) + ": " + describe_message(in.msg, names);
      break;
  }
  return out;
}

std::string describe(const Effect& e, const NameTable& names) {
  if (const auto* s = std::get_if<Send>(&e))
    return "Send to " + std::string(names.name(s->to)) + ": " + describe_message(s->msg, names);
  if (const auto* o = std::get_if<OpenLink>(&e))
    return "OpenLink " + std::string(names.name(o->peer));
  if (const auto* c = std::get_if<CloseLink>(&e))
    return "CloseLink " + std::string(names.name(c->peer));
  return "Emit " + describe_event(std::get<Emit>(e).event, names);
}

}  // namespace barrel::record
