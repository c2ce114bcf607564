#include "barrel/status.h"

namespace barrel {

std::string_view to_string(Code c) {
  switch (c) {
    case Code::kOk:
      return "OK";
    case Code::kInvalidArgument:
      return "InvalidArgument";
    case Code::kNotFound:
      return "NotFound";
    case Code::kAlreadyExists:
      return "AlreadyExists";
    case Code::kLimitExceeded:
      return "LimitExceeded";
    case Code::kFailedPrecondition:
      return "FailedPrecondition";
    case Code::kTruncated:
      return "Truncated";
    case Code::kOversized:
      return "Oversized";
    case Code::kBadVersion:
      return "BadVersion";
    case Code::kUnknownType:
      return "UnknownType";
    case Code::kMalformed:
      return "Malformed";
    case Code::kTrailingBytes:
      return "TrailingBytes";
    case Code::kBadName:
      return "BadName";
    case Code::kProtocolViolation:
      return "ProtocolViolation";
    case Code::kParse:
      return "Parse";
    case Code::kIo:
      return "Io";
    case Code::kInternal:
      return "Internal";
  }
  return "Unknown";
}

Status::Status(Code code, std::string_view message)
    : state_(code == Code::kOk ? nullptr
                               : std::make_unique<State>(State{code, std::string(message)})) {}

std::string Status::to_string() const {
  if (is_ok())
    return "OK";
  std::string s(barrel::to_string(state_->code));
  if (!state_->message.empty()) {
    s += ": ";
    s += state_->message;
  }
  return s;
}

}  // namespace barrel
