// claim_codec.cpp — encoding of one liveness claim (claim_codec.h).
#include "liveness/claim_codec.h"

#include <string>
#include <string_view>

#include "barrel/assert.h"
#include "barrel/status.h"

namespace barrel::liveness {
namespace {

// `s` with "claim <field>: " in front of its message, same code.
Status in_field(std::string_view field, const Status& s) {
  BARREL_ASSERT(!s.is_ok());
  return Status(s.code(), "claim " + std::string(field) + ": " + std::string(s.message()));
}

}  // namespace

void write_claim(wire::Writer& w, const Claim& c) {
  BARREL_ASSERT(validate_claim(c).is_ok());
  const size_t before = w.written();
  w.u8(static_cast<uint8_t>(c.state));
  w.u64(c.boot);
  w.u64(c.incarnation);
  w.node_name(c.node);
  BARREL_ASSERT(w.written() - before == kClaimFixedBytes + c.node.size());
}

void encode_claim(const Claim& c, std::vector<uint8_t>* out) {
  BARREL_ASSERT(out != nullptr);
  wire::Writer w(out);
  w.u8(kClaimCodecVersion);
  write_claim(w, c);
}

Result<Claim> read_claim(wire::Reader& r) {
  Result<uint8_t> state = r.u8();
  if (!state.is_ok())
    return in_field("state", state.status());
  if (!is_member_state(*state))
    return Status(Code::kMalformed, "claim state: " + std::to_string(*state) + " (expected 1..3)");
  Result<uint64_t> boot = r.u64();
  if (!boot.is_ok())
    return in_field("boot", boot.status());
  Result<uint64_t> incarnation = r.u64();
  if (!incarnation.is_ok())
    return in_field("incarnation", incarnation.status());
  if (*boot > *incarnation)
    return Status(Code::kMalformed, "claim boot: " + std::to_string(*boot) + " above incarnation " +
                                        std::to_string(*incarnation));
  Result<std::string_view> node = r.node_name();
  if (!node.is_ok())
    return in_field("node", node.status());
  Claim c{static_cast<MemberState>(*state), std::string(*node), *boot, *incarnation};
  BARREL_ASSERT(validate_claim(c).is_ok());
  return c;
}

Result<Claim> decode_claim(std::span<const uint8_t> in) {
  wire::Reader r(in);
  Result<uint8_t> version = r.u8();
  if (!version.is_ok())
    return in_field("version", version.status());
  if (*version != kClaimCodecVersion)
    return Status(Code::kBadVersion, "claim version: " + std::to_string(*version));
  Result<Claim> c = read_claim(r);
  if (!c.is_ok())
    return c;
  if (!r.empty())
    return Status(Code::kTrailingBytes,
                  "claim: " + std::to_string(r.remaining()) + " bytes after the node name");
  return c;
}

}  // namespace barrel::liveness
