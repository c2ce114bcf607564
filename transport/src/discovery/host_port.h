// host_port.h — the "host:port" text of static entries and endpoint files.
//
//   host_port := host ":" port | "[" ipv6 "]" ":" port
//   host      := [A-Za-z0-9_.-]{1,253}  (a hostname or an IPv4 literal)
//   port      := decimal 1..65535, at most 5 digits
//
// An IPv6 literal must be bracketed, so the last ':' is always the port's.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "barrel/result.h"

namespace barrel::transport::discovery {

struct HostPort {
  std::string host;  // without brackets
  uint16_t port = 0;
};

// kInvalidArgument with a message saying what is wrong (not naming the
// input's source: the caller adds that).
Result<HostPort> parse_host_port(std::string_view text);

// "host:port", or "[host]:port" when host contains ':' (IPv6).
std::string format_host_port(std::string_view host, uint16_t port);

}  // namespace barrel::transport::discovery
