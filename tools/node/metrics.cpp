// metrics.cpp — the Prometheus text exposition format 0.0.4.
#include "node/metrics.h"

#include <utility>
#include <variant>
#include <vector>

#include "barrel/assert.h"
#include "barrel/auth.h"

namespace barrel::node {
namespace {

// Reasons the code knows, rendered even at 0. The enums' values are dense
// from 1 (event.h, auth.h); the loops stop at the first "unknown".
constexpr uint8_t kEnumValuesMax = 64;

std::vector<std::string> known_peer_down_reasons() {
  std::vector<std::string> out;
  for (uint8_t v = 1; v < kEnumValuesMax; ++v) {
    const std::string_view name = to_string(static_cast<PeerDownReason>(v));
    if (name == "unknown" || name.empty())
      break;
    out.emplace_back(name);
  }
  return out;
}

std::vector<std::string> known_auth_reasons() {
  std::vector<std::string> out;
  for (uint8_t v = 1; v < kEnumValuesMax; ++v) {
    const std::string_view name = to_string(static_cast<AuthReason>(v));
    if (name == "unknown" || name.empty())
      break;
    out.emplace_back(name);
  }
  return out;
}

// HELP text escapes only backslash and line feed (format 0.0.4).
std::string escape_help(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += escape_help(help);
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void sample(std::string_view name, uint64_t value) { sample(name, "", "", value); }
  void sample(std::string_view name, std::string_view label, std::string_view label_value,
              uint64_t value) {
    out_ += name;
    if (!label.empty()) {
      out_ += '{';
      out_ += label;
      out_ += "=\"";
      out_ += escape_label_value(label_value);
      out_ += "\"}";
    }
    out_ += ' ';
    out_ += std::to_string(value);
    out_ += '\n';
  }
  void counter(std::string_view name, std::string_view help, uint64_t value) {
    BARREL_ASSERT(name.size() > 6 && name.substr(name.size() - 6) == "_total");
    family(name, "counter", help);
    sample(name, value);
  }
  void gauge(std::string_view name, std::string_view help, uint64_t value) {
    family(name, "gauge", help);
    sample(name, value);
  }
  // A counter family labelled by `label`: every `known` value (0 if absent
  // from `counts`), then the other keys of `counts` in order.
  void labelled_counter(std::string_view name, std::string_view help, std::string_view label,
                        const std::vector<std::string>& known,
                        const std::map<std::string, uint64_t, std::less<>>& counts) {
    family(name, "counter", help);
    for (const std::string& k : known) {
      const auto it = counts.find(k);
      sample(name, label, k, it == counts.end() ? 0 : it->second);
    }
    for (const auto& [k, v] : counts) {
      bool listed = false;
      for (const std::string& known_key : known)
        listed = listed || known_key == k;
      if (!listed)
        sample(name, label, k, v);
    }
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

void render_overlay(const MetricsSnapshot& s, Writer* w) {
  w->counter("barrel_peer_up_total", "Peers that entered the active view.", s.peer_up);
  w->labelled_counter("barrel_peer_down_total", "Peers that left the active view, by reason.",
                      "reason", known_peer_down_reasons(), s.peer_down);
  w->gauge("barrel_active_view_peers", "Members of the active view now.", s.active_view);
  w->gauge("barrel_passive_view_peers", "Members of the passive view now.", s.passive_view);
  w->counter("barrel_broadcasts_delivered_total",
             "Broadcasts delivered here, own broadcasts included.", s.node.broadcasts_delivered);
  w->counter("barrel_protocol_messages_sent_total", "Protocol messages the core sent.",
             s.node.messages_sent);
  w->counter("barrel_protocol_messages_received_total", "Protocol messages the core received.",
             s.node.messages_received);
  w->counter("barrel_protocol_messages_rejected_total",
             "Protocol messages the core refused as invalid.", s.node.messages_rejected);
  w->counter("barrel_members_declared_dead_total", "Members this node declared dead.",
             s.node.members_declared_dead);
  w->gauge("barrel_registry_services", "Service names with at least one live instance.",
           s.services);
  w->gauge("barrel_registry_instances", "Live service instances in the registry.",
           s.service_instances);
}

void render_auth(const MetricsSnapshot& s, Writer* w) {
  std::map<std::string, uint64_t, std::less<>> outcomes = s.runtime.auth_rejections;
  // "accepted" cannot collide with a rejection reason (auth.h's names).
  outcomes["accepted"] = s.runtime.auth_accepted;
  std::vector<std::string> known = {"accepted"};
  for (std::string& r : known_auth_reasons())
    known.push_back(std::move(r));
  w->labelled_counter("barrel_auth_attempts_total",
                      "Connection authentications by outcome: accepted, or the rejection reason.",
                      "outcome", known, outcomes);
}

void render_transport(const MetricsSnapshot& s, Writer* w) {
  const transport::RuntimeStats& r = s.runtime;
  const transport::EndpointStats& e = s.endpoint;
  w->gauge("barrel_connections", "QUIC connections alive (handshaking, established, draining).",
           s.connections);
  w->counter("barrel_dials_total", "Connections dialed.", r.dials);
  w->counter("barrel_dial_failures_total", "Dials that failed before authenticating.",
             r.dial_failures);
  w->counter("barrel_frames_sent_total", "Protocol frames written.", r.frames_sent);
  w->counter("barrel_frames_received_total", "Protocol frames read.", r.frames_received);
  w->counter("barrel_frames_rejected_total", "Undecodable frames (connection closed).",
             r.frames_rejected);
  w->counter("barrel_app_messages_sent_total", "Application messages sent.", r.app_sent);
  w->counter("barrel_app_messages_received_total", "Application messages received.",
             r.app_received);
  w->counter("barrel_app_messages_rejected_total", "Malformed application streams.",
             r.app_rejected);
  w->counter("barrel_quic_bytes_sent_total", "UDP payload bytes sent.", e.bytes_sent);
  w->counter("barrel_quic_bytes_received_total", "UDP payload bytes received.", e.bytes_received);
  w->counter("barrel_quic_datagrams_sent_total", "UDP datagrams sent.", e.datagrams_sent);
  w->counter("barrel_quic_datagrams_received_total", "UDP datagrams received.",
             e.datagrams_received);
  w->counter("barrel_quic_datagrams_dropped_total",
             "Datagrams dropped: undecodable, unroutable, refused or unsendable.",
             e.datagrams_dropped);
  w->counter("barrel_quic_connections_accepted_total", "Inbound QUIC handshakes completed.",
             e.connections_accepted);
  w->counter("barrel_quic_connections_refused_total", "Inbound QUIC connections refused.",
             e.connections_refused);
}

// The control socket (control_server.h): sessions, requests and the
// mailboxes that keep app messages for a `recv` not yet attached.
void render_control(const MetricsSnapshot& s, Writer* w) {
  const ControlServerStats& c = s.control;
  w->counter("barrel_control_sessions_total", "Control socket sessions accepted.", c.accepted);
  w->counter("barrel_control_sessions_refused_total",
             "Control socket sessions closed at once: the session bound was reached.",
             c.refused_full);
  w->counter("barrel_control_requests_total", "Control requests served.", c.requests);
  w->counter("barrel_control_sessions_dropped_total",
             "Control sessions closed for undecodable input or for not reading their output.",
             c.dropped_garbage + c.dropped_slow);
  w->counter("barrel_mailbox_messages_kept_total",
             "App messages kept in a mailbox for a later recv.", c.mailbox_kept);
  w->counter("barrel_mailbox_messages_dropped_total",
             "App messages dropped: no recv attached and the endpoint's mailbox full.",
             c.mailbox_dropped);
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void count_event(const Event& event, MetricsSnapshot* snapshot) {
  BARREL_ASSERT(snapshot != nullptr);
  if (std::holds_alternative<PeerUp>(event)) {
    ++snapshot->peer_up;
  } else if (const auto* down = std::get_if<PeerDown>(&event)) {
    ++snapshot->peer_down[std::string(to_string(down->reason))];
  }
}

std::string render_metrics(const MetricsSnapshot& snapshot) {
  Writer w;
  w.family("barrel_node_info", "gauge", "Always 1; its label names this node.");
  w.sample("barrel_node_info", "node", snapshot.node_name, 1);
  render_overlay(snapshot, &w);
  render_auth(snapshot, &w);
  render_transport(snapshot, &w);
  render_control(snapshot, &w);
  return w.take();
}

}  // namespace barrel::node
