// SPDX-License-Identifier: Apache-2.0
#include "cairn/credentials/ini.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "cairn/base/ascii.h"

namespace cairn::credentials::internal {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsSpace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

// "profile \t dev" -> "profile dev", so a header matches however it was spaced.
std::string CollapseSpaces(std::string_view text) {
  std::string out;
  bool in_space = false;
  for (char c : text) {
    if (IsSpace(c)) {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) {
      out += ' ';
    }
    in_space = false;
    out += c;
  }
  return out;
}

// An inline comment starts at '#' or ';' preceded by whitespace; a bare '#' inside
// a value (no space before it) is kept.
std::string_view StripInlineComment(std::string_view line) {
  for (std::size_t i = 1; i < line.size(); ++i) {
    if ((line[i] == '#' || line[i] == ';') && IsSpace(line[i - 1])) {
      return Trim(line.substr(0, i));
    }
  }
  return line;
}

std::size_t IndentOf(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) {
    ++n;
  }
  return n;
}

struct KeyValue {
  std::string key;
  std::string value;
};

// Splits at the first '=' or ':', as the AWS tools do; nullopt when there is none
// or the key is empty.
std::optional<KeyValue> SplitKeyValue(std::string_view line) {
  const std::size_t pos = line.find_first_of("=:");
  if (pos == std::string_view::npos) {
    return std::nullopt;
  }
  KeyValue kv{AsciiLower(Trim(line.substr(0, pos))),
              std::string(Trim(line.substr(pos + 1)))};
  if (kv.key.empty()) {
    return std::nullopt;
  }
  return kv;
}

Status LineError(std::string_view label, int line_number, std::string_view problem) {
  return InvalidArgumentError("parsing " + std::string(label) + " line " +
                              std::to_string(line_number) + ": " + std::string(problem));
}

// Walks the lines of one file, keeping the state that indentation depends on.
class Parser {
 public:
  explicit Parser(std::string_view label) : label_(label) {}

  Status Line(std::string_view raw, int line_number) {
    const std::string_view text = StripInlineComment(Trim(raw));
    if (text.empty() || text.front() == '#' || text.front() == ';') {
      return Status::Ok();
    }
    const std::size_t indent = IndentOf(raw);
    if (!key_.empty() && indent > key_indent_) {
      return Continuation(text, line_number);
    }
    if (text.front() == '[') {
      return Header(text, line_number);
    }
    return KeyLine(text, indent, line_number);
  }

  IniFile Finish() { return std::move(file_); }

 private:
  Status Header(std::string_view text, int line_number) {
    if (text.back() != ']') {
      return LineError(label_, line_number, "section header lacks its closing ']'");
    }
    std::string name = CollapseSpaces(text.substr(1, text.size() - 2));
    if (name.empty()) {
      return LineError(label_, line_number, "section header has no name");
    }
    section_ = &file_.sections[name];
    key_.clear();
    return Status::Ok();
  }

  Status KeyLine(std::string_view text, std::size_t indent, int line_number) {
    if (section_ == nullptr) {
      return LineError(label_, line_number,
                       "key before the first [section] header; add a header such as "
                       "[default] above it");
    }
    std::optional<KeyValue> kv = SplitKeyValue(text);
    if (!kv) {
      return LineError(label_, line_number, "expected `key = value` or `[section]`");
    }
    key_ = kv->key;
    key_indent_ = indent;
    section_->lines[key_] = line_number;
    section_->values[key_] = std::move(kv->value);
    return Status::Ok();
  }

  // An indented line under a key: a nested `key = value` when the key had no value
  // of its own ("s3 ="), otherwise more text of that key's value.
  Status Continuation(std::string_view text, int line_number) {
    std::string& value = section_->values[key_];
    if (!value.empty()) {
      value += '\n';
      value += text;
      return Status::Ok();
    }
    std::optional<KeyValue> kv = SplitKeyValue(text);
    if (!kv) {
      return LineError(label_, line_number,
                       "expected an indented `key = value` under `" + key_ + " =`");
    }
    section_->nested[key_][kv->key] = std::move(kv->value);
    return Status::Ok();
  }

  std::string_view label_;
  IniFile file_;
  IniSection* section_ = nullptr;
  std::string key_;  // the last top-level key of the current section
  std::size_t key_indent_ = 0;
};

}  // namespace

std::string IniSection::Get(const std::string& key) const {
  auto it = values.find(key);
  return it == values.end() ? std::string() : it->second;
}

const IniSection* IniFile::Find(const std::string& name) const {
  auto it = sections.find(name);
  return it == sections.end() ? nullptr : &it->second;
}

Result<IniFile> ParseIni(std::string_view text, std::string_view label) {
  Parser parser(label);
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    CAIRN_RETURN_IF_ERROR(parser.Line(line, line_number));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return parser.Finish();
}

Result<std::optional<IniFile>> ReadIniFile(const std::string& path,
                                           std::string_view label) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return std::optional<IniFile>();
  }
  if (std::filesystem::is_directory(path, error)) {
    return InvalidArgumentError("reading " + std::string(label) +
                                ": it is a directory, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::string reason = std::generic_category().message(errno);
    return PermissionDeniedError("reading " + std::string(label) + ": " + reason +
                                 "; make the file readable or point the variable at "
                                 "another file");
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  CAIRN_ASSIGN_OR_RETURN(IniFile file, ParseIni(contents.str(), label));
  return std::optional<IniFile>(std::move(file));
}

}  // namespace cairn::credentials::internal
