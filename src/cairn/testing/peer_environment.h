// SPDX-License-Identifier: Apache-2.0
// A peer (moto, fake-gcs-server, Azurite, nginx) for a test binary: started once by
// its script in tests/scripts, which prints "export NAME=VALUE" lines and a
// pidfile, and stopped by "<script> stop PIDFILE" at the end.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cairn/base/result.h"
#include "cairn/base/status.h"

namespace cairn::testing {

/// Runs "`script` start" and returns the NAME=VALUE pairs of its "export" lines; an
/// error naming the script and scripts/bootstrap when it fails.
Result<std::map<std::string, std::string>> StartPeer(const std::string& script);

/// Runs "`script` stop `pidfile`".
Status StopPeer(const std::string& script, const std::string& pidfile);

struct PeerOptions {
  /// The peer's name in messages: "moto".
  std::string name;
  /// The script's file name under tests/scripts: "moto.sh".
  std::string script;
  /// Exports that must be non-empty; the first is the peer's endpoint.
  std::vector<std::string> required;
  /// Exports read when present.
  std::vector<std::string> optional = {};
  /// The export naming the pidfile that "stop" takes.
  std::string pidfile;
  /// Whether a caller may supply a running peer by setting the endpoint export
  /// (and the others) in the environment, as "eval $(script start)" does.
  bool accept_running = true;
  /// The source tree when CAIRN_SOURCE_DIR is unset; empty: CAIRN_SOURCE_DIR must
  /// be set (ctest sets it).
  std::string source_dir_fallback = {};
};

/// Starts the peer in SetUp and stops it in TearDown; a failure to start is a
/// fatal failure of the environment, so no test of the binary runs.
class PeerEnvironment : public ::testing::Environment {
 public:
  explicit PeerEnvironment(PeerOptions options) : options_(std::move(options)) {}

  void SetUp() override;
  void TearDown() override;

  /// The value of the first required export, empty before SetUp.
  const std::string& Endpoint() const { return Value(options_.required.front()); }
  /// The value of export `name`, empty when it was not exported.
  const std::string& Value(const std::string& name) const;

 private:
  PeerOptions options_;
  std::string script_;
  std::map<std::string, std::string> values_;
};

/// Registers a PeerEnvironment with gtest (before main() runs, at namespace scope)
/// and returns it; gtest owns it.
PeerEnvironment* AddPeerEnvironment(PeerOptions options);

}  // namespace cairn::testing
