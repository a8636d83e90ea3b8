// SPDX-License-Identifier: Apache-2.0
// ProgressBar: one line on stderr that the library's progress callbacks redraw
// while a listing, hashing or download runs. Drawn only on a terminal.
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "cairn/api/session.h"

namespace cairn::cli {

class ProgressBar {
 public:
  /// A disabled bar ignores every call; `out` is where an enabled one draws.
  ProgressBar(bool enabled, std::FILE* out) : enabled_(enabled), out_(out) {}
  ~ProgressBar() { Clear(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Redraws the line for `progress`, at most ten times a second, and always on a
  /// change of phase or on completion. Thread-safe.
  void Update(const api::Progress& progress);

  /// Erases the line, so that what follows starts on a clean line. Thread-safe.
  void Clear();

  bool Enabled() const { return enabled_; }

 private:
  bool enabled_;
  std::FILE* out_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_draw_;
  std::string phase_;   // guarded by mutex_
  bool drawn_ = false;  // guarded by mutex_
};

/// The line a bar draws for `progress`, `width` cells wide between brackets:
/// "hashing    120/1797 [##........]   6%  1.2 MiB/17.0 MiB". Without a total the
/// bar and percentage are left out.
std::string FormatProgress(const api::Progress& progress, int width);

}  // namespace cairn::cli
