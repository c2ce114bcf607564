// host_resolver.cpp — see host_resolver.h.
#include "discovery/host_resolver.h"

#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <string>

namespace barrel::transport::discovery {

namespace asio = boost::asio;
using asio::ip::udp;

Result<udp::endpoint> HostResolver::resolve(std::string_view host, uint16_t port) {
  if (host.empty())
    return Status(Code::kIo, "empty host");
  const std::string h(host);
  boost::system::error_code ec;
  const asio::ip::address literal = asio::ip::make_address(h, ec);
  if (!ec)
    return udp::endpoint(literal, port);

  udp::resolver resolver(io_);
  // numeric_service: the port is a number, never a service name lookup.
  const udp::resolver::results_type results =
      resolver.resolve(h, std::to_string(port), udp::resolver::numeric_service, ec);
  if (ec)
    return Status(Code::kIo, "cannot resolve host '" + h + "': " + ec.message());
  const udp::endpoint* first = nullptr;
  for (const auto& entry : results) {
    const udp::endpoint& at = entry.endpoint();
    if (at.address().is_v4())
      return udp::endpoint(at.address(), port);
    if (first == nullptr)
      first = &at;
  }
  if (first == nullptr)
    return Status(Code::kIo, "host '" + h + "' resolves to no address");
  return udp::endpoint(first->address(), port);
}

}  // namespace barrel::transport::discovery
