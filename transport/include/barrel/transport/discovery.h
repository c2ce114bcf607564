// discovery.h — where a node name is reachable: the discovery chain.
//
// A node is named "name@host" and listens on one UDP port. Before the runtime
// dials a peer it asks its Resolver (resolver.h) for a UDP address; the
// DiscoveryChain answers from an ordered list of backends, first hit wins:
//
//   static  a table of name -> "host:port" from the configuration (fixed
//           deployments, or ports that differ per node on one machine);
//   file    <discovery_dir>/<name>.endpoint, one line "host:port\n" that each
//           node writes atomically at start and removes on a clean exit
//           (EndpointFile below) — nodes sharing a machine or a directory;
//   dns     the host part of the name, resolved by getaddrinfo, paired with
//           the cluster's common listen port (dns_port).
//
// Answers (and, for a shorter time, misses) are cached, so a busy peer does
// not cost a file read or a DNS query per dial; on_dial_failed(name) drops
// the cached answer so the next dial asks the backends again (the peer may
// have restarted on another port).
//
// A host that is not an IP literal (static table, endpoint file, dns) is
// resolved synchronously with getaddrinfo: it blocks the io thread for the
// duration of the query (microseconds for /etc/hosts and literals, up to the
// resolver's timeout for a dead DNS server). The cache, the miss cache and
// the fact that only dials resolve keep this rare. IPv4 answers are
// preferred over IPv6 ones, so "localhost" gives 127.0.0.1.
//
// Thread-safety: none. A chain is used from its runtime's io thread only.
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/result.h"
#include "barrel/status.h"
#include "barrel/time.h"
#include "barrel/transport/log.h"
#include "barrel/transport/resolver.h"

namespace barrel::transport {

struct DiscoveryConfig {
  // Backend kinds tried in this order: each one of "static", "file", "dns",
  // at most once. Must not be empty. DNS is not in the default (as in
  // barrel-node's config): it depends on the network the node runs in.
  std::vector<std::string> backends = {"static", "file"};
  // "static": node name -> "host:port" ("127.0.0.1:9000", "db1.lan:9000",
  // "[::1]:9000"). A hostname is resolved at lookup time, not here.
  std::map<std::string, std::string> static_nodes;
  // "file": the directory of <name>.endpoint files. Required (non-empty) when
  // "file" is listed; it need not exist yet (a lookup then misses).
  std::string discovery_dir = "data/discovery";
  // "dns": the port paired with the address of the name's host, i.e. the
  // cluster's common listen port. Required (non-zero) when "dns" is listed.
  uint16_t dns_port = 0;
  // How long an answer is reused before the backends are asked again.
  // Zero: never cached. Must not be negative.
  Duration cache_ttl = Duration::seconds(5);
  // How long "no backend knows this name" is reused. Short, so a node that
  // just started is found soon, yet a peer we keep trying does not cost a
  // DNS query per attempt. Zero: misses are not cached. Not negative.
  Duration miss_ttl = Duration::seconds(1);
  // Names cached at most (answers and misses). When full, expired entries
  // go first, then the one closest to expiry. At least 1.
  size_t cache_entries_max = 4096;
};

// A source of addresses. lookup() returns the address of `name`, or a
// Status: kNotFound (this backend does not know the name: the chain tries the
// next one), kBadName (the name does not validate), kMalformed (an endpoint
// file that does not parse), kIo (a file that cannot be read, a host that
// does not resolve). Whatever the code, the chain goes on to the next backend;
// codes other than kNotFound are logged as warnings (an operator can fix them).
class DiscoveryBackend {
 public:
  virtual ~DiscoveryBackend() = default;
  // "static", "file", "dns" (or a test's name), for messages.
  virtual std::string_view kind() const = 0;
  virtual Result<boost::asio::ip::udp::endpoint> lookup(std::string_view name) = 0;
};

// The time source of the cache. Injected so tests move time by hand.
using DiscoveryClock = std::function<Instant()>;
// The steady clock, in microseconds since its epoch.
Instant steady_discovery_now();

struct DiscoveryStats {
  uint64_t lookups = 0;          // resolve()/lookup() calls
  uint64_t cache_hits = 0;       // answered from the cache (answers and misses)
  uint64_t backend_queries = 0;  // DiscoveryBackend::lookup calls
  uint64_t resolved = 0;         // lookups the backends answered
  uint64_t unresolved = 0;       // lookups no backend answered
  uint64_t dial_failures = 0;    // on_dial_failed calls
};

class DiscoveryChain final : public Resolver {
 public:
  // Builds the backends named by config.backends. kInvalidArgument, naming
  // the culprit, for: an unknown or repeated backend, an empty list, a
  // static_nodes entry whose name does not validate or whose value is not
  // "host:port", "file" without discovery_dir, "dns" without dns_port, a
  // negative ttl, cache_entries_max 0. An empty `clock` means the steady
  // clock.
  static Result<std::unique_ptr<DiscoveryChain>> create(const DiscoveryConfig& config,
                                                        Logger logger = Logger("discovery"),
                                                        DiscoveryClock clock = {});
  // From ready-made backends (tests, custom sources), with config's cache
  // settings (its backend fields are ignored). REQUIRES: backends non-null.
  static Result<std::unique_ptr<DiscoveryChain>> from_backends(
      std::vector<std::unique_ptr<DiscoveryBackend>> backends, const DiscoveryConfig& config,
      Logger logger = Logger("discovery"), DiscoveryClock clock = {});

