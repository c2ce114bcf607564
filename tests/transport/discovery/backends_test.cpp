// Discovery backends and the endpoint file: static table, <name>.endpoint
// files written by EndpointFile and read by FileBackend, and DNS on the host
// part of a name. Method: real files in a fresh /tmp directory per test
// (removed at the end), and only names that resolve without a network:
// literals, "localhost" (/etc/hosts) and the reserved .invalid TLD, which
// fails fast.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "barrel/transport/discovery.h"
#include "discovery/dns_backend.h"
#include "discovery/file_backend.h"
#include "discovery/static_backend.h"
#include "transport/credentials/temp_dir.h"

namespace barrel::transport::discovery {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::udp;
using test::mode_of;
using test::slurp;
using test::spit;
using test::TempDir;
using test::tree;

udp::endpoint ep(const char* addr, uint16_t port) {
  return udp::endpoint(make_address(addr), port);
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// --- static ----------------------------------------------------------------

TEST(StaticBackend, AnswersLiteralsAndResolvesHostnames) {
  auto b = StaticBackend::create(
      {{"a@h", "10.0.0.7:9001"}, {"b@h", "[::1]:9002"}, {"c@h", "localhost:9003"}});
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  StaticBackend& s = *b.value();
  EXPECT_EQ(s.lookup("a@h").value(), ep("10.0.0.7", 9001));
  EXPECT_EQ(s.lookup("b@h").value(), ep("::1", 9002));
  Result<udp::endpoint> c = s.lookup("c@h");
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(c.value(), ep("127.0.0.1", 9003));  // IPv4 preferred
  Result<udp::endpoint> d = s.lookup("d@h");
  ASSERT_FALSE(d.is_ok());
  EXPECT_EQ(d.status().code(), Code::kNotFound);
}

TEST(StaticBackend, ABadEntryIsNamedWithItsReason) {
  auto bad_value = StaticBackend::create({{"ok@h", "1.2.3.4:5"}, {"web@h", "1.2.3.4"}});
  ASSERT_FALSE(bad_value.is_ok());
  EXPECT_EQ(bad_value.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(contains(bad_value.status().message(), "static_nodes[\"web@h\"] = \"1.2.3.4\""))
      << bad_value.status().to_string();
  EXPECT_TRUE(contains(bad_value.status().message(), "missing ':port'"));

  auto bad_port = StaticBackend::create({{"web@h", "h:70000"}});
  ASSERT_FALSE(bad_port.is_ok());
  EXPECT_TRUE(contains(bad_port.status().message(), "web@h"));
  EXPECT_TRUE(contains(bad_port.status().message(), "out of range"));

  auto bad_name = StaticBackend::create({{"no-at-sign", "1.2.3.4:5"}});
  ASSERT_FALSE(bad_name.is_ok());
  EXPECT_EQ(bad_name.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(contains(bad_name.status().message(), "no-at-sign"));
  EXPECT_TRUE(contains(bad_name.status().message(), "bad node name"));
}

// --- endpoint file + file backend -----------------------------------------

TEST(EndpointFile, WritesOneLineAtomicallyAndTheFileBackendReadsItBack) {
  TempDir tmp;
  const std::string dir = tmp / "data/discovery";  // missing: created
  {
    Result<EndpointFile> f = EndpointFile::create(dir, "api@node1", "127.0.0.1", 9100);
    ASSERT_TRUE(f.is_ok()) << f.status().to_string();
    EXPECT_EQ(f->path(), dir + "/api@node1.endpoint");
    EXPECT_EQ(slurp(f->path()), "127.0.0.1:9100\n");
    EXPECT_EQ(mode_of(f->path()), 0644);
    EXPECT_EQ(mode_of(dir), 0755);
    // Nothing else: no temp file left behind.
    EXPECT_EQ(tree(dir), (std::vector<std::string>{"api@node1.endpoint"}));

    FileBackend b(dir);
    Result<udp::endpoint> r = b.lookup("api@node1");
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(r.value(), ep("127.0.0.1", 9100));
  }
  // Clean exit: the file is gone, and a lookup misses.
  EXPECT_TRUE(tree(dir).empty());
  FileBackend b(dir);
  Result<udp::endpoint> r = b.lookup("api@node1");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
}

TEST(EndpointFile, Ipv6AndHostnameAddressesRoundTrip) {
  TempDir tmp;
  auto v6 = EndpointFile::create(tmp.path(), "a@h", "::1", 7001);
  auto named = EndpointFile::create(tmp.path(), "b@h", "localhost", 7002);
  ASSERT_TRUE(v6.is_ok()) << v6.status().to_string();
  ASSERT_TRUE(named.is_ok()) << named.status().to_string();
  EXPECT_EQ(slurp(v6->path()), "[::1]:7001\n");
  FileBackend b(tmp.path());
  EXPECT_EQ(b.lookup("a@h").value(), ep("::1", 7001));
  EXPECT_EQ(b.lookup("b@h").value(), ep("127.0.0.1", 7002));
}

TEST(EndpointFile, ReleaseMoveAndReplacementDecideWhoRemoves) {
  TempDir tmp;
  const std::string path = endpoint_file_path(tmp.path(), "a@h");
  {
    auto f = EndpointFile::create(tmp.path(), "a@h", "127.0.0.1", 1000);
    ASSERT_TRUE(f.is_ok());
    f->release();
    EXPECT_TRUE(f->path().empty());
  }
  EXPECT_EQ(slurp(path), "127.0.0.1:1000\n");  // released: kept

  {
    auto f = EndpointFile::create(tmp.path(), "a@h", "127.0.0.1", 1001);
    ASSERT_TRUE(f.is_ok());
    EndpointFile moved = std::move(f.value());
    { EndpointFile sink = std::move(moved); }  // the last owner removes
    EXPECT_FALSE(std::filesystem::exists(path));
  }

  {
    auto f = EndpointFile::create(tmp.path(), "a@h", "127.0.0.1", 1002);
    ASSERT_TRUE(f.is_ok());
    // A restarted process of the same node replaced the file: not ours.
    spit(path, "127.0.0.1:2002\n");
  }
  EXPECT_EQ(slurp(path), "127.0.0.1:2002\n");

  auto f = EndpointFile::create(tmp.path(), "a@h", "127.0.0.1", 1003);
  ASSERT_TRUE(f.is_ok());
  EXPECT_TRUE(f->remove().is_ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(f->remove().is_ok());  // idempotent
}

TEST(EndpointFile, RejectsBadArgumentsWithoutWriting) {
  TempDir tmp;
  struct Case {
    std::string dir, name, host;
    uint16_t port;
    const char* reason;
  };
  const Case cases[] = {
      {tmp.path(), "../../etc/x@h", "127.0.0.1", 1, "bad node name"},
      {tmp.path(), "x@h/../../y", "127.0.0.1", 1, "bad node name"},
      {tmp.path(), "noat", "127.0.0.1", 1, "bad node name"},
      {tmp.path(), "x@h", "127.0.0.1", 0, "port 0"},
      {tmp.path(), "x@h", "", 1, "advertised address"},
      {tmp.path(), "x@h", "bad host", 1, "advertised address"},
      {"", "x@h", "127.0.0.1", 1, "discovery_dir is empty"},
  };
  for (const Case& c : cases) {
    Result<EndpointFile> f = EndpointFile::create(c.dir, c.name, c.host, c.port);
    ASSERT_FALSE(f.is_ok()) << c.name << " " << c.host;
    EXPECT_EQ(f.status().code(), Code::kInvalidArgument);
    EXPECT_TRUE(contains(f.status().message(), c.reason)) << f.status().to_string();
  }
  EXPECT_TRUE(tree(tmp.path()).empty());
}

TEST(FileBackend, GarbageContentIsAMissThatNamesTheFile) {
  TempDir tmp;
  FileBackend b(tmp.path());
  struct Case {
    const char* name;
    std::string content;
    Code code;
  };
  const Case cases[] = {
      {"empty@h", "", Code::kMalformed},
      {"words@h", "hello world\n", Code::kMalformed},
      {"noport@h", "127.0.0.1\n", Code::kMalformed},
      {"twolines@h", "127.0.0.1:1\n127.0.0.1:2\n", Code::kMalformed},
      {"crlf@h", "127.0.0.1:1\r\n", Code::kMalformed},
      {"binary@h", std::string("\x00\xff\x7f:\x01\n", 6), Code::kMalformed},
      {"huge@h", std::string(kEndpointFileBytesMax + 1, '1'), Code::kOversized},
  };
  for (const Case& c : cases) {
    spit(tmp / (std::string(c.name) + ".endpoint"), c.content);
    Result<udp::endpoint> r = b.lookup(c.name);
    ASSERT_FALSE(r.is_ok()) << c.name;
    EXPECT_EQ(r.status().code(), c.code) << c.name << ": " << r.status().to_string();
    EXPECT_TRUE(contains(r.status().message(), c.name)) << r.status().to_string();
  }
  // A hand-written line without the final newline is fine.
  spit(tmp / "nonl@h.endpoint", "127.0.0.1:5");
  EXPECT_EQ(b.lookup("nonl@h").value(), ep("127.0.0.1", 5));
}

TEST(FileBackend, NamesThatCouldLeaveTheDirectoryAreRejected) {
  TempDir tmp;
  // A file a traversal would reach, one level up from the backend's dir.
  const std::string dir = tmp / "disc";
  std::filesystem::create_directory(dir);
  spit(tmp / "x@h.endpoint", "127.0.0.1:9\n");
  FileBackend b(dir);
  for (const char* name : {"../x@h", "x@h/../../x", "/x@h", "x@../x@h"}) {
    Result<udp::endpoint> r = b.lookup(name);
    ASSERT_FALSE(r.is_ok()) << name;
    EXPECT_EQ(r.status().code(), Code::kBadName) << name;
  }
}

// --- dns ---------------------------------------------------------------------

TEST(DnsBackend, ResolvesTheHostPartPairedWithTheClusterPort) {
  DnsBackend b(9555);
  Result<udp::endpoint> r = b.lookup("x@localhost");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r.value(), ep("127.0.0.1", 9555));
  EXPECT_EQ(b.lookup("y@10.1.2.3").value(), ep("10.1.2.3", 9555));  // literal, no query
}

TEST(DnsBackend, AnUnresolvableHostIsAMissQuickly) {
  DnsBackend b(9555);
  const auto start = std::chrono::steady_clock::now();
  Result<udp::endpoint> r = b.lookup("x@nonexistent.invalid");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kIo);
  EXPECT_TRUE(contains(r.status().message(), "nonexistent.invalid")) << r.status().to_string();
  // .invalid is reserved (RFC 6761): resolvers answer NXDOMAIN at once.
  EXPECT_LT(took, std::chrono::seconds(10));

  Result<udp::endpoint> bad = b.lookup("no-host-part");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), Code::kBadName);
}

}  // namespace
}  // namespace barrel::transport::discovery
