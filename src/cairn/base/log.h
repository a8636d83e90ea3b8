// SPDX-License-Identifier: Apache-2.0
// Logging: spdlog behind one small facade. One named logger per module
// ("storage.s3", "transfer", "registry"); messages are short, followed by
// key=value fields. URLs and headers must pass cairn/base/redact.h first.
#pragma once

#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

namespace cairn::log {

enum class Level { kTrace, kDebug, kInfo, kWarn, kError, kOff };

/// Sets the level of every cairn logger; the library default is kWarn. All output
/// goes to stderr, so stdout stays clean for results and --json.
void SetLevel(Level level);

/// Returns the logger for `module`, creating it on first use. Thread-safe.
std::shared_ptr<spdlog::logger> Get(std::string_view module);

}  // namespace cairn::log
