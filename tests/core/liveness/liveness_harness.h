// liveness_harness.h — one Liveness instance wired to an effect queue, with
// readable names, for the Liveness tests: node i is "n<i>@h", node 0 is self.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "barrel/config.h"
#include "barrel/effect.h"
#include "barrel/ids.h"
#include "barrel/node.h"
#include "barrel/rng.h"
#include "hyparview/effect_sink.h"
#include "liveness/liveness.h"

namespace barrel::liveness {

inline void PrintTo(const Claim& c, std::ostream* os) {
  *os << to_string(c.state) << "(" << c.node << " boot=" << c.boot << " inc=" << c.incarnation
      << ")";
}

namespace test {

inline Instant at_ms(int64_t ms) {
  return Instant::zero() + Duration::millis(ms);
}

class Harness {
 public:
  static constexpr uint64_t kBoot = 1000;

  explicit Harness(const LivenessConfig& config = LivenessConfig{}, size_t nodes = 8,
                   uint64_t boot = kBoot, size_t members_max = limits::kMembersMax)
      : config_(config), names_(nodes + 1), rng_(42), sink_(&effects_, &stats_) {
    // The tests step through probes from the instant the link is lost; the
    // spread of the first probe has its own test.
    if (config.probe_spread == LivenessConfig{}.probe_spread)
      config_.probe_spread = Duration::zero();
    for (size_t i = 0; i < nodes; ++i)
      ids_.push_back(names_.intern(name(i)).value());
    live_ = std::make_unique<Liveness>(config_, names_, ids_[0], boot, rng_, sink_, stats_,
                                       members_max);
  }

  static std::string name(size_t i) { return "n" + std::to_string(i) + "@h"; }
  NodeId id(size_t i) const { return ids_.at(i); }
  Liveness& live() { return *live_; }
  NodeStats& stats() { return stats_; }
  const LivenessConfig& config() const { return config_; }

  // The messages sent since the last call, in order.
  std::vector<Send> sends() {
    std::vector<Send> out;
    for (const Effect& e : effects_)
      out.push_back(std::get<Send>(e));  // Liveness only sends
    effects_.clear();
    sink_.begin_input();
    return out;
  }
  // The one PROBE sent since the last call (fails the test otherwise).
  uint64_t probe_nonce(size_t to) {
    const std::vector<Send> s = sends();
    EXPECT_EQ(s.size(), 1u);
    if (s.size() != 1)
      return 0;
    EXPECT_EQ(s[0].to, id(to));
    const auto* p = std::get_if<Probe>(&s[0].msg);
    EXPECT_NE(p, nullptr);
    return p ? p->nonce : 0;
  }
  std::vector<Claim> broadcasts() {
    std::vector<Claim> out;
    live_->take_broadcasts(&out);
    return out;
  }
  std::vector<std::string> changes() {
    std::vector<std::string> out;
    live_->take_changes(&out);
    return out;
  }
  // Runs the timers at `now` and checks every index.
  void tick(Instant now) {
    live_->handle_timers(now);
    live_->table().check_records();
  }

 private:
  LivenessConfig config_;
  NameTable names_;
  std::vector<NodeId> ids_;
  Rng rng_;
  std::vector<Effect> effects_;
  NodeStats stats_;
  hyparview::EffectSink sink_;
  std::unique_ptr<Liveness> live_;
};

}  // namespace test
}  // namespace barrel::liveness
