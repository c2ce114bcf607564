// host_port.cpp — see host_port.h.
#include "discovery/host_port.h"

#include <boost/asio/ip/address_v6.hpp>
#include <boost/system/error_code.hpp>

namespace barrel::transport::discovery {
namespace {

constexpr size_t kHostBytesMax = 253;  // a DNS name's limit
constexpr size_t kPortDigitsMax = 5;

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

Result<uint16_t> parse_port(std::string_view digits) {
  if (digits.empty())
    return Status::invalid_argument("missing port after ':'");
  if (digits.size() > kPortDigitsMax)
    return Status::invalid_argument("port '" + std::string(digits) + "' is out of range 1..65535");
  uint32_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      return Status::invalid_argument("port '" + std::string(digits) + "' is not a number");
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  if (v == 0 || v > 65535)
    return Status::invalid_argument("port '" + std::string(digits) + "' is out of range 1..65535");
  return static_cast<uint16_t>(v);
}

}  // namespace

Result<HostPort> parse_host_port(std::string_view text) {
  if (text.empty())
    return Status::invalid_argument("empty, expected host:port");
  HostPort out;
  std::string_view port_text;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos)
      return Status::invalid_argument("'[' without ']' (expected [ipv6]:port)");
    if (close + 1 >= text.size() || text[close + 1] != ':')
      return Status::invalid_argument("missing ':port' after ']'");
    out.host = std::string(text.substr(1, close - 1));
    boost::system::error_code ec;
    (void)boost::asio::ip::make_address_v6(out.host, ec);
    if (ec)
      return Status::invalid_argument("'" + out.host + "' in brackets is not an IPv6 address");
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos)
      return Status::invalid_argument("missing ':port' (expected host:port)");
    const std::string_view host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos)
      return Status::invalid_argument("an IPv6 address needs brackets: [addr]:port");
    if (host.empty())
      return Status::invalid_argument("missing host before ':'");
    if (host.size() > kHostBytesMax)
      return Status::invalid_argument("host is longer than 253 bytes");
    for (char c : host) {
      if (!is_host_char(c))
        return Status::invalid_argument("host '" + std::string(host) +
                                        "' has a character outside [A-Za-z0-9_.-]");
    }
    out.host = std::string(host);
    port_text = text.substr(colon + 1);
  }
  Result<uint16_t> port = parse_port(port_text);
  if (!port.is_ok())
    return port.status();
  out.port = port.value();
  return out;
}

std::string format_host_port(std::string_view host, uint16_t port) {
  std::string out;
  if (host.find(':') != std::string_view::npos) {
    out += '[';
    out += host;
    out += ']';
  } else {
    out += host;
  }
  out += ':';
  out += std::to_string(port);
  return out;
}

}  // namespace barrel::transport::discovery
