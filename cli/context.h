// SPDX-License-Identifier: Apache-2.0
// Context: what every command shares: the global flags, the session (opened on
// first use, with the progress bar wired in) and the text/JSON output mode.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "cairn/api/session.h"
#include "cairn/base/result.h"

#include "cli/progress.h"

namespace cairn::cli {

/// Flags accepted before or after any command.
struct GlobalOptions {
  std::string home;     // --home; empty: $CAIRN_HOME, else ~/.cairn
  std::string project;  // --project; empty: $CAIRN_PROJECT, else "default"
  bool json = false;    // --json: one JSON document on stdout
  bool quiet = false;   // -q: no progress, notes or warnings on stderr
  int verbosity = 0;    // -v count: 1 info, 2 debug, 3 trace
};

class Context {
 public:
  /// Applies the log level the flags ask for; draws progress only when stderr is a
  /// terminal and neither -q nor --json was given.
  explicit Context(const GlobalOptions& options);

  /// True with --json: the command prints one JSON document instead of text.
  bool JsonOutput() const { return options_.json; }

  /// The session for --home and --project, opened on the first call.
  Result<api::Session*> OpenSession();

  /// Erases the progress line, before a command prints its result.
  void ClearProgress() { progress_.Clear(); }

  /// Writes "cairn: <text>" to stderr unless -q or --json was given: for notes that
  /// are not the command's result.
  void Note(const std::string& text) const;

  /// The run named by $CAIRN_RUN_ID (set by `cairn run` for its command), checked
  /// to exist in the session's registry; nullopt when the variable is unset or
  /// empty. kInvalidArgument when it is not a number; kNotFound when no such run.
  Result<std::optional<std::int64_t>> EnclosingRunId();

 private:
  GlobalOptions options_;
  ProgressBar progress_;
  std::unique_ptr<api::Session> session_;
};

}  // namespace cairn::cli
