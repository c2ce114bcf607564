// validate.h — the checks a HyParView message must pass before a handler sees
// it.
//
// The codec already rejects what cannot be decoded; these checks catch a
// well-formed message that makes no sense (and messages the simulator passes
// in memory, without the codec): every NodeId it names must be a handle of
// the host's NameTable, every TTL at most limits::kWalkLengthMax, every
// node list at most limits::kShuffleNodesMax long. A failure is
// kProtocolViolation; Node::deliver() then drops the message unchanged.
//
// Thread-safety: a pure function.
#pragma once

#include <cstddef>

#include "barrel/ids.h"
#include "barrel/message.h"
#include "barrel/status.h"

namespace barrel::hyparview {

// True if `id` is a handle of a NameTable holding `names_count` names.
inline bool is_handle(NodeId id, size_t names_count) {
  return id.valid() && id.value() < names_count;
}

// OK, or kProtocolViolation saying which field is wrong.
Status validate_message(const Message& msg, size_t names_count);

}  // namespace barrel::hyparview
