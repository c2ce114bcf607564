// engine_wire.cpp — wire mode: every message a node sends is encoded with the
// production codec and decoded again (into the same NameTable) before it is
// scheduled for delivery, so every simulated run can exercise the codec, and
// the encoded bytes are accounted. A codec error, or a decoded message that
// differs from the sent one, is a bug and fails the run.
#include <span>
#include <string>

#include "barrel/codec.h"
#include "engine.h"

namespace barrel::sim {

bool Engine::wire_round_trip(Message* msg) {
  wire_buffer_.clear();
  if (Status s = wire::encode(*msg, names_, &wire_buffer_); !s.is_ok()) {
    fail("wire mode: encoding " + std::string(to_string(message_type(*msg))) + " at " + at_now() +
         " failed: " + s.to_string());
    return false;
  }
  report_.messages.bytes_encoded += wire_buffer_.size();
  Result<wire::Decoded> decoded =
      wire::decode(std::span<const uint8_t>(wire_buffer_.data(), wire_buffer_.size()), names_);
  if (!decoded.is_ok()) {
    fail("wire mode: decoding " + std::string(to_string(message_type(*msg))) + " at " + at_now() +
         " failed: " + decoded.status().to_string());
    return false;
  }
  if (decoded->frame_bytes != wire_buffer_.size() || !(decoded->message == *msg)) {
    fail("wire mode: " + std::string(to_string(message_type(*msg))) + " at " + at_now() +
         " does not survive encode/decode unchanged");
    return false;
  }
  *msg = std::move(decoded->message);
  return true;
}

}  // namespace barrel::sim
