// SPDX-License-Identifier: Apache-2.0
#include "cairn/registry/validate.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace cairn::registry {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-';
}

bool IsAllDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// "v3" or "3"; nullopt for anything else.
std::optional<std::string_view> IndexDigits(std::string_view text) {
  if (text.size() > 1 && text.front() == 'v' && IsAllDigits(text.substr(1))) {
    return text.substr(1);
  }
  if (IsAllDigits(text)) {
    return text;
  }
  return std::nullopt;
}

constexpr std::string_view kAllowed =
    "use 1 to 128 letters, digits, '.', '_' or '-' (no ':', '/' or spaces)";

}  // namespace

Status ValidateName(std::string_view kind, std::string_view name) {
  bool valid =
      !name.empty() && name.size() <= kMaxNameLength && name != "." && name != "..";
  for (char c : name) {
    valid = valid && IsNameChar(c);
  }
  if (valid) {
    return Status::Ok();
  }
  return InvalidArgumentError(std::string(kind) + " name \"" + std::string(name) +
                              "\" is invalid: " + std::string(kAllowed));
}

Status ValidateAlias(std::string_view alias) {
  CAIRN_RETURN_IF_ERROR(ValidateName("alias", alias));
  if (IndexDigits(alias)) {
    return InvalidArgumentError("alias \"" + std::string(alias) +
                                "\" looks like a version number; choose a name that "
                                "is not \"vN\" or all digits, such as \"best\"");
  }
  return Status::Ok();
}

Status ValidateJsonObject(std::string_view field, std::string_view json) {
  const nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_discarded()) {
    return InvalidArgumentError(std::string(field) +
                                " is not valid JSON; pass a JSON object such as {}");
  }
  if (!parsed.is_object()) {
    return InvalidArgumentError(std::string(field) + " is JSON of type " +
                                parsed.type_name() + "; pass a JSON object such as {}");
  }
  return Status::Ok();
}

Result<VersionRef> ParseVersionRef(std::string_view text) {
  if (text.empty()) {
    return InvalidArgumentError(
        R"(empty version reference; pass "vN", "N", "latest" or an alias)");
  }
  VersionRef ref;
  if (text == kLatestAlias) {
    ref.kind = VersionRef::Kind::kLatest;
    return ref;
  }
  std::optional<std::string_view> digits = IndexDigits(text);
  if (!digits) {
    ref.kind = VersionRef::Kind::kAlias;
    ref.alias = std::string(text);
    return ref;
  }
  ref.kind = VersionRef::Kind::kIndex;
  auto [end, error] =
      std::from_chars(digits->data(), digits->data() + digits->size(), ref.index);
  if (error != std::errc() || end != digits->data() + digits->size()) {
    return InvalidArgumentError("version \"" + std::string(text) +
                                "\" is too large to be a version number");
  }
  return ref;
}

std::string DescribeIndexes(const std::vector<std::int64_t>& indexes) {
  if (indexes.empty()) {
    return "no versions";
  }
  std::string out;
  std::size_t i = 0;
  while (i < indexes.size()) {
    std::size_t j = i;
    while (j + 1 < indexes.size() && indexes[j + 1] == indexes[j] + 1) {
      ++j;
    }
    if (!out.empty()) {
      out += ", ";
    }
    out += "v" + std::to_string(indexes[i]);
    if (j > i) {
      out += "..v" + std::to_string(indexes[j]);
    }
    i = j + 1;
  }
  return out;
}

}  // namespace cairn::registry
