// engine_wire.cpp — wire mode: every message goes through the codec.
#include "engine.h"

namespace barrel::sim {

bool Engine::wire_round_trip(Message*) {
  fail("wire mode is not built yet");
  return false;
}

}  // namespace barrel::sim
