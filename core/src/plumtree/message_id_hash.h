// message_id_hash.h — the hash of a MessageId for the Plumtree lookup tables.
//
// Ids are 128 random bits, so folding the two halves is a good hash. The
// tables that use it are only ever looked up, never iterated, so their
// order cannot reach an effect (ids.h, determinism rule).
#pragma once

#include <cstddef>

#include "barrel/message.h"

namespace barrel::plumtree {

struct MessageIdHash {
  size_t operator()(const MessageId& id) const noexcept {
    return static_cast<size_t>(id.hi ^ (id.lo * 0x9E3779B97F4A7C15ull));
  }
};

}  // namespace barrel::plumtree
