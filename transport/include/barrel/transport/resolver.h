// resolver.h — where a node name is reachable (name -> UDP address).
//
// The runtime asks its Resolver before dialing a peer and tells it when a
// dial failed, so a caching resolver can forget a stale answer. The
// discovery chain (static table, endpoint files, DNS) implements this;
// StaticResolver is the plain table, for tests and fixed deployments.
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace barrel::transport {

class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual std::optional<boost::asio::ip::udp::endpoint> resolve(std::string_view name) = 0;
  // A dial of `name` failed: a cached answer for it may be stale.
  virtual void on_dial_failed(std::string_view /*name*/) {}
};

class StaticResolver final : public Resolver {
 public:
  void set(std::string name, boost::asio::ip::udp::endpoint at) { table_[std::move(name)] = at; }
  void erase(std::string_view name) {
    if (auto it = table_.find(name); it != table_.end())
      table_.erase(it);
  }
  std::optional<boost::asio::ip::udp::endpoint> resolve(std::string_view name) override {
    auto it = table_.find(name);
    if (it == table_.end())
      return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, boost::asio::ip::udp::endpoint, std::less<>> table_;
};

}  // namespace barrel::transport
