// DiscoveryChain: backends tried in order (first hit wins), the answer and
// miss caches (ttl, on_dial_failed, bound), and the factory's errors.
// Method: fake backends that count their calls, a clock moved by hand (no
// sleeps), and for the configured chain real static/file backends on a
// fresh /tmp directory.
#include <map>

#include <gtest/gtest.h>

#include "barrel/transport/discovery.h"
#include "transport/credentials/temp_dir.h"

namespace barrel::transport {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::udp;

udp::endpoint ep(const char* addr, uint16_t port) {
  return udp::endpoint(make_address(addr), port);
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Knows a fixed table; counts lookups; answers `failure` for unknown names.
class FakeBackend final : public DiscoveryBackend {
 public:
  struct Shared {
    std::map<std::string, udp::endpoint, std::less<>> table;
    Status failure = Status::not_found("not in fake table");
    int calls = 0;
  };
  FakeBackend(std::string kind, Shared& shared) : kind_(std::move(kind)), shared_(shared) {}
  std::string_view kind() const override { return kind_; }
  Result<udp::endpoint> lookup(std::string_view name) override {
    ++shared_.calls;
    auto it = shared_.table.find(name);
    if (it == shared_.table.end())
      return shared_.failure;
    return it->second;
  }

 private:
  std::string kind_;
  Shared& shared_;
};

class ChainTest : public ::testing::Test {
 protected:
  std::unique_ptr<DiscoveryChain> make(DiscoveryConfig config = {}) {
    std::vector<std::unique_ptr<DiscoveryBackend>> backends;
    backends.push_back(std::make_unique<FakeBackend>("first", first_));
    backends.push_back(std::make_unique<FakeBackend>("second", second_));
    auto c = DiscoveryChain::from_backends(std::move(backends), config, quiet(),
                                           [this] { return now_; });
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    return c.is_ok() ? std::move(c.value()) : nullptr;
  }
  // Warnings are expected in some tests; keep the output clean.
  static Logger quiet() {
    return Logger("discovery", LogLevel::kError, [](LogLevel, auto) {});
  }

  FakeBackend::Shared first_, second_;
  Instant now_ = Instant::from_us(1'000'000);
};

TEST_F(ChainTest, FirstHitWinsInOrder) {
  first_.table["a@h"] = ep("10.0.0.1", 1);
  second_.table["a@h"] = ep("10.0.0.2", 2);
  second_.table["b@h"] = ep("10.0.0.2", 3);
  auto chain = make();
  ASSERT_NE(chain, nullptr);

  EXPECT_EQ(chain->resolve("a@h"), ep("10.0.0.1", 1));
  EXPECT_EQ(first_.calls, 1);
  EXPECT_EQ(second_.calls, 0);  // never asked: the first one knew

  EXPECT_EQ(chain->resolve("b@h"), ep("10.0.0.2", 3));
  EXPECT_EQ(first_.calls, 2);
  EXPECT_EQ(second_.calls, 1);
  EXPECT_EQ(chain->stats().resolved, 2u);
}

TEST_F(ChainTest, AFailingBackendDoesNotStopTheChain) {
  first_.failure = Status(Code::kMalformed, "x.endpoint: garbage");
  second_.table["a@h"] = ep("10.0.0.2", 2);
  auto chain = make();
  ASSERT_NE(chain, nullptr);
  EXPECT_EQ(chain->resolve("a@h"), ep("10.0.0.2", 2));
}

TEST_F(ChainTest, AMissSaysWhatEachBackendAnswered) {
  first_.failure = Status(Code::kMalformed, "x.endpoint: garbage");
  auto chain = make();
  ASSERT_NE(chain, nullptr);
  Result<udp::endpoint> r = chain->lookup("z@h");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_TRUE(contains(r.status().message(), "z@h")) << r.status().to_string();
  EXPECT_TRUE(contains(r.status().message(), "first: ")) << r.status().to_string();
  EXPECT_TRUE(contains(r.status().message(), "garbage")) << r.status().to_string();
  EXPECT_TRUE(contains(r.status().message(), "second: ")) << r.status().to_string();
  EXPECT_EQ(chain->resolve("z@h"), std::nullopt);
}

TEST_F(ChainTest, AnAnswerIsCachedForTheTtl) {
  first_.table["a@h"] = ep("10.0.0.1", 1);
  DiscoveryConfig config;
  config.cache_ttl = Duration::seconds(5);
  auto chain = make(config);
  ASSERT_NE(chain, nullptr);

  ASSERT_EQ(chain->resolve("a@h"), ep("10.0.0.1", 1));
  // The node moved; within the ttl the old answer stands, unasked.
  first_.table["a@h"] = ep("10.0.0.1", 7);
  now_ = now_ + Duration::seconds(5) - Duration::micros(1);
  EXPECT_EQ(chain->resolve("a@h"), ep("10.0.0.1", 1));
  EXPECT_EQ(first_.calls, 1);
  EXPECT_EQ(chain->stats().cache_hits, 1u);

  now_ = now_ + Duration::micros(1);  // exactly the ttl: expired
  EXPECT_EQ(chain->resolve("a@h"), ep("10.0.0.1", 7));
  EXPECT_EQ(first_.calls, 2);
}

TEST_F(ChainTest, ADialFailureDropsTheCachedAnswer) {
  first_.table["a@h"] = ep("10.0.0.1", 1);
  auto chain = make();
  ASSERT_NE(chain, nullptr);
  ASSERT_EQ(chain->resolve("a@h"), ep("10.0.0.1", 1));
  first_.table["a@h"] = ep("10.0.0.1", 7);  // restarted on another port
  EXPECT_EQ(chain->resolve("a@h"), ep("10.0.0.1", 1));
  EXPECT_EQ(first_.calls, 1);

  chain->on_dial_failed("a@h");
  EXPECT_EQ(chain->resolve("a@h"), ep("10.0.0.1", 7));
  EXPECT_EQ(first_.calls, 2);
  chain->on_dial_failed("never-seen@h");  // harmless
  EXPECT_EQ(chain->stats().dial_failures, 2u);
}

TEST_F(ChainTest, AMissIsCachedBrieflyThenAskedAgain) {
  DiscoveryConfig config;
  config.miss_ttl = Duration::seconds(1);
  auto chain = make(config);
  ASSERT_NE(chain, nullptr);
  EXPECT_EQ(chain->resolve("a@h"), std::nullopt);
  EXPECT_EQ(first_.calls, 1);
  EXPECT_EQ(second_.calls, 1);

  first_.table["a@h"] = ep("10.0.0.1", 1);  // the node starts
  now_ = now_ + Duration::millis(999);
  EXPECT_EQ(chain->resolve("a@h"), std::nullopt);  // the miss still stands
  EXPECT_EQ(first_.calls, 1);
  now_ = now_ + Duration::millis(1);
  EXPECT_EQ(chain->resolve("a@h"), ep("10.0.0.1", 1));
  EXPECT_EQ(first_.calls, 2);

  // on_dial_failed also forgets a cached miss.
  EXPECT_EQ(chain->resolve("b@h"), std::nullopt);
  const int before = first_.calls;
  chain->on_dial_failed("b@h");
  EXPECT_EQ(chain->resolve("b@h"), std::nullopt);
  EXPECT_EQ(first_.calls, before + 1);
}

TEST_F(ChainTest, ZeroTtlsDisableCaching) {
  first_.table["a@h"] = ep("10.0.0.1", 1);
  DiscoveryConfig config;
  config.cache_ttl = Duration::zero();
  config.miss_ttl = Duration::zero();
  auto chain = make(config);
  ASSERT_NE(chain, nullptr);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(chain->resolve("a@h"), ep("10.0.0.1", 1));
    EXPECT_EQ(chain->resolve("z@h"), std::nullopt);
  }
  EXPECT_EQ(first_.calls, 6);
  EXPECT_EQ(chain->cache_size(), 0u);
}

TEST_F(ChainTest, TheCacheIsBounded) {
  DiscoveryConfig config;
  config.cache_entries_max = 2;
  for (const char* n : {"a@h", "b@h", "c@h"})
    first_.table[n] = ep("10.0.0.1", 1);
  auto chain = make(config);
  ASSERT_NE(chain, nullptr);
  EXPECT_TRUE(chain->resolve("a@h").has_value());
  now_ = now_ + Duration::millis(1);
  EXPECT_TRUE(chain->resolve("b@h").has_value());
  now_ = now_ + Duration::millis(1);
  EXPECT_TRUE(chain->resolve("c@h").has_value());  // evicts a@h (soonest to expire)
  EXPECT_EQ(chain->cache_size(), 2u);
  const int before = first_.calls;
  EXPECT_TRUE(chain->resolve("c@h").has_value());
  EXPECT_TRUE(chain->resolve("b@h").has_value());
  EXPECT_EQ(first_.calls, before);
  EXPECT_TRUE(chain->resolve("a@h").has_value());
  EXPECT_EQ(first_.calls, before + 1);
}

TEST_F(ChainTest, ABadNameAsksNoBackendAndIsNotCached) {
  auto chain = make();
  ASSERT_NE(chain, nullptr);
  for (const char* name : {"", "no-at", "a@b@c", "../x@h"}) {
    Result<udp::endpoint> r = chain->lookup(name);
    ASSERT_FALSE(r.is_ok()) << name;
    EXPECT_EQ(r.status().code(), Code::kBadName) << name;
  }
  EXPECT_EQ(first_.calls, 0);
  EXPECT_EQ(chain->cache_size(), 0u);
}

// --- the configured chain ------------------------------------------------------

TEST(DiscoveryChainConfig, BackendsAreTriedInTheConfiguredOrder) {
  test::TempDir tmp;
  auto file = EndpointFile::create(tmp.path(), "a@localhost", "127.0.0.1", 7001);
  ASSERT_TRUE(file.is_ok()) << file.status().to_string();
  DiscoveryConfig config;
  config.static_nodes = {{"a@localhost", "127.0.0.1:7002"}};
  config.discovery_dir = tmp.path();
  config.dns_port = 7003;

  const std::pair<std::vector<std::string>, uint16_t> orders[] = {
      {{"file", "static", "dns"}, 7001},
      {{"static", "file", "dns"}, 7002},
      {{"dns", "static", "file"}, 7003},
  };
  for (const auto& [backends, port] : orders) {
    config.backends = backends;
    auto chain = DiscoveryChain::create(config);
    ASSERT_TRUE(chain.is_ok()) << chain.status().to_string();
    EXPECT_EQ(chain.value()->resolve("a@localhost"), ep("127.0.0.1", port)) << backends[0];
  }

  // The file goes away at a clean exit: the next backend answers once the
  // cached answer is dropped.
  config.backends = {"file", "static"};
  auto chain = DiscoveryChain::create(config);
  ASSERT_TRUE(chain.is_ok());
  EXPECT_EQ(chain.value()->resolve("a@localhost"), ep("127.0.0.1", 7001));
  file = Status::not_found("exited");  // destroys the EndpointFile
  EXPECT_EQ(chain.value()->resolve("a@localhost"), ep("127.0.0.1", 7001));  // cached
  chain.value()->on_dial_failed("a@localhost");
  EXPECT_EQ(chain.value()->resolve("a@localhost"), ep("127.0.0.1", 7002));
}

TEST(DiscoveryChainConfig, ErrorsNameTheCulprit) {
  struct Case {
    const char* what;
    DiscoveryConfig config;
    const char* fragment;
  };
  auto with = [](auto edit) {
    DiscoveryConfig c;
    c.dns_port = 9000;
    edit(c);
    return c;
  };
  const Case cases[] = {
      {"unknown", with([](auto& c) {
         c.backends = {"static", "consul"};
       }),
       "\"consul\""},
      {"twice", with([](auto& c) {
         c.backends = {"file", "dns", "file"};
       }),
       "listed twice"},
      {"empty", with([](auto& c) { c.backends = {}; }), "discovery_backends is empty"},
      {"nodir", with([](auto& c) { c.discovery_dir = ""; }), "needs discovery_dir"},
      {"noport", with([](auto& c) {
         c.backends = {"dns"};
         c.dns_port = 0;
       }),
       "needs dns_port"},
      {"entry", with([](auto& c) {
         c.static_nodes = {{"w@h", "w:port"}};
       }),
       "static_nodes[\"w@h\"] = \"w:port\""},
      {"ttl", with([](auto& c) { c.cache_ttl = Duration::seconds(-1); }), "cache_ttl"},
      {"miss", with([](auto& c) { c.miss_ttl = Duration::seconds(-1); }), "miss_ttl"},
      {"max", with([](auto& c) { c.cache_entries_max = 0; }), "cache_entries_max"},
  };
  for (const Case& c : cases) {
    auto chain = DiscoveryChain::create(c.config);
    ASSERT_FALSE(chain.is_ok()) << c.what;
    EXPECT_EQ(chain.status().code(), Code::kInvalidArgument) << c.what;
    EXPECT_TRUE(contains(chain.status().message(), c.fragment))
        << c.what << ": " << chain.status().to_string();
  }
  // Not listed, not required: no dir and no port are fine for static only.
  DiscoveryConfig only_static;
  only_static.backends = {"static"};
  only_static.discovery_dir = "";
  EXPECT_TRUE(DiscoveryChain::create(only_static).is_ok());
}

}  // namespace
}  // namespace barrel::transport
