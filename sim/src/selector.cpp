// selector.cpp — NodeSelector validation and resolution (see selector.h).
#include "selector.h"

#include <string>

#include "barrel/assert.h"
#include "groups.h"

namespace barrel::sim {
namespace {

// Draws `k` of *pool uniformly (partial Fisher–Yates) into *out, in draw order.
void draw(std::vector<uint32_t>* pool, uint64_t k, Rng* rng, std::vector<uint32_t>* out) {
  BARREL_ASSERT(k <= pool->size());
  const size_t n = pool->size();
  for (size_t i = 0; i < k; ++i) {
    const size_t j = i + static_cast<size_t>(rng->uniform(n - i));
    std::swap((*pool)[i], (*pool)[j]);
    out->push_back((*pool)[i]);
  }
  BARREL_ASSERT(out->size() == k);
}

}  // namespace

Status validate_selector(const NodeSelector& s, const NameTable& names, uint32_t node_count,
                         const GroupTable* groups) {
  if (!s.group.empty() && (groups == nullptr || groups->members(s.group) == nullptr))
    return Status::invalid_argument("unknown group '" + s.group + "'");
  const bool group_form = s.kind == NodeSelector::Kind::kGroup ||
                          s.kind == NodeSelector::Kind::kCount ||
                          s.kind == NodeSelector::Kind::kFraction;
  if (!s.group.empty() && !group_form)
    return Status::invalid_argument("a group with a selector form other than count or fraction");
  switch (s.kind) {
    case NodeSelector::Kind::kGroup:
      if (s.group.empty())
        return Status::invalid_argument("a group selector without a group");
      return Status::ok();
    case NodeSelector::Kind::kAll:
    case NodeSelector::Kind::kCount:
      return Status::ok();
    case NodeSelector::Kind::kNames:
      for (const std::string& name : s.names) {
        const NodeId id = names.find(name);
        if (!id.valid() || id.value() >= node_count)
          return Status::invalid_argument("unknown node name '" + name + "'");
      }
      return Status::ok();
    case NodeSelector::Kind::kRange:
      if (s.first < 1 || s.first > s.last || s.last > node_count) {
        return Status::invalid_argument("node range " + std::to_string(s.first) + ".." +
                                        std::to_string(s.last) + " is not within 1.." +
                                        std::to_string(node_count));
      }
      return Status::ok();
    case NodeSelector::Kind::kFraction:
      if (s.fraction_ppm > kPpmOne)
        return Status::invalid_argument("node fraction above 1");
      return Status::ok();
  }
  return Status::invalid_argument("unknown selector kind");
}

void resolve_selector(const NodeSelector& s, const NameTable& names, uint32_t node_count,
                      const std::function<bool(uint32_t)>& eligible, Rng* rng,
                      std::vector<uint32_t>* out, const GroupTable* groups) {
  out->clear();
  const std::vector<uint32_t>* group = nullptr;
  if (!s.group.empty()) {
    BARREL_ASSERT(groups != nullptr);
    group = groups->members(s.group);
    BARREL_ASSERT(group != nullptr);
  }
  switch (s.kind) {
    case NodeSelector::Kind::kGroup:
      *out = *group;
      return;
    case NodeSelector::Kind::kAll:
      for (uint32_t i = 0; i < node_count; ++i)
        out->push_back(i);
      return;
    case NodeSelector::Kind::kNames:
      for (const std::string& name : s.names) {
        const NodeId id = names.find(name);
        BARREL_ASSERT(id.valid() && id.value() < node_count);
        out->push_back(id.value());
      }
      return;
    case NodeSelector::Kind::kRange:
      BARREL_ASSERT(s.first >= 1 && s.last <= node_count);
      for (uint32_t i = s.first; i <= s.last; ++i)
        out->push_back(i - 1);
      return;
    case NodeSelector::Kind::kCount:
    case NodeSelector::Kind::kFraction:
      break;
  }
  std::vector<uint32_t> pool;
  if (group != nullptr) {
    for (uint32_t i : *group) {
      if (eligible(i))
        pool.push_back(i);
    }
  } else {
    for (uint32_t i = 0; i < node_count; ++i) {
      if (eligible(i))
        pool.push_back(i);
    }
  }
  uint64_t k = 0;
  if (s.kind == NodeSelector::Kind::kCount) {
    k = std::min<uint64_t>(s.count, pool.size());
  } else {
    k = pool.size() * static_cast<uint64_t>(s.fraction_ppm) / kPpmOne;
  }
  draw(&pool, k, rng, out);
}

}  // namespace barrel::sim
