// registry_malformed_test — remote input the registry must refuse: a bad
// reason byte, a bad delta version, a dot of our own replica we never minted
// ("from the future"), an entry that does not decode, an entry whose (node,
// boot) is not its dot's replica. Each is rejected with its code, counted in
// registry_deltas_rejected, and leaves the state, events and broadcasts
// unchanged; the same checks hold for anti-entropy deltas.
// Method: payloads built by hand from scratch OR-Maps and the codecs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/registry/harness.h"
#include "ormap/delta_codec.h"
#include "registry/replica_id.h"

namespace barrel::registry {
namespace {

using test::Peer;
using Bytes = std::vector<uint8_t>;

// A delta adding `value` under `key` as replica `r` (`extra` prior adds first).
ormap::Delta forged(ormap::ReplicaId r, const std::string& key, const std::string& value,
                    int extra = 0) {
  ormap::ORMap scratch;
  for (int i = 0; i < extra; ++i)
    EXPECT_TRUE(ormap::add(&scratch, r, "pad" + std::to_string(i), value).is_ok());
  EXPECT_TRUE(ormap::add(&scratch, r, key, value).is_ok());
  return scratch;
}

Bytes payload(uint8_t reason, const ormap::Delta& d) {
  Bytes out{reason};
  EXPECT_TRUE(ormap::encode_delta(d, &out).is_ok());
  return out;
}

struct Fixture {
  Peer b{"b@h", 20};
  ormap::ORMap before;
  Fixture() {
    EXPECT_TRUE(b.in().register_service(b.now, "mine", 1, {}, 20).is_ok());
    b.events();
    b.broadcasts();
    before = b.reg->map();
  }
  void expect_rejected(const Bytes& in, Code code, uint64_t rejected) {
    Status s = b.in().on_broadcast(b.now, in);
    EXPECT_EQ(s.code(), code) << s.to_string();
    EXPECT_EQ(b.stats.registry_deltas_rejected, rejected);
    EXPECT_EQ(b.stats.registry_deltas_applied, 0u);
    EXPECT_EQ(b.reg->map(), before);
    EXPECT_TRUE(b.events().empty());
    EXPECT_TRUE(b.broadcasts().empty());
    b.reg->check_invariants();
  }
};

TEST(RegistryMalformed, BroadcastsAreRejectedCountedAndChangeNothing) {
  Fixture f;
  const std::string a_entry = encode_entry_value(RegistryEntry{"a@h", 10, 10, 1, {}});
  const ormap::Delta good = forged(replica_id("a@h", 10), "s", a_entry);

  f.expect_rejected({}, Code::kTruncated, 1);
  f.expect_rejected(payload(3, good), Code::kMalformed, 2);
  Bytes bad_version = payload(0, good);
  bad_version[1] = 9;
  f.expect_rejected(bad_version, Code::kBadVersion, 3);

  // A dot of b's own replica at counter 5: b minted only 1.
  const std::string b_entry = encode_entry_value(RegistryEntry{"b@h", 20, 20, 1, {}});
  f.expect_rejected(payload(0, forged(f.b.reg->replica(), "x", b_entry, 4)), Code::kMalformed, 4);

  // An entry whose bytes do not decode.
  f.expect_rejected(payload(0, forged(replica_id("a@h", 10), "s", "junk")), Code::kBadVersion, 5);
  // An entry of a@h boot 10 under another replica's dot.
  f.expect_rejected(payload(0, forged(replica_id("a@h", 11), "s", a_entry)), Code::kMalformed, 6);

  // And a good one is accepted.
  ASSERT_TRUE(f.b.in().on_broadcast(f.b.now, payload(0, good)).is_ok());
  EXPECT_EQ(f.b.stats.registry_deltas_applied, 1u);
  EXPECT_EQ(f.b.reg->lookup("s").size(), 1u);
}

TEST(RegistryMalformed, SyncDeltasAreCheckedToo) {
  Fixture f;
  const std::string b_entry = encode_entry_value(RegistryEntry{"b@h", 20, 20, 1, {}});
  const ormap::Delta future = forged(f.b.reg->replica(), "x", b_entry, 4);
  // The decoder refuses it with the registry's DotCheck...
  Bytes bytes;
  ASSERT_TRUE(ormap::encode_delta(future, &bytes).is_ok());
  EXPECT_EQ(ormap::decode_delta(bytes, f.b.reg->dot_check()).status().code(), Code::kMalformed);
  // ...and apply_sync_delta refuses it even if handed over directly.
  Status s = f.b.in().apply_sync_delta(f.b.now, future);
  EXPECT_EQ(s.code(), Code::kMalformed);
  const ormap::Delta mismatched =
      forged(replica_id("a@h", 11), "s", encode_entry_value(RegistryEntry{"a@h", 10, 10, 1, {}}));
  EXPECT_EQ(f.b.in().apply_sync_delta(f.b.now, mismatched).code(), Code::kMalformed);
  EXPECT_EQ(f.b.stats.registry_deltas_rejected, 2u);
  EXPECT_EQ(f.b.reg->map(), f.before);
  EXPECT_TRUE(f.b.events().empty());
}

}  // namespace
}  // namespace barrel::registry
