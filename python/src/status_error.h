// SPDX-License-Identifier: Apache-2.0
// How a failed cairn::Status reaches Python: the binding throws StatusError, and
// the translator registered by RegisterStatusTranslator turns it into the
// cairn.Error subclass that cairn/errors.py maps the status code to, with the
// Status message unchanged (the same text the CLI prints after "cairn: error: ").
#pragma once

#include <exception>
#include <string>
#include <utility>

#include "cairn/base/result.h"

namespace cairn::python {

/// A non-OK Status on its way out of a bound call. Thrown with the GIL held.
class StatusError : public std::exception {
 public:
  explicit StatusError(Status status) : status_(std::move(status)) {}
  const Status& status() const { return status_; }
  const char* what() const noexcept override { return status_.message().c_str(); }

 private:
  Status status_;
};

/// Throws StatusError when `status` is not OK.
void ThrowIfError(const Status& status);

/// The value of `result`, or throws StatusError with its Status.
template <typename T>
T ValueOrThrow(Result<T> result) {
  if (!result.ok()) {
    throw StatusError(result.status());
  }
  return std::move(*result);
}

/// Registers the translator from StatusError to cairn.Error subclasses. It imports
/// cairn.errors when the first error is raised, not when the module loads.
void RegisterStatusTranslator();

}  // namespace cairn::python
