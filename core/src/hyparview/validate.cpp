// validate.cpp — see validate.h.
#include "hyparview/validate.h"

#include <span>
#include <string_view>
#include <type_traits>
#include <variant>

#include "barrel/limits.h"

namespace barrel::hyparview {
namespace {

Status violation(std::string_view what) {
  return {Code::kProtocolViolation, what};
}

Status check_ttl(uint8_t ttl) {
  if (ttl > limits::kWalkLengthMax)
    return violation("TTL above limits::kWalkLengthMax");
  return Status::ok();
}

Status check_nodes(std::span<const NodeId> nodes, size_t names_count) {
  if (nodes.size() > limits::kShuffleNodesMax)
    return violation("more than limits::kShuffleNodesMax nodes");
  for (NodeId id : nodes) {
    if (!is_handle(id, names_count))
      return violation("a listed node is not a known handle");
  }
  return Status::ok();
}

}  // namespace

Status validate_message(const Message& msg, size_t names_count) {
  return std::visit(
      [names_count](const auto& m) -> Status {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, ForwardJoin>) {
          if (!is_handle(m.joiner, names_count))
            return violation("FORWARD_JOIN joiner is not a known handle");
          return check_ttl(m.ttl);
        } else if constexpr (std::is_same_v<T, Shuffle>) {
          if (!is_handle(m.origin, names_count))
            return violation("SHUFFLE origin is not a known handle");
          if (Status s = check_ttl(m.ttl); !s.is_ok())
            return s;
          return check_nodes(m.nodes, names_count);
        } else if constexpr (std::is_same_v<T, ShuffleReply>) {
          return check_nodes(m.nodes, names_count);
        } else {
          // JOIN, JOIN_ACCEPT, NEIGHBOR, NEIGHBOR_REPLY, DISCONNECT: no ids,
          // and their flags are plain bools.
          return Status::ok();
        }
      },
      msg);
}

}  // namespace barrel::hyparview
