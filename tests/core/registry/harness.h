// harness.h — in-memory peers for the registry tests.
//
// A Peer is what the Node gives a Registry: an effect queue, an EffectSink,
// NodeStats and a settable dead judge. Helpers run one "input" the way the
// Node does (sink.begin_input() first), collect the registry events emitted,
// and move broadcasts and anti-entropy answers between peers.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "barrel/effect.h"
#include "hyparview/effect_sink.h"
#include "registry/registry.h"

namespace barrel::registry::test {

// A registry event flattened for comparisons: kind, service, node, reason.
struct Ev {
  char kind = '?';  // 'R' registered, 'U' unregistered, 'D' down
  std::string service;
  std::string node;
  int reason = 0;  // ServiceDownReason for 'D'
  auto operator<=>(const Ev&) const = default;
};

inline Ev reg(std::string s, std::string n) {
  return {'R', std::move(s), std::move(n), 0};
}
inline Ev unreg(std::string s, std::string n) {
  return {'U', std::move(s), std::move(n), 0};
}
inline Ev down(std::string s, std::string n, ServiceDownReason r) {
  return {'D', std::move(s), std::move(n), static_cast<int>(r)};
}

struct Peer {
  std::string name;
  uint64_t boot;
  std::vector<Effect> effects;
  NodeStats stats;
  hyparview::EffectSink sink{&effects, &stats};
  std::set<std::tuple<std::string, uint64_t, uint64_t>> dead;  // (node, boot, incarnation)
  std::set<std::string> dead_nodes;                            // every entry of these
  std::unique_ptr<Registry> reg;
  Instant now = Instant::from_us(1000);

  // Registrations are broadcast at once (register_linger 0) unless a test
  // sets a linger: most tests look at one operation's broadcast.
  static RegistryConfig no_linger() {
    RegistryConfig c;
    c.register_linger = Duration::zero();
    return c;
  }
  Peer(std::string n, uint64_t b, RegistryConfig config = no_linger())
      : name(std::move(n)), boot(b) {
    reg = std::make_unique<Registry>(config, name, boot, sink, stats);
    reg->set_dead_judge([this](std::string_view node, uint64_t bt, uint64_t inc) {
      return dead_nodes.count(std::string(node)) != 0 ||
             dead.count({std::string(node), bt, inc}) != 0;
    });
  }

  // Starts one input, as the Node does.
  Registry& in() {
    sink.begin_input();
    now = now + Duration::millis(1);
    return *reg;
  }

  // The registry events emitted since the last call, in order.
  std::vector<Ev> events() {
    std::vector<Ev> out;
    for (Effect& e : effects) {
      Emit* emit = std::get_if<Emit>(&e);
      if (emit == nullptr)
        continue;
      if (auto* r = std::get_if<ServiceRegistered>(&emit->event))
        out.push_back(test::reg(r->service, r->node));
      else if (auto* u = std::get_if<ServiceUnregistered>(&emit->event))
        out.push_back(unreg(u->service, u->node));
      else if (auto* d = std::get_if<ServiceDown>(&emit->event))
        out.push_back(down(d->service, d->node, d->reason));
    }
    effects.clear();
    return out;
  }

  std::vector<Payload> broadcasts() {
    std::vector<Payload> out;
    reg->take_broadcasts(&out);
    return out;
  }

  // (node, endpoint) of every instance of `service`, as lookup() orders them.
  std::vector<std::pair<std::string, EndpointId>> who(std::string_view service) const {
    std::vector<std::pair<std::string, EndpointId>> out;
    for (const ServiceInstance& s : reg->lookup(service))
      out.emplace_back(s.node, s.endpoint);
    return out;
  }
};

inline void deliver(Peer& to, const std::vector<Payload>& payloads) {
  for (const Payload& p : payloads) {
    Status s = to.in().on_broadcast(to.now, p.bytes());
    ASSERT_TRUE(s.is_ok()) << s.to_string();
  }
}

// One anti-entropy exchange: `to` learns what `from` has that it lacks.
// Both the digest and the answer cross the wire codec, as in the Node.
inline void sync(Peer& from, Peer& to) {
  std::vector<uint8_t> bytes;
  ormap::encode_digest(to.reg->digest(), &bytes);
  Result<ormap::Digest> peer = ormap::decode_digest(bytes, from.reg->dot_check());
  ASSERT_TRUE(peer.is_ok()) << peer.status().to_string();
  bytes.clear();
  ASSERT_TRUE(ormap::encode_delta(from.reg->delta_for(*peer), &bytes).is_ok());
  Result<ormap::Delta> d = ormap::decode_delta(bytes, to.reg->dot_check());
  ASSERT_TRUE(d.is_ok()) << d.status().to_string();
  Status s = to.in().apply_sync_delta(to.now, *d);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
}

}  // namespace barrel::registry::test
