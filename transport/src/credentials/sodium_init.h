// sodium_init.h — libsodium's one-time initialisation, checked.
#pragma once

namespace barrel::transport {

// Calls sodium_init() once per process (a function-local static: C++ makes
// its initialisation thread-safe, and sodium_init is idempotent anyway).
// False iff libsodium could not initialise (no entropy source): no key may
// then be generated.
bool sodium_ready();

}  // namespace barrel::transport
