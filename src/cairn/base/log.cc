// SPDX-License-Identifier: Apache-2.0
#include "cairn/base/log.h"

#include <mutex>
#include <string>

#include <spdlog/sinks/stdout_sinks.h>

namespace cairn::log {
namespace {

std::mutex& Mutex() {
  static std::mutex mutex;
  return mutex;
}

spdlog::level::level_enum& CurrentLevel() {
  static spdlog::level::level_enum level = spdlog::level::warn;
  return level;
}

spdlog::level::level_enum ToSpdlog(Level level) {
  switch (level) {
    case Level::kTrace:
      return spdlog::level::trace;
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
    case Level::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::warn;
}

}  // namespace

void SetLevel(Level level) {
  const std::lock_guard lock(Mutex());
  CurrentLevel() = ToSpdlog(level);
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) {
    logger->set_level(CurrentLevel());
  });
}

std::shared_ptr<spdlog::logger> Get(std::string_view module) {
  const std::lock_guard lock(Mutex());
  const std::string name = "cairn." + std::string(module);
  if (auto existing = spdlog::get(name)) {
    return existing;
  }
  auto logger = spdlog::stderr_logger_mt(name);
  logger->set_pattern("%^%l%$ [%n] %v");
  logger->set_level(CurrentLevel());
  return logger;
}

}  // namespace cairn::log
