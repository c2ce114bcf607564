// discovery_chain.cpp — see discovery.h (DiscoveryChain).
#include <chrono>
#include <map>
#include <utility>

#include "barrel/ids.h"
#include "barrel/transport/discovery.h"
#include "discovery/dns_backend.h"
#include "discovery/file_backend.h"
#include "discovery/static_backend.h"

namespace barrel::transport {

using boost::asio::ip::udp;

Instant steady_discovery_now() {
  const auto since = std::chrono::steady_clock::now().time_since_epoch();
  return Instant::from_us(
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(since).count()));
}

namespace {

Status validate_cache_settings(const DiscoveryConfig& c) {
  if (c.cache_ttl < Duration::zero())
    return Status::invalid_argument("discovery cache_ttl must not be negative");
  if (c.miss_ttl < Duration::zero())
    return Status::invalid_argument("discovery miss_ttl must not be negative");
  if (c.cache_entries_max == 0)
    return Status::invalid_argument("discovery cache_entries_max must be at least 1");
  return Status::ok();
}

Result<std::unique_ptr<DiscoveryBackend>> make_backend(const std::string& kind,
                                                       const DiscoveryConfig& c) {
  if (kind == "static") {
    auto b = discovery::StaticBackend::create(c.static_nodes);
    if (!b.is_ok())
      return b.status();
    return std::unique_ptr<DiscoveryBackend>(std::move(b.value()));
  }
  if (kind == "file") {
    if (c.discovery_dir.empty())
      return Status::invalid_argument(
          "discovery backend \"file\" needs discovery_dir (it is empty)");
    return std::unique_ptr<DiscoveryBackend>(
        std::make_unique<discovery::FileBackend>(c.discovery_dir));
  }
  if (kind == "dns") {
    if (c.dns_port == 0)
      return Status::invalid_argument(
          "discovery backend \"dns\" needs dns_port (the cluster's listen port)");
    return std::unique_ptr<DiscoveryBackend>(std::make_unique<discovery::DnsBackend>(c.dns_port));
  }
  return Status::invalid_argument("unknown discovery backend \"" + kind +
                                  "\" (expected static, file or dns)");
}

}  // namespace

Result<std::unique_ptr<DiscoveryChain>> DiscoveryChain::create(const DiscoveryConfig& config,
                                                               Logger logger,
                                                               DiscoveryClock clock) {
  if (config.backends.empty())
    return Status::invalid_argument("discovery_backends is empty (expected static, file, dns)");
  std::vector<std::unique_ptr<DiscoveryBackend>> backends;
  for (size_t i = 0; i < config.backends.size(); ++i) {
    const std::string& kind = config.backends[i];
    for (size_t j = 0; j < i; ++j) {
      if (config.backends[j] == kind)
        return Status::invalid_argument("discovery backend \"" + kind + "\" is listed twice");
    }
    auto b = make_backend(kind, config);
    if (!b.is_ok())
      return b.status();
    backends.push_back(std::move(b.value()));
  }
  return from_backends(std::move(backends), config, std::move(logger), std::move(clock));
}

Result<std::unique_ptr<DiscoveryChain>> DiscoveryChain::from_backends(
    std::vector<std::unique_ptr<DiscoveryBackend>> backends, const DiscoveryConfig& config,
    Logger logger, DiscoveryClock clock) {
  if (Status s = validate_cache_settings(config); !s.is_ok())
    return s;
  for (const auto& b : backends)
    BARREL_ASSERT(b != nullptr);
  if (!clock)
    clock = steady_discovery_now;
  return std::unique_ptr<DiscoveryChain>(
      new DiscoveryChain(std::move(backends), config, std::move(logger), std::move(clock)));
}

DiscoveryChain::DiscoveryChain(std::vector<std::unique_ptr<DiscoveryBackend>> backends,
                               const DiscoveryConfig& config, Logger logger, DiscoveryClock clock)
    : backends_(std::move(backends)),
      cache_ttl_(config.cache_ttl),
      miss_ttl_(config.miss_ttl),
      cache_entries_max_(config.cache_entries_max),
      logger_(std::move(logger)),
      clock_(std::move(clock)) {
  BARREL_ASSERT(cache_entries_max_ > 0);
  BARREL_ASSERT(clock_);
}

Result<udp::endpoint> DiscoveryChain::lookup(std::string_view name) {
  ++stats_.lookups;
  if (Status s = validate_node_name(name); !s.is_ok())
    return s;  // never cached: a bad name must not take a cache slot
  const Instant now = clock_();
  if (auto it = cache_.find(name); it != cache_.end()) {
    if (now < it->second.expires) {
      ++stats_.cache_hits;
      if (it->second.at)
        return *it->second.at;
      return it->second.miss;
    }
    cache_.erase(it);
  }

  std::string reasons;
  for (const auto& backend : backends_) {
    ++stats_.backend_queries;
    Result<udp::endpoint> r = backend->lookup(name);
    if (r.is_ok()) {
      ++stats_.resolved;
      logger_.debug("discovery: " + std::string(name) + " at " + r->address().to_string() + ":" +
                    std::to_string(r->port()) + " (" + std::string(backend->kind()) + ")");
      remember(name, Entry{r.value(), Status::ok(), now + cache_ttl_}, now);
      return r;
    }
    const std::string why = std::string(backend->kind()) + ": " + r.status().to_string();
    // A missing entry is normal (the next backend may know it); anything
    // else is a broken file or host an operator can fix.
    if (r.status().code() != Code::kNotFound)
      logger_.warn("discovery of " + std::string(name) + " failed, " + why);
    if (!reasons.empty())
      reasons += "; ";
    reasons += why;
  }
  ++stats_.unresolved;
  Status miss =
      Status::not_found("no discovery backend knows " + std::string(name) + " (" + reasons + ")");
  // Once per miss_ttl per name at most (the miss is cached): the runtime's
  // own "no address" line does not carry the backends' reasons.
  logger_.info(std::string(miss.message()));
  remember(name, Entry{std::nullopt, miss, now + miss_ttl_}, now);
  return miss;
}

std::optional<udp::endpoint> DiscoveryChain::resolve(std::string_view name) {
  Result<udp::endpoint> r = lookup(name);
  if (!r.is_ok())
    return std::nullopt;
  return r.value();
}

void DiscoveryChain::on_dial_failed(std::string_view name) {
  ++stats_.dial_failures;
  if (auto it = cache_.find(name); it != cache_.end())
    cache_.erase(it);
}

void DiscoveryChain::remember(std::string_view name, Entry entry, Instant now) {
  if (!(now < entry.expires))
    return;  // a zero ttl: not cached at all
  if (cache_.size() >= cache_entries_max_) {
    // Full: expired entries go first, then the one closest to expiry. O(n),
    // only on insertion into a full cache.
    std::erase_if(cache_, [now](const auto& kv) { return !(now < kv.second.expires); });
    if (cache_.size() >= cache_entries_max_) {
      auto soonest = cache_.begin();
      for (auto it = cache_.begin(); it != cache_.end(); ++it) {
        if (it->second.expires < soonest->second.expires)
          soonest = it;
      }
      cache_.erase(soonest);
    }
  }
  cache_.insert_or_assign(std::string(name), std::move(entry));
  BARREL_ASSERT(cache_.size() <= cache_entries_max_);
}

}  // namespace barrel::transport
