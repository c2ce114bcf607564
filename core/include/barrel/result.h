// result.h — a value or a Status, for functions that produce something.
//
// g++ 12 in C++20 mode has no std::expected; this is the small subset we use.
// A Result is never OK without a value. Accessing value() of an error Result
// is a bug and aborts (BARREL_ASSERT).
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <utility>

#include "barrel/assert.h"
#include "barrel/status.h"

namespace barrel {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    BARREL_ASSERT(!status_.is_ok());
  }

  bool is_ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    BARREL_ASSERT(is_ok());
    return *value_;
  }
  const T& value() const& {
    BARREL_ASSERT(is_ok());
    return *value_;
  }
  T&& value() && {
    BARREL_ASSERT(is_ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace barrel
