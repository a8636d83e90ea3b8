// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/gcs/gcs_json.h"

#include <cctype>
#include <charconv>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

namespace cairn::storage::gcs {
namespace {

using Json = nlohmann::json;

std::string StringField(const Json& object, const char* name) {
  const auto found = object.find(name);
  if (found == object.end() || !found->is_string()) {
    return "";
  }
  return found->get<std::string>();
}

Status Malformed(std::string_view what, std::string_view why) {
  return InternalError(std::string(what) + ": GCS answered with " + std::string(why) +
                       "; the endpoint may not be a GCS JSON API (check "
                       "STORAGE_EMULATOR_HOST)");
}

// GCS sends int64 fields ("size", "generation") as decimal strings; some emulators
// send numbers. Accept both.
bool DecimalField(const Json& object, const char* name, std::string& out) {
  const auto found = object.find(name);
  if (found == object.end()) {
    return false;
  }
  if (found->is_string()) {
    out = found->get<std::string>();
  } else if (found->is_number_integer()) {
    out = std::to_string(found->get<std::int64_t>());
  } else {
    return false;
  }
  if (out.empty()) {
    return false;
  }
  for (const char c : out) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return false;
    }
  }
  return true;
}

Result<GcsObject> ObjectFromJson(const Json& object, std::string_view what) {
  if (!object.is_object()) {
    return Malformed(what, "an object resource that is not a JSON object");
  }
  GcsObject parsed;
  parsed.name = StringField(object, "name");
  std::string size;
  if (parsed.name.empty() || !DecimalField(object, "size", size) ||
      std::from_chars(size.data(), size.data() + size.size(), parsed.size_bytes).ec !=
          std::errc()) {
    return Malformed(what, "an object resource without a name or a valid size");
  }
  parsed.md5_base64 = StringField(object, "md5Hash");
  parsed.crc32c_base64 = StringField(object, "crc32c");
  parsed.etag = StringField(object, "etag");
  if (!DecimalField(object, "generation", parsed.generation)) {
    parsed.generation.clear();
  }
  parsed.updated = StringField(object, "updated");
  return parsed;
}

Result<Json> ParseJson(std::string_view text, std::string_view what) {
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Malformed(what, "a body that is not JSON");
  }
  return parsed;
}

}  // namespace

Result<GcsObject> ParseObject(std::string_view json, std::string_view what) {
  CAIRN_ASSIGN_OR_RETURN(const Json parsed, ParseJson(json, what));
  return ObjectFromJson(parsed, what);
}

Result<GcsListPage> ParseListPage(std::string_view json, std::string_view what) {
  CAIRN_ASSIGN_OR_RETURN(const Json parsed, ParseJson(json, what));
  if (!parsed.is_object()) {
    return Malformed(what, "a listing that is not a JSON object");
  }
  GcsListPage page;
  page.next_page_token = StringField(parsed, "nextPageToken");
  const auto items = parsed.find("items");
  if (items == parsed.end()) {
    return page;  // an empty page has no "items" at all
  }
  if (!items->is_array()) {
    return Malformed(what, "a listing whose items are not an array");
  }
  page.objects.reserve(items->size());
  for (const Json& item : *items) {
    CAIRN_ASSIGN_OR_RETURN(GcsObject object, ObjectFromJson(item, what));
    page.objects.push_back(std::move(object));
  }
  return page;
}

GcsErrorBody ParseErrorBody(std::string_view json) {
  GcsErrorBody body;
  const Json parsed = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return body;
  }
  const auto error = parsed.find("error");
  if (error == parsed.end() || !error->is_object()) {
    return body;
  }
  body.message = StringField(*error, "message");
  const auto errors = error->find("errors");
  if (errors != error->end() && errors->is_array() && !errors->empty() &&
      errors->front().is_object()) {
    body.reason = StringField(errors->front(), "reason");
  }
  return body;
}

std::string Rfc3339Seconds(std::string_view text) {
  // "YYYY-MM-DDTHH:MM:SS", then optional fraction, then "Z" or "+00:00".
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < kShape.size()) {
    return "";
  }
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) {
      return "";
    }
  }
  std::string_view rest = text.substr(kShape.size());
  if (rest.starts_with('.')) {
    std::size_t digits = 1;
    while (digits < rest.size() &&
           std::isdigit(static_cast<unsigned char>(rest[digits])) != 0) {
      ++digits;
    }
    rest.remove_prefix(digits);
  }
  if (rest != "Z" && rest != "+00:00" && rest != "-00:00") {
    return "";
  }
  return std::string(text.substr(0, kShape.size())) + "Z";
}

}  // namespace cairn::storage::gcs