  // The address of `name`: from the cache within its ttl, else from the
  // first backend that knows it (then cached for cache_ttl). On a miss the
  // Status is kNotFound and lists every backend's reason (cached for
  // miss_ttl); kBadName if the name does not validate (nothing is asked).
  // Logs: a backend's error other than kNotFound as a warning, a miss (with
  // every reason) at info — once per miss_ttl per name, as misses are cached.
  Result<boost::asio::ip::udp::endpoint> lookup(std::string_view name);

  // Resolver: lookup() without the reason.
  std::optional<boost::asio::ip::udp::endpoint> resolve(std::string_view name) override;
  // Forgets the cached answer (or miss) for `name`.
  void on_dial_failed(std::string_view name) override;

  size_t cache_size() const { return cache_.size(); }
  const DiscoveryStats& stats() const { return stats_; }

 private:
  struct Entry {
    std::optional<boost::asio::ip::udp::endpoint> at;  // nullopt: a cached miss
    Status miss;                                       // its reason
    Instant expires;
  };

  DiscoveryChain(std::vector<std::unique_ptr<DiscoveryBackend>> backends,
                 const DiscoveryConfig& config, Logger logger, DiscoveryClock clock);
  void remember(std::string_view name, Entry entry, Instant now);

  std::vector<std::unique_ptr<DiscoveryBackend>> backends_;
  Duration cache_ttl_;
  Duration miss_ttl_;
  size_t cache_entries_max_;
  Logger logger_;
  DiscoveryClock clock_;
  std::map<std::string, Entry, std::less<>> cache_;
  DiscoveryStats stats_;
};

// This node's <dir>/<name>.endpoint for the file backend, for as long as the
// object lives. The file is written atomically (write_file_atomic: readers
// see the old file, the new one or none, never half a line) with mode 0644,
// after creating `dir` (0755) if it is missing. The destructor removes it (a
// clean exit), but only if it still holds what this object wrote: a newer
// process of the same node that already replaced it keeps its file. After a
// crash the file stays, pointing at a dead port; the restarted node
// overwrites it, and a dialer meanwhile fails and re-reads it.
//
// Move-only; a moved-from object removes nothing.
class EndpointFile {
 public:
  // Writes "host:port\n" ("[host]:port" for an IPv6 literal). `host` is the
  // advertised address (an IP or a hostname, e.g. 127.0.0.1), `port` the
  // node's listen port. kInvalidArgument (bad name, host or port 0), kIo.
  static Result<EndpointFile> create(const std::string& dir, std::string_view name,
                                     std::string_view host, uint16_t port);
  ~EndpointFile();
  EndpointFile(EndpointFile&& o) noexcept;
  EndpointFile& operator=(EndpointFile&& o) noexcept;
  EndpointFile(const EndpointFile&) = delete;
  EndpointFile& operator=(const EndpointFile&) = delete;

  // <dir>/<name>.endpoint; empty once removed or released.
  const std::string& path() const { return path_; }
  // Keeps the file when this object dies (hand-over to another owner).
  void release();
  // Removes the file now, if it still holds our line. Idempotent. kIo if
  // unlink fails for another reason than "already gone".
  Status remove();

 private:
  EndpointFile(std::string path, std::string line)
      : path_(std::move(path)), line_(std::move(line)) {}
  std::string path_;
  std::string line_;
};

// <dir>/<name>.endpoint, the path both EndpointFile and the file backend use.
// REQUIRES: name passed validate_node_name (it then holds no '/').
std::string endpoint_file_path(std::string_view dir, std::string_view name);

}  // namespace barrel::transport
