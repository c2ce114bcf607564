// validate.h — the checks a Plumtree message must pass before a handler sees
// it.
//
// The codec already rejects what cannot be decoded; these checks catch what
// the simulator passes in memory without the codec, and what decodes but
// makes no sense: every origin must be a handle of the host's NameTable, an
// IHAVE at most limits::kIHaveEntriesMax entries, a GOSSIP payload at most
// limits::kBroadcastPayloadBytesMax bytes. A failure is kProtocolViolation;
// Node::deliver() then drops the message unchanged. Messages of other
// protocols pass.
//
// Thread-safety: a pure function.
#pragma once

#include <cstddef>

#include "barrel/message.h"
#include "barrel/status.h"

namespace barrel::plumtree {

// True for GOSSIP, IHAVE, GRAFT and PRUNE.
bool is_plumtree(const Message& msg);

// OK, or kProtocolViolation saying which field is wrong.
Status validate_message(const Message& msg, size_t names_count);

}  // namespace barrel::plumtree
