// endpoint_file.cpp — see discovery.h (EndpointFile).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "barrel/ids.h"
#include "barrel/transport/discovery.h"
#include "barrel/transport/secure_file.h"
#include "discovery/file_backend.h"
#include "discovery/host_port.h"

namespace barrel::transport {

std::string endpoint_file_path(std::string_view dir, std::string_view name) {
  std::string path(dir);
  if (path.empty() || path.back() != '/')
    path += '/';
  path += name;
  path += ".endpoint";
  return path;
}

Result<EndpointFile> EndpointFile::create(const std::string& dir, std::string_view name,
                                          std::string_view host, uint16_t port) {
  if (Status s = validate_node_name(name); !s.is_ok())
    return Status::invalid_argument("endpoint file: bad node name: " + std::string(s.message()));
  if (dir.empty())
    return Status::invalid_argument("endpoint file: discovery_dir is empty");
  if (port == 0)
    return Status::invalid_argument("endpoint file: port 0 (pass the bound listen port)");
  std::string line = discovery::format_host_port(host, port);
  // Write only what the file backend will read back.
  if (Result<discovery::HostPort> hp = discovery::parse_host_port(line); !hp.is_ok())
    return Status::invalid_argument("endpoint file: advertised address \"" + line +
                                    "\": " + std::string(hp.status().message()));
  line += '\n';
  BARREL_ASSERT(line.size() <= discovery::kEndpointFileBytesMax);
  if (Status s = ensure_directory(dir, 0755); !s.is_ok())
    return s;
  std::string path = endpoint_file_path(dir, name);
  if (Status s = write_file_atomic(path, std::string_view(line), 0644); !s.is_ok())
    return s;
  return EndpointFile(std::move(path), std::move(line));
}

EndpointFile::~EndpointFile() {
  // A destructor cannot report; a leftover file only costs a dialer one
  // failed attempt (it then re-reads the file).
  remove().ignore();
}

EndpointFile::EndpointFile(EndpointFile&& o) noexcept
    : path_(std::exchange(o.path_, {})), line_(std::exchange(o.line_, {})) {}

EndpointFile& EndpointFile::operator=(EndpointFile&& o) noexcept {
  if (this != &o) {
    remove().ignore();
    path_ = std::exchange(o.path_, {});
    line_ = std::exchange(o.line_, {});
  }
  return *this;
}

void EndpointFile::release() {
  path_.clear();
  line_.clear();
}

Status EndpointFile::remove() {
  if (path_.empty())
    return Status::ok();
  const std::string path = std::exchange(path_, {});
  const std::string line = std::exchange(line_, {});
  // Another process of the same name (a restart) may have replaced the file:
  // it is theirs then. (The check and the unlink are not one step; the
  // window only matters for two live processes claiming one name.)
  Result<std::string> now = read_file(path, discovery::kEndpointFileBytesMax);
  if (!now.is_ok())
    return now.status().code() == Code::kNotFound ? Status::ok() : now.status();
  if (now.value() != line)
    return Status::ok();
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    return Status(Code::kIo, "unlink " + path + ": " + std::strerror(errno));
  return Status::ok();
}

}  // namespace barrel::transport
