// dns_backend.cpp — see dns_backend.h.
#include "discovery/dns_backend.h"

#include "barrel/ids.h"

namespace barrel::transport::discovery {

using boost::asio::ip::udp;

Result<udp::endpoint> DnsBackend::lookup(std::string_view name) {
  if (Status s = validate_node_name(name); !s.is_ok())
    return s;
  // validate_node_name guarantees exactly one '@' and a non-empty host.
  const std::string_view host = name.substr(name.find('@') + 1);
  return resolver_.resolve(host, port_);
}

}  // namespace barrel::transport::discovery
