// SPDX-License-Identifier: Apache-2.0
// The one place cairn reads the process environment. Everything else receives
// configuration as values, which keeps it testable and free of global state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cairn::env {

/// Returns the variable's value, or nullopt when it is unset. An empty value is
/// returned as an empty string. Thread-safe as long as nothing calls setenv.
std::optional<std::string> Get(std::string_view name);

/// Returns the variable's value, or `fallback` when it is unset or empty.
std::string GetOr(std::string_view name, std::string_view fallback);

/// The user's home directory: $HOME, else the passwd entry, else "/".
std::string HomeDir();

}  // namespace cairn::env
