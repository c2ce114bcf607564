// host_port: the "host:port" grammar of static entries and endpoint files.
// Method: table of accepted and rejected texts; a rejection must say why.
#include "discovery/host_port.h"

#include <gtest/gtest.h>

namespace barrel::transport::discovery {
namespace {

TEST(HostPort, AcceptsIpv4HostnameAndBracketedIpv6) {
  struct Case {
    const char* text;
    const char* host;
    uint16_t port;
  };
  const Case cases[] = {
      {"127.0.0.1:9000", "127.0.0.1", 9000},
      {"db1.example-lan_2:1", "db1.example-lan_2", 1},
      {"[::1]:65535", "::1", 65535},
      {"[fe80::1]:443", "fe80::1", 443},
  };
  for (const Case& c : cases) {
    Result<HostPort> r = parse_host_port(c.text);
    ASSERT_TRUE(r.is_ok()) << c.text << ": " << r.status().to_string();
    EXPECT_EQ(r->host, c.host) << c.text;
    EXPECT_EQ(r->port, c.port) << c.text;
  }
}

TEST(HostPort, RejectsWithAReason) {
  struct Case {
    const char* text;
    const char* reason;  // a fragment of the message
  };
  const Case cases[] = {
      {"", "empty"},
      {"hostonly", "missing ':port'"},
      {"host:", "missing port"},
      {":9000", "missing host"},
      {"host:0", "out of range"},
      {"host:65536", "out of range"},
      {"host:123456", "out of range"},
      {"host:90a", "not a number"},
      {"host:-1", "not a number"},
      {"::1:9000", "needs brackets"},
      {"[::1]9000", "missing ':port' after ']'"},
      {"[::1:9000", "without ']'"},
      {"[not-v6]:9000", "not an IPv6 address"},
      {"ho st:9000", "character outside"},
      {"a/b:9000", "character outside"},
  };
  for (const Case& c : cases) {
    Result<HostPort> r = parse_host_port(c.text);
    ASSERT_FALSE(r.is_ok()) << "accepted '" << c.text << "'";
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << c.text;
    EXPECT_NE(r.status().message().find(c.reason), std::string_view::npos)
        << "'" << c.text << "' -> " << r.status().to_string();
  }
}

TEST(HostPort, RejectsAnOverlongHost) {
  const std::string host(254, 'a');
  EXPECT_FALSE(parse_host_port(host + ":1").is_ok());
  EXPECT_TRUE(parse_host_port(std::string(253, 'a') + ":1").is_ok());
}

TEST(HostPort, FormatBracketsIpv6AndRoundTrips) {
  EXPECT_EQ(format_host_port("127.0.0.1", 9000), "127.0.0.1:9000");
  EXPECT_EQ(format_host_port("::1", 9000), "[::1]:9000");
  for (const char* host : {"10.1.2.3", "::1", "node-7.lan"}) {
    Result<HostPort> back = parse_host_port(format_host_port(host, 4242));
    ASSERT_TRUE(back.is_ok()) << host;
    EXPECT_EQ(back->host, host);
    EXPECT_EQ(back->port, 4242);
  }
}

}  // namespace
}  // namespace barrel::transport::discovery
