// file_backend.h — the "file" discovery backend: <dir>/<name>.endpoint.
//
// Each node writes its own file (EndpointFile, discovery.h) holding one line
// "host:port\n". The name is validated before a path is built from it, so
// it holds no '/' and cannot leave the directory. The read is bounded
// (kEndpointFileBytesMax): a huge or binary file is rejected, never loaded.
//
// Thread-safety: none (one per chain).
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "barrel/result.h"
#include "barrel/transport/discovery.h"
#include "discovery/host_resolver.h"

namespace barrel::transport::discovery {

// "[" 253-byte host "]:" 5 digits "\n" fits comfortably.
inline constexpr size_t kEndpointFileBytesMax = 512;

class FileBackend final : public DiscoveryBackend {
 public:
  explicit FileBackend(std::string dir) : dir_(std::move(dir)) {}

  std::string_view kind() const override { return "file"; }
  // kBadName (name does not validate), kNotFound (no file), kMalformed (the
  // content is not one "host:port" line), kOversized, kIo (unreadable, or the
  // host does not resolve). Every message names the file.
  Result<boost::asio::ip::udp::endpoint> lookup(std::string_view name) override;

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  HostResolver resolver_;
};

}  // namespace barrel::transport::discovery
