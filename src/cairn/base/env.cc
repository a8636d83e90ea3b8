// SPDX-License-Identifier: Apache-2.0
#include "cairn/base/env.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace cairn::env {

std::optional<std::string> Get(std::string_view name) {
  const std::string key(name);
  // NOLINTNEXTLINE(concurrency-mt-unsafe): cairn never calls setenv after start-up.
  const char* value = std::getenv(key.c_str());
  if (value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

std::string GetOr(std::string_view name, std::string_view fallback) {
  auto value = Get(name);
  if (!value || value->empty()) {
    return std::string(fallback);
  }
  return *value;
}

std::string HomeDir() {
  if (auto home = Get("HOME"); home && !home->empty()) {
    return *home;
  }
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once at start-up, before threads.
  if (const passwd* entry = getpwuid(getuid());
      entry != nullptr && entry->pw_dir != nullptr) {
    return entry->pw_dir;
  }
  return "/";
}

}  // namespace cairn::env
