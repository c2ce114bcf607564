// replica_id.cpp — replica ids of node lives (replica_id.h).
#include "registry/replica_id.h"

#include "barrel/rng.h"

namespace barrel::registry {

uint64_t fnv1a64(std::string_view bytes) {
  uint64_t h = 0xCBF29CE484222325ull;  // FNV offset basis
  for (char c : bytes) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001B3ull;  // FNV prime
  }
  return h;
}

ormap::ReplicaId replica_id(std::string_view node_name, uint64_t boot) {
  // Two splitmix64 rounds: the first spreads the name hash, the second mixes
  // in boot, so nearby boots of one name land far apart.
  uint64_t s = fnv1a64(node_name);
  const uint64_t a = splitmix64(&s);
  s = a ^ boot;
  return splitmix64(&s);
}

}  // namespace barrel::registry
