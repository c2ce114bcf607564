// status.h — errors as values (the core throws no exceptions).
//
// A Status is either OK or a Code plus a message. OK costs one null pointer,
// as LevelDB's Status does, so returning it on the hot path is free.
//
// Codes live in bands, as ngtcp2's NGTCP2_ERR_* do:
//   1..99     a request the caller can correct (bad argument, full, absent);
//   100..199  input from outside that was rejected (a peer's bytes, a file):
//             the input is dropped, the state is unchanged, the host counts it;
//   500..     fatal: the object is unusable (is_fatal() is true).
// A broken invariant is never a Status: that is a bug and BARREL_ASSERT aborts.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace barrel {

enum class Code : int16_t {
  kOk = 0,
  // Band 1..99: the caller can correct the request.
  kInvalidArgument = 1,
  kNotFound = 2,
  kAlreadyExists = 3,
  kLimitExceeded = 4,       // a bounded container or rate limit is full
  kFailedPrecondition = 5,  // e.g. an operation on a node that has left
  // Band 100..199: input from outside rejected; nothing changed.
  kTruncated = 100,          // the input ends before the value it announces
  kOversized = 101,          // a length or count above its limit
  kBadVersion = 102,         // an unknown wire protocol version
  kUnknownType = 103,        // an unknown message type
  kMalformed = 104,          // a field that is out of its domain
  kTrailingBytes = 105,      // bytes left after a complete value
  kBadName = 106,            // a node name that does not validate
  kProtocolViolation = 107,  // a well-formed message that makes no sense here
  kParse = 108,              // a configuration or scenario file that does not parse
  kIo = 109,                 // a file or socket operation failed
  // Band 500..: fatal.
  kInternal = 500,
};

constexpr bool is_fatal(Code c) {
  return static_cast<int>(c) >= 500;
}
constexpr bool is_input_error(Code c) {
  return static_cast<int>(c) >= 100 && static_cast<int>(c) < 200;
}
std::string_view to_string(Code c);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string_view message);
  Status(const Status& o) : state_(o.state_ ? std::make_unique<State>(*o.state_) : nullptr) {}
  Status& operator=(const Status& o) {
    if (this != &o)
      state_ = o.state_ ? std::make_unique<State>(*o.state_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status ok() { return Status(); }
  static Status invalid_argument(std::string_view m) { return {Code::kInvalidArgument, m}; }
  static Status not_found(std::string_view m) { return {Code::kNotFound, m}; }
  static Status already_exists(std::string_view m) { return {Code::kAlreadyExists, m}; }
  static Status limit_exceeded(std::string_view m) { return {Code::kLimitExceeded, m}; }
  static Status failed_precondition(std::string_view m) { return {Code::kFailedPrecondition, m}; }

  bool is_ok() const { return state_ == nullptr; }
  Code code() const { return state_ ? state_->code : Code::kOk; }
  std::string_view message() const { return state_ ? std::string_view(state_->message) : ""; }
  // "Code: message", or "OK".
  std::string to_string() const;

  // Marks a Status as deliberately ignored (documents why at the call site).
  void ignore() const {}

 private:
  struct State {
    Code code;
    std::string message;
  };
  std::unique_ptr<State> state_;
};

}  // namespace barrel
