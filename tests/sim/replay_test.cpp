// replay_test.cpp — sim::replay() of recordings made by driving core Nodes
// directly (no transport): a faithful recording replays without divergence;
// a tampered one diverges at the tampered input; broken files are errors.
#include "barrel/sim/replay.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>

#include "barrel/node.h"
#include "barrel/record.h"

namespace barrel::sim {
namespace {

// Three Nodes on one name table with an in-memory network (1 ms per hop,
// links never fail). Node 0 is recorded through record::Writer, the way the
// runtime records.
class Net {
 public:
  Net() {
    NodeConfig config;
    config.hyparview.shuffle_period = Duration::millis(300);
    config.registry.sync_period = Duration::millis(200);
    for (const char* name : {"rec@h", "b@h", "c@h"}) {
      ids_.push_back(*names_.intern(name));
      const uint64_t seed = 1000 + ids_.size();
      const uint64_t wall = 1'700'000'000'000'000ULL;
      if (ids_.size() == 1) {
        writer_.emplace(names_);
        EXPECT_TRUE(writer_
                        ->create(record::Create{.config = config,
                                                .self = name,
                                                .seed = seed,
                                                .now = now_,
                                                .boot_wall_us = wall,
                                                .names_max = 64})
                        .is_ok());
      }
      nodes_.push_back(
          std::move(Node::create(config, names_, ids_.back(), seed, now_, wall)).value());
    }
  }

  // Feeds `in` to node `i` and carries out its effects.
  void feed(size_t i, record::Input in) {
    in.now = now_;
    if (i == 0) {
      EXPECT_TRUE(writer_->input(in).is_ok());
    }
    record::apply(*nodes_[i], in).ignore();
    std::vector<Effect> effects;
    nodes_[i]->drain_effects(&effects);
    if (i == 0) {
      EXPECT_TRUE(writer_->effects(effects).is_ok());
    }
    for (Effect& e : effects) {
      if (auto* s = std::get_if<Send>(&e))
        wire_.push_back({now_ + Duration::millis(1), ids_[i], s->to, std::move(s->msg)});
    }
  }

  // Runs the network and the timers until `until`.
  void run(Instant until) {
    // Bounded: a step per message or timer; far more than 3 nodes need.
    for (int step = 0; step < 200000; ++step) {
      Instant next = until;
      for (auto& n : nodes_)
        next = std::min(next, n->next_deadline());
      if (!wire_.empty())
        next = std::min(next, wire_.front().at);
      if (next >= until)
        break;
      now_ = std::max(now_, next);
      if (!wire_.empty() && wire_.front().at <= now_) {
        Packet p = std::move(wire_.front());
        wire_.pop_front();
        feed(index(p.to), {.kind = record::InputKind::kDeliver, .peer = p.from, .msg = p.msg});
        continue;
      }
      for (size_t i = 0; i < nodes_.size(); ++i) {
        if (nodes_[i]->next_deadline() <= now_)
          feed(i, {.kind = record::InputKind::kTimers});
      }
    }
    now_ = until;
  }

  NodeId id(size_t i) const { return ids_[i]; }
  Node& node(size_t i) { return *nodes_[i]; }
  Instant now() const { return now_; }
  std::vector<uint8_t> recording() { return writer_->take(); }

