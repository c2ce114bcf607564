// validate.cpp — see validate.h.
#include "plumtree/validate.h"

#include <type_traits>
#include <variant>

#include "barrel/limits.h"
#include "hyparview/validate.h"

namespace barrel::plumtree {

bool is_plumtree(const Message& msg) {
  return std::holds_alternative<Gossip>(msg) || std::holds_alternative<IHave>(msg) ||
         std::holds_alternative<Graft>(msg) || std::holds_alternative<Prune>(msg);
}

Status validate_message(const Message& msg, size_t names_count) {
  if (const auto* g = std::get_if<Gossip>(&msg)) {
    if (!hyparview::is_handle(g->origin, names_count))
      return {Code::kProtocolViolation, "GOSSIP origin is not a known handle"};
    if (g->payload.size() > limits::kBroadcastPayloadBytesMax)
      return {Code::kProtocolViolation, "GOSSIP payload above limits::kBroadcastPayloadBytesMax"};
    return Status::ok();
  }
  if (const auto* ih = std::get_if<IHave>(&msg)) {
    if (ih->entries.size() > limits::kIHaveEntriesMax)
      return {Code::kProtocolViolation, "IHAVE with more than limits::kIHaveEntriesMax entries"};
    for (const IHaveEntry& e : ih->entries) {
      if (!hyparview::is_handle(e.origin, names_count))
        return {Code::kProtocolViolation, "IHAVE entry origin is not a known handle"};
    }
    return Status::ok();
  }
  // GRAFT and PRUNE carry no handle and no length; other protocols' messages
  // are theirs to check.
  return Status::ok();
}

}  // namespace barrel::plumtree
