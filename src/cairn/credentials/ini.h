// SPDX-License-Identifier: Apache-2.0
// The INI dialect of the AWS shared credentials and config files: `[section]`
// headers, `key = value` (or `key: value`) lines, whole-line comments starting with
// '#' or ';', inline comments after whitespace, and nested sub-sections written as
// a key with no value followed by indented `key = value` lines:
//
//   [profile dev]
//   region = eu-west-1   # inline comment
//   s3 =
//     endpoint_url = http://127.0.0.1:9000
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cairn/base/result.h"

namespace cairn::credentials::internal {

/// One `[section]` of a file. Keys are lower-cased, as the AWS tools read them.
struct IniSection {
  std::map<std::string, std::string> values;
  std::map<std::string, int> lines;  // 1-based line of each key in `values`
  // Nested sub-sections by their key ("s3"), each a map of lower-cased keys.
  std::map<std::string, std::map<std::string, std::string>> nested;

  /// The value of `key`, or "" when absent.
  std::string Get(const std::string& key) const;
  bool Has(const std::string& key) const { return values.contains(key); }
};

/// A parsed file: sections by their header text with inner whitespace collapsed,
/// so "[profile   dev]" is "profile dev". A section that appears twice is merged,
/// later keys winning.
struct IniFile {
  std::map<std::string, IniSection> sections;

  /// The section, or nullptr.
  const IniSection* Find(const std::string& name) const;
};

/// Parses `text`. kInvalidArgument naming `label` (e.g. "config file
/// /home/u/.aws/config") and the line number for a key outside any section, an
/// unterminated or empty section header, or a line that is neither a comment, a
/// header nor `key = value`. Messages never quote the offending line, because a
/// line of a credentials file may hold a secret.
Result<IniFile> ParseIni(std::string_view text, std::string_view label);

/// Reads and parses the file at `path`. Returns nullopt when the file does not
/// exist; kPermissionDenied when it exists but cannot be read.
Result<std::optional<IniFile>> ReadIniFile(const std::string& path,
                                           std::string_view label);

}  // namespace cairn::credentials::internal
