// delta.cpp — the OR-Map's delta mutators (delta.h).
#include "ormap/delta.h"

#include <string>
#include <utility>
#include <vector>

#include "barrel/assert.h"
#include "barrel/limits.h"

namespace barrel::ormap {
namespace {

// Builds the delta with `entries` and a context of exactly `dots`, joins it
// into `map`, and returns it. Either both succeed or `map` is unchanged.
Result<Delta> apply(ORMap* map, const std::vector<Dot>& dots, std::vector<Entry> entries) {
  BARREL_ASSERT(map != nullptr);
  BARREL_ASSERT(dots.size() <= limits::kOrMapCloudDotsMax);
  CausalContext context;
  for (const Dot& d : dots) {
    // Dots of one replica compact into a vv entry only when they start at 1,
    // so a delta's context stays within the cloud bound asserted above.
    Status s = context.insert(d);
    BARREL_ASSERT(s.is_ok());
  }
  Result<ORMap> delta = ORMap::from_parts(std::move(context), std::move(entries));
  BARREL_ASSERT(delta.is_ok());  // built from our own valid entries
  if (Status s = map->join(*delta); !s.is_ok())
    return s;
  return delta;
}

std::vector<Dot> dots_where(const ORMap& map, std::string_view key, const std::string* value) {
  std::vector<Dot> dots;
  if (const ORMap::Entries* es = map.entries(key)) {
    for (const auto& [d, v] : *es) {
      if (value == nullptr || v == *value)
        dots.push_back(d);
    }
  }
  return dots;
}

}  // namespace

Result<Delta> add(ORMap* map, ReplicaId replica, std::string_view key, std::string_view value) {
  BARREL_ASSERT(map != nullptr);
  if (key.empty() || key.size() > limits::kOrMapKeyBytesMax)
    return Status::invalid_argument("ormap add: key of " + std::to_string(key.size()) +
                                    " bytes (1.." + std::to_string(limits::kOrMapKeyBytesMax) +
                                    ")");
  if (value.size() > limits::kOrMapValueBytesMax)
    return Status::invalid_argument("ormap add: value of " + std::to_string(value.size()) +
                                    " bytes (max " + std::to_string(limits::kOrMapValueBytesMax) +
                                    ")");
  const uint64_t last = map->context().max_counter(replica);
  if (last == UINT64_MAX)
    return Status::limit_exceeded("ormap add: replica counter exhausted");
  const Dot dot{replica, last + 1};
  BARREL_ASSERT(!map->context().contains(dot));
  const std::string v(value);
  std::vector<Dot> dots = dots_where(*map, key, &v);
  dots.push_back(dot);
  std::vector<Entry> entries;
  entries.push_back(Entry{std::string(key), dot, v});
  return apply(map, dots, std::move(entries));
}

Result<Delta> remove(ORMap* map, std::string_view key, std::string_view value) {
  BARREL_ASSERT(map != nullptr);
  const std::string v(value);
  return apply(map, dots_where(*map, key, &v), {});
}

Result<Delta> remove_key(ORMap* map, std::string_view key) {
  BARREL_ASSERT(map != nullptr);
  return apply(map, dots_where(*map, key, nullptr), {});
}

Result<Delta> remove_dots_if(ORMap* map, const EntryPredicate& pred, size_t dots_max) {
  BARREL_ASSERT(map != nullptr);
  BARREL_ASSERT(dots_max >= 1 && dots_max <= limits::kOrMapCloudDotsMax);
  std::vector<Dot> dots;
  for (const auto& [key, es] : map->store()) {
    for (const auto& [d, v] : es) {
      if (dots.size() == dots_max)
        break;
      if (pred(key, d, v))
        dots.push_back(d);
    }
  }
  return apply(map, dots, {});
}

Status join_delta(Delta* group, const Delta& delta) {
  BARREL_ASSERT(group != nullptr);
  return group->join(delta);
}

}  // namespace barrel::ormap
