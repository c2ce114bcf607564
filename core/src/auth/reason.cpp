// reason.cpp — AuthConfig::validate() and the names of AuthReason / AuthState
// (barrel/auth.h). The names are what hosts log and count: keep them stable.
#include <string>

#include "barrel/auth.h"
#include "barrel/limits.h"

namespace barrel {

Status AuthConfig::validate() const {
  if (trust != TrustMode::kTofu && trust != TrustMode::kStrict)
    return Status::invalid_argument("auth trust mode must be tofu or strict");
  if (cookie.size() > limits::kAuthCookieBytesMax)
    return Status::invalid_argument("auth cookie is " + std::to_string(cookie.size()) +
                                    " bytes, above " + std::to_string(limits::kAuthCookieBytesMax));
  if (timeout <= Duration::zero())
    return Status::invalid_argument("auth timeout must be > 0");
  return Status::ok();
}

std::string_view to_string(AuthReason r) {
  switch (r) {
    case AuthReason::kNone:
      return "none";
    case AuthReason::kKeyMismatch:
      return "key_mismatch";
    case AuthReason::kUntrustedKey:
      return "untrusted_key";
    case AuthReason::kBadSignature:
      return "bad_signature";
    case AuthReason::kBindingMismatch:
      return "binding_mismatch";
    case AuthReason::kNameMismatch:
      return "name_mismatch";
    case AuthReason::kBadCookie:
      return "bad_cookie";
    case AuthReason::kTimeout:
      return "timeout";
    case AuthReason::kMalformed:
      return "malformed";
    case AuthReason::kUnsupportedVersion:
      return "unsupported_version";
    case AuthReason::kRejectedByPeer:
      return "rejected_by_peer";
    case AuthReason::kStoreError:
      return "store_error";
    case AuthReason::kUnexpectedFrame:
      return "unexpected_frame";
    case AuthReason::kRoleMismatch:
      return "role_mismatch";
    case AuthReason::kStreamEnded:
      return "stream_ended";
  }
  // A value a newer peer sent in its REJECT.
  return "unknown";
}

std::string_view to_string(AuthState s) {
  switch (s) {
    case AuthState::kRunning:
      return "running";
    case AuthState::kAccepted:
      return "accepted";
    case AuthState::kRejected:
      return "rejected";
  }
  return "unknown";
}

}  // namespace barrel