 private:
  struct Packet {
    Instant at;
    NodeId from, to;
    Message msg;
  };
  size_t index(NodeId id) const {
    return static_cast<size_t>(std::find(ids_.begin(), ids_.end(), id) - ids_.begin());
  }
  NameTable names_{64};
  std::vector<NodeId> ids_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::optional<record::Writer> writer_;
  std::deque<Packet> wire_;
  Instant now_ = Instant::from_us(5);
};

// A short life of the recorded node: joins, registers, broadcasts, receives,
// loses a link, leaves.
std::vector<uint8_t> make_recording() {
  Net net;
  net.feed(1, {.kind = record::InputKind::kJoin, .peer = net.id(2)});
  net.feed(0, {.kind = record::InputKind::kJoin, .peer = net.id(1)});
  net.run(net.now() + Duration::seconds(1));
  EXPECT_FALSE(net.node(0).active_view().empty());
  net.feed(0, {.kind = record::InputKind::kRegisterService,
               .service = "db",
               .endpoint = 3,
               .metadata = {{"role", "primary"}}});
  net.feed(2, {.kind = record::InputKind::kRegisterService, .service = "web", .endpoint = 1});
  net.feed(0, {.kind = record::InputKind::kBroadcast, .payload = {1, 2, 3}});
  net.feed(1, {.kind = record::InputKind::kBroadcast, .payload = {4, 5}});
  net.run(net.now() + Duration::seconds(2));
  EXPECT_EQ(net.node(0).lookup("web").size(), 1u);
  net.feed(0, {.kind = record::InputKind::kUnregisterService, .service = "db"});
  net.feed(0, {.kind = record::InputKind::kCloseEndpoint, .endpoint = 9});
  net.feed(0, {.kind = record::InputKind::kLinkDown, .peer = net.id(2)});
  net.feed(0, {.kind = record::InputKind::kLinkFailed, .peer = net.id(2)});
  net.run(net.now() + Duration::seconds(2));
  net.feed(0, {.kind = record::InputKind::kLeave});
  net.run(net.now() + Duration::millis(500));
  return net.recording();
}

// The records of a recording, to tamper with (names re-interned).
struct Parsed {
  NameTable names{64};
  std::vector<record::Record> recs;
};
std::unique_ptr<Parsed> parse(std::span<const uint8_t> bytes) {
  auto p = std::make_unique<Parsed>();
  record::Reader r(bytes);
  for (size_t i = 0; i <= bytes.size(); ++i) {
    Result<std::optional<record::Record>> rec = r.next(p->names);
    EXPECT_TRUE(rec.is_ok()) << rec.status().to_string();
    if (!rec.is_ok() || !rec->has_value())
      break;
    p->recs.push_back(std::move(**rec));
  }
  return p;
}
std::vector<uint8_t> write(const Parsed& p) {
  record::Writer w(p.names);
  for (const record::Record& rec : p.recs) {
    if (const auto* c = std::get_if<record::Create>(&rec))
      EXPECT_TRUE(w.create(*c).is_ok());
    else if (const auto* in = std::get_if<record::Input>(&rec))
      EXPECT_TRUE(w.input(*in).is_ok());
    else
      EXPECT_TRUE(w.effects(std::get<std::vector<Effect>>(rec)).is_ok());
  }
  return w.take();
}

TEST(Replay, RecordingOfADirectlyDrivenNodeReplaysWithoutDivergence) {
  const std::vector<uint8_t> bytes = make_recording();
  Result<ReplayReport> r = replay(bytes);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_FALSE(r->divergence) << to_text(*r);
  EXPECT_EQ(r->self, "rec@h");
  EXPECT_GT(r->inputs, 20u);
  EXPECT_GT(r->effects, 20u);
  EXPECT_FALSE(r->last_input_unchecked);
  EXPECT_NE(to_text(*r).find("no divergence"), std::string::npos) << to_text(*r);
  std::cout << to_text(*r);
}

TEST(Replay, TamperedEffectIsReportedAtItsInput) {
  const std::vector<uint8_t> bytes = make_recording();
  std::unique_ptr<Parsed> p = parse(bytes);
  // The 10th input with a Send effect: change that Send's target.
  size_t input_index = 0, seen = 0, target_input = 0;
  const NodeId other = *p->names.intern("mallory@h");
  for (size_t i = 1; i < p->recs.size(); ++i) {
    if (std::holds_alternative<record::Input>(p->recs[i])) {
      input_index += 1;
      continue;
    }
    auto& effects = std::get<std::vector<Effect>>(p->recs[i]);
    auto it = std::find_if(effects.begin(), effects.end(),
                           [](const Effect& e) { return std::holds_alternative<Send>(e); });
    if (it == effects.end() || ++seen < 10)
      continue;
    std::get<Send>(*it).to = other;
    target_input = input_index - 1;
    break;
  }
  ASSERT_EQ(seen, 10u);
  Result<ReplayReport> r = replay(write(*p));
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_TRUE(r->divergence);
  EXPECT_EQ(r->divergence->input_index, target_input);
  EXPECT_EQ(r->inputs, target_input + 1);  // the replay stops at the first divergence
  EXPECT_NE(r->divergence->expected.find("Send to mallory@h"), std::string::npos) << to_text(*r);
  EXPECT_EQ(r->divergence->actual.find("mallory@h"), std::string::npos) << to_text(*r);
  std::cout << to_text(*r);
  EXPECT_NE(to_text(*r).find("DIVERGENCE at input " + std::to_string(target_input)),
            std::string::npos);
}

TEST(Replay, MissingAndExtraEffectsDiverge) {
  const std::vector<uint8_t> bytes = make_recording();
  {
    std::unique_ptr<Parsed> p = parse(bytes);
    auto& first = std::get<std::vector<Effect>>(p->recs[2]);  // the join's effects
    ASSERT_FALSE(first.empty());
    first.pop_back();
    Result<ReplayReport> r = replay(write(*p));
    ASSERT_TRUE(r.is_ok());
    ASSERT_TRUE(r->divergence);
    EXPECT_EQ(r->divergence->input_index, 0u);
    EXPECT_EQ(r->divergence->expected, "(none)");
  }
  {
    std::unique_ptr<Parsed> p = parse(bytes);
    auto& first = std::get<std::vector<Effect>>(p->recs[2]);
    first.push_back(OpenLink{*p->names.intern("b@h")});
    Result<ReplayReport> r = replay(write(*p));
    ASSERT_TRUE(r.is_ok());
    ASSERT_TRUE(r->divergence);
    EXPECT_EQ(r->divergence->actual, "(none)");
    EXPECT_EQ(r->divergence->expected, "OpenLink b@h");
  }
  {
    // A different seed: the Node's random choices differ somewhere.
    std::unique_ptr<Parsed> p = parse(bytes);
    std::get<record::Create>(p->recs[0]).seed += 1;
    Result<ReplayReport> r = replay(write(*p));
    ASSERT_TRUE(r.is_ok());
    EXPECT_TRUE(r->divergence);
  }
}

TEST(Replay, BrokenRecordingsAreErrors) {
  const std::vector<uint8_t> bytes = make_recording();
  // Cut inside the last record.
  Result<ReplayReport> r = replay(std::span<const uint8_t>(bytes.data(), bytes.size() - 3));
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kTruncated);
  EXPECT_NE(r.status().message().find("at byte"), std::string_view::npos);

