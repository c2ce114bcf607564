// static_backend.h — the "static" discovery backend: a table from the
// configuration, name -> "host:port".
//
// The table is validated once, at construction: every name must pass
// validate_node_name and every value must parse as host:port. An IP literal
// becomes an address then; a hostname is kept and resolved at each lookup
// (so a changed DNS record is seen once the chain's cache expires).
//
// Thread-safety: none (one per chain).
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "barrel/result.h"
#include "barrel/transport/discovery.h"
#include "discovery/host_port.h"
#include "discovery/host_resolver.h"

namespace barrel::transport::discovery {

class StaticBackend final : public DiscoveryBackend {
 public:
  // kInvalidArgument naming the entry: 'static_nodes["a@h"] = "x": <why>'.
  static Result<std::unique_ptr<StaticBackend>> create(
      const std::map<std::string, std::string>& table);

  std::string_view kind() const override { return "static"; }
  // kNotFound if the name is not in the table; kIo if its host does not resolve.
  Result<boost::asio::ip::udp::endpoint> lookup(std::string_view name) override;

 private:
  struct Target {
    HostPort text;
    std::optional<boost::asio::ip::udp::endpoint> literal;  // set for an IP literal
  };
  explicit StaticBackend(std::map<std::string, Target, std::less<>> table)
      : table_(std::move(table)) {}

  std::map<std::string, Target, std::less<>> table_;
  HostResolver resolver_;
};

}  // namespace barrel::transport::discovery
