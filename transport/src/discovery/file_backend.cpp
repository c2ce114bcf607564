// file_backend.cpp — see file_backend.h.
#include "discovery/file_backend.h"

#include "barrel/ids.h"
#include "barrel/transport/secure_file.h"
#include "discovery/host_port.h"

namespace barrel::transport::discovery {

using boost::asio::ip::udp;

Result<udp::endpoint> FileBackend::lookup(std::string_view name) {
  if (Status s = validate_node_name(name); !s.is_ok())
    return s;
  const std::string path = endpoint_file_path(dir_, name);
  Result<std::string> content = read_file(path, kEndpointFileBytesMax);
  if (!content.is_ok())
    return content.status();  // read_file's messages name the path
  std::string_view line = content.value();
  // One line; the newline is what EndpointFile writes, but a hand-written
  // file without it is accepted.
  if (!line.empty() && line.back() == '\n')
    line.remove_suffix(1);
  Result<HostPort> hp = parse_host_port(line);
  if (!hp.is_ok())
    return Status(Code::kMalformed,
                  path + ": expected one line host:port: " + std::string(hp.status().message()));
  return resolver_.resolve(hp->host, hp->port);
}

}  // namespace barrel::transport::discovery
