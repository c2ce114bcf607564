// static_backend.cpp — see static_backend.h.
#include "discovery/static_backend.h"

#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>

#include "barrel/ids.h"

namespace barrel::transport::discovery {

using boost::asio::ip::udp;

Result<std::unique_ptr<StaticBackend>> StaticBackend::create(
    const std::map<std::string, std::string>& table) {
  std::map<std::string, Target, std::less<>> parsed;
  for (const auto& [name, value] : table) {
    const std::string where = "static_nodes[\"" + name + "\"] = \"" + value + "\": ";
    if (Status s = validate_node_name(name); !s.is_ok())
      return Status::invalid_argument(where + "bad node name: " + std::string(s.message()));
    Result<HostPort> hp = parse_host_port(value);
    if (!hp.is_ok())
      return Status::invalid_argument(where + std::string(hp.status().message()));
    Target t{std::move(hp.value()), std::nullopt};
    boost::system::error_code ec;
    const boost::asio::ip::address a = boost::asio::ip::make_address(t.text.host, ec);
    if (!ec)
      t.literal = udp::endpoint(a, t.text.port);
    parsed.emplace(name, std::move(t));
  }
  return std::unique_ptr<StaticBackend>(new StaticBackend(std::move(parsed)));
}

Result<udp::endpoint> StaticBackend::lookup(std::string_view name) {
  auto it = table_.find(name);
  if (it == table_.end())
    return Status::not_found("not in static_nodes");
  if (it->second.literal)
    return *it->second.literal;
  return resolver_.resolve(it->second.text.host, it->second.text.port);
}

}  // namespace barrel::transport::discovery
