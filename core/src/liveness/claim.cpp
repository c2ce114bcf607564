// claim.cpp — validation of one liveness claim (claim.h).
#include "liveness/claim.h"

#include <string>

#include "barrel/ids.h"

namespace barrel::liveness {

Status validate_claim(const Claim& c) {
  if (Status s = validate_node_name(c.node); !s.is_ok())
    return Status(Code::kBadName, "claim node: " + std::string(s.message()));
  if (!is_member_state(static_cast<uint8_t>(c.state)))
    return Status(
        Code::kMalformed,
        "claim state: " + std::to_string(static_cast<unsigned>(c.state)) + " (expected 1..3)");
  if (c.boot > c.incarnation)
    return Status(Code::kMalformed, "claim boot: " + std::to_string(c.boot) +
                                        " above incarnation " + std::to_string(c.incarnation));
  return Status::ok();
}

}  // namespace barrel::liveness
