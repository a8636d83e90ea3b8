// SPDX-License-Identifier: Apache-2.0
#include "cli/progress.h"

#include <fmt/format.h>

#include "cli/output.h"

namespace cairn::cli {

std::string FormatProgress(const api::Progress& progress, int width) {
  std::string line = fmt::format("{:<11} {}", progress.phase, progress.done);
  if (progress.total >= 0) {
    line += fmt::format("/{}", progress.total);
    const double fraction = progress.total == 0 ? 1.0
                                                : static_cast<double>(progress.done) /
                                                      static_cast<double>(progress.total);
    const int filled = static_cast<int>(fraction * width);
    line +=
        fmt::format(" [{}{}] {:3}%", std::string(filled, '#'),
                    std::string(width - filled, '.'), static_cast<int>(fraction * 100));
  }
  if (progress.bytes_done > 0) {
    line += "  " + HumanBytes(progress.bytes_done);
    if (progress.bytes_total >= 0) {
      line += "/" + HumanBytes(progress.bytes_total);
    }
  }
  return line;
}

void ProgressBar::Update(const api::Progress& progress) {
  if (!enabled_) {
    return;
  }
  const std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const bool finished = progress.total >= 0 && progress.done >= progress.total;
  if (progress.phase == phase_ && !finished &&
      now - last_draw_ < std::chrono::milliseconds(100)) {
    return;
  }

  phase_ = progress.phase;
  last_draw_ = now;
  drawn_ = true;
  // \r returns to the line start and \033[K erases what a longer line left behind.
  std::fprintf(out_, "\r\033[K%s", FormatProgress(progress, 30).c_str());
  std::fflush(out_);
}

void ProgressBar::Clear() {
  if (!enabled_) {
    return;
  }
  const std::lock_guard lock(mutex_);
  if (drawn_) {
    std::fputs("\r\033[K", out_);
    std::fflush(out_);
    drawn_ = false;
  }
  phase_.clear();
}

}  // namespace cairn::cli
