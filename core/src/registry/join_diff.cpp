// join_diff.cpp — the changes a join would make (join_diff.h).
#include "registry/join_diff.h"

#include <algorithm>

#include "barrel/assert.h"

namespace barrel::registry {

JoinDiff join_diff(const ormap::ORMap& map, const ormap::Delta& delta) {
  JoinDiff diff;
  const auto& index = map.dot_index();
  auto consider = [&](const std::map<ormap::Dot, std::string>::const_iterator& it) {
    if (delta.dot_index().count(it->first) == 0) {
      const ormap::ORMap::Entries* es = map.entries(it->second);
      BARREL_ASSERT(es != nullptr);
      diff.removed.push_back(ormap::Entry{it->second, it->first, es->at(it->first)});
    }
  };
  for (const auto& [r, n] : delta.context().vv()) {
    auto end = index.upper_bound(ormap::Dot{r, n});
    for (auto it = index.lower_bound(ormap::Dot{r, 1}); it != end; ++it)
      consider(it);
  }
  for (const ormap::Dot& d : delta.context().cloud()) {
    if (auto it = index.find(d); it != index.end())
      consider(it);
  }
  // vv ranges and cloud dots may interleave by replica: order by dot.
  std::sort(diff.removed.begin(), diff.removed.end(),
            [](const ormap::Entry& a, const ormap::Entry& b) { return a.dot < b.dot; });
  for (const auto& [key, es] : delta.store()) {
    for (const auto& [d, value] : es) {
      if (index.count(d) == 0 && !map.context().contains(d))
        diff.added.push_back(ormap::Entry{key, d, value});
    }
  }
  BARREL_ASSERT(diff.removed.size() <= map.entry_count());
  BARREL_ASSERT(diff.added.size() <= delta.entry_count());
  return diff;
}

}  // namespace barrel::registry