  // Two INPUTs in a row: out of order.
  std::unique_ptr<Parsed> p = parse(bytes);
  p->recs.erase(p->recs.begin() + 2);
  r = replay(write(*p));
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kMalformed);

  // Ends after an input: replayed, reported unchecked.
  p = parse(bytes);
  p->recs.pop_back();
  r = replay(write(*p));
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r->last_input_unchecked);
  EXPECT_FALSE(r->divergence);

  // A config the Node refuses.
  p = parse(bytes);
  std::get<record::Create>(p->recs[0]).config.hyparview.active_size = 0;
  r = replay(write(*p));
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);

  EXPECT_FALSE(replay({}).is_ok());
}

#ifdef BARREL_SIM_BIN
// Runs barrel-sim --replay on `bytes` written to a file: exit status, output.
std::pair<int, std::string> replay_cli(const std::vector<uint8_t>& bytes) {
  std::string path = "/tmp/barrel-replay-XXXXXX";
  const int fd = ::mkstemp(path.data());
  EXPECT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  std::string out;
  std::FILE* p =
      ::popen((std::string(BARREL_SIM_BIN) + " --replay " + path + " 2>&1").c_str(), "r");
  EXPECT_NE(p, nullptr);
  std::array<char, 4096> buf;
  // Bounded by the child's output.
  while (p != nullptr && std::fgets(buf.data(), static_cast<int>(buf.size()), p) != nullptr)
    out += buf.data();
  const int status = p != nullptr ? ::pclose(p) : -1;
  std::remove(path.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(ReplayCli, ExitStatusSaysNoDivergenceDivergenceOrBadFile) {
  const std::vector<uint8_t> bytes = make_recording();
  auto [ok_status, ok_out] = replay_cli(bytes);
  EXPECT_EQ(ok_status, 0) << ok_out;
  EXPECT_NE(ok_out.find("result: no divergence"), std::string::npos) << ok_out;

  std::unique_ptr<Parsed> p = parse(bytes);
  std::get<std::vector<Effect>>(p->recs[2]).push_back(OpenLink{*p->names.intern("b@h")});
  auto [div_status, div_out] = replay_cli(write(*p));
  EXPECT_EQ(div_status, 1) << div_out;
  EXPECT_NE(div_out.find("DIVERGENCE at input 0"), std::string::npos) << div_out;
  EXPECT_NE(div_out.find("recorded: OpenLink b@h"), std::string::npos) << div_out;

  auto [bad_status, bad_out] = replay_cli(std::vector<uint8_t>(bytes.begin(), bytes.end() - 2));
  EXPECT_EQ(bad_status, 2) << bad_out;
  EXPECT_NE(bad_out.find("at byte"), std::string::npos) << bad_out;
}
#endif

}  // namespace
}  // namespace barrel::sim
