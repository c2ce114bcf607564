// metrics.h — barrel-node's counters in the Prometheus text format.
//
// The daemon fills a MetricsSnapshot on the io thread (from Runtime::stats(),
// endpoint_stats(), node().stats(), the registry, the control server's
// stats() and the counters it keeps from events) and render_metrics() writes
// it in the text exposition format 0.0.4: for each family a "# HELP" and a
// "# TYPE" line, then its samples; counters end in _total; label values are
// escaped (\\, \", \n).
//
// Label sets that name a reason always list every reason the code knows, at 0
// when nothing happened (so a rate() sees the series from the start), plus any
// other key the maps hold (an AuthReason from a newer peer, say).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "barrel/event.h"
#include "barrel/node.h"
#include "barrel/transport/quic_endpoint.h"
#include "barrel/transport/runtime.h"
#include "node/control_server.h"

namespace barrel::node {

struct MetricsSnapshot {
  std::string node_name;  // the label of barrel_node_info
  // Kept by the daemon from the events it receives.
  uint64_t peer_up = 0;  // PeerUp events
  // PeerDown events by to_string(PeerDownReason).
  std::map<std::string, uint64_t, std::less<>> peer_down;
  // Copied from the runtime.
  transport::RuntimeStats runtime;
  transport::EndpointStats endpoint;
  NodeStats node;
  uint64_t connections = 0;        // Runtime::connection_count()
  uint64_t active_view = 0;        // active_view().size()
  uint64_t passive_view = 0;       // passive_view().size()
  uint64_t services = 0;           // node().list_services().size()
  uint64_t service_instances = 0;  // sum of lookup(s).size() over those services
  // The control socket's counters (ControlServer::stats()), the mailboxes'
  // among them.
  ControlServerStats control;
};

// Counts one event into the peer counters of *snapshot (PeerUp, PeerDown by
// reason; other events are ignored). The daemon may keep a snapshot just for
// these and copy the rest in before each render.
void count_event(const Event& event, MetricsSnapshot* snapshot);

// The snapshot in the Prometheus text exposition format 0.0.4.
std::string render_metrics(const MetricsSnapshot& snapshot);

// Escapes a label value (backslash, double quote, line feed) — exposed for tests.
std::string escape_label_value(std::string_view value);

}  // namespace barrel::node
