// host_resolver.h — a host (IP literal or hostname) and a port to one UDP
// address, shared by the backends.
//
// A literal is parsed without a system call. A hostname goes through
// boost::asio's synchronous udp::resolver, i.e. getaddrinfo: it BLOCKS the
// calling (io) thread until the system resolver answers — microseconds for
// /etc/hosts, up to the resolv.conf timeout for an unreachable DNS server.
// Among the answers the first IPv4 one wins, else the first one: IPv4 is what
// loopback test clusters and most LANs listen on, and "localhost" must give
// 127.0.0.1 even where it also resolves to ::1.
//
// Thread-safety: one per thread (owns a private io_context for the resolver).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <string_view>

#include "barrel/result.h"

namespace barrel::transport::discovery {

class HostResolver {
 public:
  // kIo naming the host and getaddrinfo's reason if it does not resolve.
  Result<boost::asio::ip::udp::endpoint> resolve(std::string_view host, uint16_t port);

 private:
  // Synchronous resolution never runs this context; the resolver object
  // merely needs an executor.
  boost::asio::io_context io_;
};

}  // namespace barrel::transport::discovery
