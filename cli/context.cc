// SPDX-License-Identifier: Apache-2.0
#include "cli/context.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>

#include "cairn/base/env.h"
#include "cairn/base/log.h"

namespace cairn::cli {
namespace {

log::Level LevelFor(const GlobalOptions& options) {
  if (options.quiet) {
    return log::Level::kError;
  }
  switch (options.verbosity) {
    case 0:
      return log::Level::kWarn;
    case 1:
      return log::Level::kInfo;
    case 2:
      return log::Level::kDebug;
    default:
      return log::Level::kTrace;
  }
}

bool WantsProgress(const GlobalOptions& options) {
  return !options.quiet && !options.json && isatty(STDERR_FILENO) == 1;
}

}  // namespace

Context::Context(const GlobalOptions& options)
    : options_(options), progress_(WantsProgress(options), stderr) {
  log::SetLevel(LevelFor(options_));
}

Result<api::Session*> Context::OpenSession() {
  if (session_ == nullptr) {
    api::ProgressFn progress;
    if (progress_.Enabled()) {
      progress = [this](const api::Progress& update) { progress_.Update(update); };
    }
    const api::SessionOptions session_options{
        .home = options_.home, .project = options_.project, .progress = progress};
    CAIRN_ASSIGN_OR_RETURN(session_, api::Session::Open(session_options));
  }
  return session_.get();
}

void Context::Note(const std::string& text) const {
  if (options_.quiet || options_.json) {
    return;
  }
  std::fprintf(stderr, "cairn: %s\n", text.c_str());
}

Result<std::optional<std::int64_t>> Context::EnclosingRunId() {
  const std::string text = env::GetOr("CAIRN_RUN_ID", "");
  if (text.empty()) {
    return std::optional<std::int64_t>();
  }

  std::int64_t run_id = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), run_id);
  if (error != std::errc() || end != text.data() + text.size()) {
    return InvalidArgumentError("CAIRN_RUN_ID=" + text +
                                " is not a run id; unset it or start the command with "
                                "`cairn run`");
  }

  CAIRN_ASSIGN_OR_RETURN(api::Session * session, OpenSession());
  auto run = session->Registry().GetRun(run_id);
  if (!run.ok()) {
    return run.status().WithContext("CAIRN_RUN_ID=" + text + " names no run in " +
                                    session->Home() +
                                    "; unset it or pass the same --home");
  }
  return std::optional<std::int64_t>(run_id);
}

}  // namespace cairn::cli
