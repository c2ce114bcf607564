// sodium_init.cpp — see sodium_init.h.
#include "credentials/sodium_init.h"

#include <sodium.h>

namespace barrel::transport {

bool sodium_ready() {
  // 0: initialised now; 1: already initialised; -1: failure.
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace barrel::transport
