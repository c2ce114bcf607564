// dns_backend.h — the "dns" discovery backend: the host part of the name.
//
// "api@db1.lan" is looked for at db1.lan (getaddrinfo: /etc/hosts, then DNS),
// on `port`, the cluster's common listen port; "api@10.0.0.7" needs no query.
// The query BLOCKS the io thread (host_resolver.h); the chain's caches make it
// rare. Nodes that share a host but not a port need the file or static
// backend instead.
//
// Thread-safety: none (one per chain).
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <string_view>

#include "barrel/result.h"
#include "barrel/transport/discovery.h"
#include "discovery/host_resolver.h"

namespace barrel::transport::discovery {

class DnsBackend final : public DiscoveryBackend {
 public:
  explicit DnsBackend(uint16_t port) : port_(port) {}

  std::string_view kind() const override { return "dns"; }
  // kBadName (name does not validate), kIo (the host does not resolve).
  Result<boost::asio::ip::udp::endpoint> lookup(std::string_view name) override;

 private:
  uint16_t port_;
  HostResolver resolver_;
};

}  // namespace barrel::transport::discovery
