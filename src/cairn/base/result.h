// SPDX-License-Identifier: Apache-2.0
// Result<T>: a value or the Status explaining why there is none, plus the macros
// that propagate errors without exceptions.
#pragma once

#include <cstdlib>
#include <optional>
#include <utility>

#include "cairn/base/status.h"

namespace cairn {

namespace internal {
/// Prints `what` with the file and line to stderr and aborts. Used by CAIRN_CHECK
/// and by Result when a caller reads a value that is not there (a cairn bug).
[[noreturn]] void CheckFailed(const char* file, int line, const char* what);
}  // namespace internal

/// Holds either a T or a non-OK Status. Reading value() of an error is a bug and
/// aborts; check ok() first or use CAIRN_ASSIGN_OR_RETURN.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status)                          // NOLINT(google-explicit-constructor)
      : status_(std::move(status)) {
    if (status_.ok()) {
      internal::CheckFailed(__FILE__, __LINE__, "Result built from an OK Status");
    }
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    Check();
    return *value_;
  }
  const T& value() const& {
    Check();
    return *value_;
  }
  T&& value() && {
    Check();
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  void Check() const {
    if (!value_.has_value()) {
      internal::CheckFailed(__FILE__, __LINE__, status_.ToString().c_str());
    }
  }

  Status status_;
  std::optional<T> value_;
};

}  // namespace cairn

#define CAIRN_CONCAT_INNER(a, b) a##b
#define CAIRN_CONCAT(a, b) CAIRN_CONCAT_INNER(a, b)

/// Returns the Status of `expr` (a Status) from the enclosing function unless OK.
#define CAIRN_RETURN_IF_ERROR(expr)         \
  do {                                      \
    ::cairn::Status cairn_status_ = (expr); \
    if (!cairn_status_.ok())                \
      return cairn_status_;                 \
  } while (false)

// `lhs` is a declaration and `tmp` a fresh identifier; neither may be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CAIRN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                \
  if (!tmp.ok())                                     \
    return tmp.status();                             \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)

/// `CAIRN_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result or returns
/// its Status from the enclosing function.
#define CAIRN_ASSIGN_OR_RETURN(lhs, rexpr) \
  CAIRN_ASSIGN_OR_RETURN_IMPL(CAIRN_CONCAT(cairn_result_, __LINE__), lhs, rexpr)

/// Aborts with the condition's text when `cond` is false. For invariants only: a
/// failing CAIRN_CHECK is a cairn bug, never a user error.
#define CAIRN_CHECK(cond)                                        \
  do {                                                           \
    if (!(cond))                                                 \
      ::cairn::internal::CheckFailed(__FILE__, __LINE__, #cond); \
  } while (false)
