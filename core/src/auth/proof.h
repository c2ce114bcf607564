// proof.h — what a PROOF is computed from: the signed transcript, the channel
// binding and the cookie proof (the constructions of barrel/auth.h, step 2).
//
// Both ends compute the same values from the same inputs: the signer to make
// its PROOF, the verifier to rebuild and check it. All crypto goes through
// AuthCrypto (trust.h); this file only lays the bytes out.
//
// Thread-safety: free functions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "barrel/auth.h"
#include "barrel/trust.h"

namespace barrel::auth {

// The fields a signature covers; the names are views the caller keeps alive.
struct TranscriptFields {
  uint8_t signer_role = 0;
  std::string_view signer_name;
  std::string_view verifier_name;  // the name in the verifier's HELLO
  PublicKey signer_key{};
  AuthNonce echoed_verifier_nonce{};
  AuthNonce signer_nonce{};
  KeyedHash binding{};
};

// "barrel-p2p/auth/v1" || signer_role || len:u8 signer_name ||
// len:u8 verifier_name || signer_key || echoed_verifier_nonce ||
// signer_nonce || binding. REQUIRES: both names validate.
std::vector<uint8_t> transcript(const TranscriptFields& f);

// keyed_hash(key = "", msg = exporter).
KeyedHash binding(const AuthCrypto& crypto, const TlsExporter& exporter);

// keyed_hash(key = keyed_hash("", cookie), msg = "barrel-p2p/cookie/v1" ||
// signer_role || exporter).
KeyedHash cookie_proof(const AuthCrypto& crypto, std::string_view cookie, uint8_t signer_role,
                       const TlsExporter& exporter);

// a == b in time that depends only on the sizes (a secret-derived value must
// not leak through how long a comparison took).
bool equal_constant_time(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace barrel::auth
