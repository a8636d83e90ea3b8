// SPDX-License-Identifier: Apache-2.0
#include "cairn/testing/peer_environment.h"

#include <sstream>

#include "cairn/base/env.h"
#include "cairn/testing/run_command.h"

namespace cairn::testing {

Result<std::map<std::string, std::string>> StartPeer(const std::string& script) {
  Result<std::string> output = RunCommand(script + " start");
  if (!output.ok()) {
    return UnavailableError(output.status().message() + "\n" + script +
                            " did not start its peer; run scripts/bootstrap, which "
                            "installs the peers");
  }
  std::map<std::string, std::string> exports;
  std::istringstream lines(*output);
  const std::string prefix = "export ";
  for (std::string line; std::getline(lines, line);) {
    const std::size_t equals = line.find('=');
    if (line.starts_with(prefix) && equals != std::string::npos) {
      exports[line.substr(prefix.size(), equals - prefix.size())] =
          line.substr(equals + 1);
    }
  }
  return exports;
}

Status StopPeer(const std::string& script, const std::string& pidfile) {
  Result<std::string> output = RunCommand(script + " stop " + pidfile);
  return output.ok() ? Status::Ok() : output.status();
}

void PeerEnvironment::SetUp() {
  const std::string& endpoint = options_.required.front();
  if (const auto given = env::Get(endpoint);
      options_.accept_running && given && !given->empty()) {
    for (const auto* names : {&options_.required, &options_.optional}) {
      for (const std::string& name : *names) {
        values_[name] = env::GetOr(name, "");
      }
    }
  } else {
    std::string source_dir = env::GetOr("CAIRN_SOURCE_DIR", options_.source_dir_fallback);
    ASSERT_FALSE(source_dir.empty())
        << "CAIRN_SOURCE_DIR is unset; run this test through ctest, or export the "
           "variables of: eval \"$(tests/scripts/"
        << options_.script << " start)\"";
    script_ = source_dir + "/tests/scripts/" + options_.script;
    Result<std::map<std::string, std::string>> exports = StartPeer(script_);
    ASSERT_TRUE(exports.ok()) << options_.name
                              << " did not start: " << exports.status().message();
    values_ = *std::move(exports);
  }
  for (const std::string& name : options_.required) {
    ASSERT_FALSE(Value(name).empty())
        << options_.name << ": " << name << " is empty; "
        << (script_.empty()
                ? "export every variable of tests/scripts/" + options_.script + " start"
                : script_ + " start did not export it; run scripts/bootstrap");
  }
}

void PeerEnvironment::TearDown() {
  if (const std::string& pidfile = Value(options_.pidfile);
      !script_.empty() && !pidfile.empty()) {
    const Status stopped = StopPeer(script_, pidfile);
    EXPECT_TRUE(stopped.ok()) << options_.name << " did not stop: " << stopped.ToString();
  }
}

const std::string& PeerEnvironment::Value(const std::string& name) const {
  static const std::string empty;
  const auto found = values_.find(name);
  return found == values_.end() ? empty : found->second;
}

PeerEnvironment* AddPeerEnvironment(PeerOptions options) {
  auto* peer = new PeerEnvironment(std::move(options));
  ::testing::AddGlobalTestEnvironment(peer);
  return peer;
}

}  // namespace cairn::testing
