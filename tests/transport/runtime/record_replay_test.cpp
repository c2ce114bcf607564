// record_replay_test.cpp — record a real node (RuntimeConfig::record_path) in
// a 3-node loopback cluster, then replay its recording: `barrel-sim --replay`
// finds no divergence, so the recording holds every input the core received.
#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>

#include "barrel/record.h"
#include "transport/runtime/cluster.h"

namespace barrel::transport::testing {
namespace {

// Starts a node like Cluster::start does, but recording to `record_path`
// (Cluster's config is fixed in cluster.h).
std::unique_ptr<Runtime> start_recorded(Cluster& cluster, TestNode& n,
                                        const std::string& record_path) {
  Result<NodeIdentity> id = NodeIdentity::generate();
  EXPECT_TRUE(id.is_ok());
  n.identity.emplace(std::move(id).value());
  RuntimeConfig c;
  c.name = n.name;
  c.auth.cookie = "test-cookie";
  c.quic.listen_address = "127.0.0.1";
  c.quic.idle_timeout = Duration::seconds(5);
  c.quic.keep_alive = Duration::micros(Duration::seconds(5).us() / 3);
  c.quic.handshake_timeout = Duration::seconds(2);
  c.quic.initial_rtt = Duration::millis(10);
  c.node.hyparview.shuffle_period = Duration::millis(500);
  c.node.hyparview.repair_period = Duration::millis(200);
  c.node.hyparview.contact_retry = Duration::millis(500);
  c.node.hyparview.neighbor_timeout = Duration::seconds(2);
  c.transient_idle = Duration::seconds(2);
  c.record_path = record_path;
  Result<TlsMaterial> tls = generate_self_signed({.common_name = n.name, .days = 1});
  EXPECT_TRUE(tls.is_ok());
  c.quic.cert_pem = tls->cert_pem;
  c.quic.key_pem = tls->key_pem;
  TestNode* np = &n;
  Logger logger(n.name, LogLevel::kDebug,
                [np](LogLevel, std::string_view line) { np->log.emplace_back(line); });
  Result<std::unique_ptr<Runtime>> rt =
      Runtime::create(cluster.io(), c, *n.identity, n.pins, cluster.resolver(), std::move(logger));
  EXPECT_TRUE(rt.is_ok()) << rt.status().to_string();
  if (!rt.is_ok())
    return nullptr;
  cluster.resolver().set(n.name,
                         boost::asio::ip::udp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                        (*rt)->local_port()));
  return std::move(rt).value();
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// Runs `command`, returning its exit status and standard output.
std::pair<int, std::string> run_command(const std::string& command) {
  std::string out;
  std::FILE* p = ::popen(command.c_str(), "r");
  EXPECT_NE(p, nullptr);
  if (p == nullptr)
    return {-1, ""};
  std::array<char, 4096> buf;
  // Bounded by the child's output.
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), p) != nullptr)
    out += buf.data();
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(RecordReplay, RealNodeRecordingReplaysInTheSimulatorWithoutDivergence) {
  TempDir dir;
  const std::string path = dir.sub("a.rec");
  Cluster cluster;
  TestNode& b = cluster.start("b@loop");
  TestNode& c = cluster.start("c@loop");
  TestNode a;
  a.name = "a@loop";
  std::unique_ptr<Runtime> rt = start_recorded(cluster, a, path);
  ASSERT_NE(rt, nullptr);
  std::set<std::string> a_delivered;
  rt->subscribe([&](const Event& e) {
    if (const auto* d = std::get_if<BroadcastDelivered>(&e))
      a_delivered.emplace(d->payload.bytes().begin(), d->payload.bytes().end());
  });

  ASSERT_TRUE(b.rt->join("c@loop").is_ok());
  ASSERT_TRUE(rt->join("b@loop").is_ok());
  ASSERT_TRUE(cluster.run_until([&] {
    return !rt->active_view().empty() && c.rt->active_view().size() >= 1 &&
           b.rt->active_view().size() >= 1;
  })) << cluster.dump();

  ASSERT_TRUE(rt->register_service("svc", 1, {{"role", "test"}}).is_ok());
  ASSERT_TRUE(c.rt->register_service("other", 2, {}).is_ok());
  ASSERT_TRUE(cluster.run_until(
      [&] { return c.rt->lookup("svc").size() == 1 && rt->lookup("other").size() == 1; }));
  const std::vector<uint8_t> hello = {'h', 'i'};
  ASSERT_TRUE(rt->broadcast(hello).is_ok());
  const std::vector<uint8_t> from_c = {'c', '!'};
  ASSERT_TRUE(c.rt->broadcast(from_c).is_ok());
  ASSERT_TRUE(cluster.run_until([&] { return a_delivered.count("c!") == 1; }));
  cluster.run_for(std::chrono::milliseconds(600));  // a few timers and shuffles
  rt->leave();
  cluster.run_for(std::chrono::milliseconds(200));
  rt->shutdown();
  rt.reset();

  const std::vector<uint8_t> bytes = read_file(path);
  ASSERT_GT(bytes.size(), record::kHeaderBytes);

  // The recording holds the kinds of input this life had.
  std::set<record::InputKind> kinds;
  {
    NameTable names(1024);
    record::Reader reader(bytes);
    for (size_t i = 0; i <= bytes.size(); ++i) {
      Result<std::optional<record::Record>> rec = reader.next(names);
      ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
      if (!rec->has_value())
        break;
      if (const auto* in = std::get_if<record::Input>(&**rec))
        kinds.insert(in->kind);
    }
  }
  for (record::InputKind k : {record::InputKind::kJoin, record::InputKind::kDeliver,
                              record::InputKind::kTimers, record::InputKind::kRegisterService,
                              record::InputKind::kBroadcast, record::InputKind::kLeave})
    EXPECT_TRUE(kinds.count(k)) << "no " << record::to_string(k) << " input recorded";

#ifdef BARREL_SIM_BIN
  auto [status, out] = run_command(std::string(BARREL_SIM_BIN) + " --replay " + path);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("result: no divergence"), std::string::npos) << out;
  EXPECT_NE(out.find("replay of a@loop"), std::string::npos) << out;
  std::cout << out;

  // The same file with one recorded effect byte changed: exit 1 or 2, never 0.
  std::vector<uint8_t> tampered = bytes;
  tampered[tampered.size() - 1] ^= 0x01;
  const std::string bad = dir.sub("bad.rec");
  std::ofstream(bad, std::ios::binary)
      .write(reinterpret_cast<const char*>(tampered.data()),
             static_cast<std::streamsize>(tampered.size()));
  auto [bad_status, bad_out] = run_command(std::string(BARREL_SIM_BIN) + " --replay " + bad);
  EXPECT_NE(bad_status, 0) << bad_out;
#else
  GTEST_SKIP() << "barrel-sim is not built: the replay itself is not run";
#endif
}

}  // namespace
}  // namespace barrel::transport::testing
