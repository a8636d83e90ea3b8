// SPDX-License-Identifier: Apache-2.0
#include "cairn/manifest/manifest.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "cairn/hash/encoding.h"
#include "cairn/hash/hash.h"

namespace cairn::manifest {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kDigestHeader = "wandb-artifact-manifest-v1\n";
constexpr std::string_view kStoragePolicy = "wandb-storage-policy-v1";

// nlohmann's dump() throws on invalid UTF-8, so every string is checked on its way
// into a manifest.
bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if (c < 0x80) {
      length = 1;
      code_point = c;
    } else if ((c & 0xe0) == 0xc0) {
      length = 2;
      code_point = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      length = 3;
      code_point = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      length = 4;
      code_point = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) {
        return false;
      }
      code_point = (code_point << 6) | (next & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[length] || code_point > 0x10ffff ||
        (code_point >= 0xd800 && code_point <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

Status CheckPath(std::string_view path) {
  if (path.empty()) {
    return InvalidArgumentError("manifest entry with an empty path: give it a name");
  }
  if (path.front() == '/') {
    return InvalidArgumentError("manifest path \"" + std::string(path) +
                                "\" starts with '/': entry paths are relative");
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") {
      return InvalidArgumentError("manifest path \"" + std::string(path) + "\" has a \"" +
                                  std::string(segment) +
                                  "\" segment: name the file without it");
    }
    start = end + 1;
  }
  return Status::Ok();
}

Status CheckUtf8(const ManifestEntry& entry) {
  bool valid =
      IsValidUtf8(entry.path) && IsValidUtf8(entry.ref) && IsValidUtf8(entry.digest);
  for (const auto& [key, value] : entry.extra) {
    valid = valid && IsValidUtf8(key) && IsValidUtf8(value);
  }
  if (!valid) {
    return InvalidArgumentError("manifest entry \"" + hash::HexEncode(entry.path) +
                                "\" (path in hex) holds text that is not UTF-8; "
                                "manifests store UTF-8 only");
  }
  return Status::Ok();
}

Json EntryToJson(const ManifestEntry& entry) {
  Json json = Json::object();
  json["digest"] = entry.digest;
  json["size"] = entry.size_bytes;
  if (!entry.ref.empty()) {
    json["ref"] = entry.ref;
  }
  if (!entry.extra.empty()) {
    json["extra"] = entry.extra;
  }
  if (!entry.checksum) {
    json["checksum"] = false;
  }
  return json;
}

// W&B writes some extra values as numbers (GCS generations); cairn keeps every
// value as text, so such a value reads back as its JSON text, e.g. "1712".
std::string ExtraValue(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

Result<ManifestEntry> EntryFromJson(const std::string& path, const Json& json) {
  const std::string where = "manifest entry \"" + path + "\"";
  if (!json.is_object()) {
    return InvalidArgumentError(where + " is not a JSON object");
  }
  ManifestEntry entry;
  entry.path = path;

  const auto digest = json.find("digest");
  if (digest == json.end() || !digest->is_string() ||
      digest->get<std::string>().empty()) {
    return InvalidArgumentError(where + " has no \"digest\" string");
  }
  entry.digest = digest->get<std::string>();
  if (const auto ref = json.find("ref"); ref != json.end() && !ref->is_null()) {
    if (!ref->is_string()) {
      return InvalidArgumentError(where + ": \"ref\" is not a string");
    }
    entry.ref = ref->get<std::string>();
  }

  if (const auto size = json.find("size"); size != json.end() && !size->is_null()) {
    if (!size->is_number_integer() || size->get<std::int64_t>() < 0) {
      return InvalidArgumentError(where + ": \"size\" is not a non-negative integer");
    }
    entry.size_bytes = size->get<std::int64_t>();
  }
  if (const auto checksum = json.find("checksum"); checksum != json.end()) {
    if (!checksum->is_boolean()) {
      return InvalidArgumentError(where + ": \"checksum\" is not true or false");
    }
    entry.checksum = checksum->get<bool>();
  }

  if (const auto extra = json.find("extra"); extra != json.end() && !extra->is_null()) {
    if (!extra->is_object()) {
      return InvalidArgumentError(where + ": \"extra\" is not an object");
    }
    for (const auto& [key, value] : extra->items()) {
      entry.extra[key] = ExtraValue(value);
    }
  }
  return entry;
}

Result<Manifest> ManifestFromJson(const Json& json) {
  if (!json.is_object()) {
    return InvalidArgumentError("manifest JSON is not an object");
  }
  const auto version = json.find("version");
  if (version == json.end() || !version->is_number_integer() ||
      version->get<std::int64_t>() != 1) {
    return InvalidArgumentError("manifest version " +
                                (version == json.end() ? "missing" : version->dump()) +
                                " is not supported: cairn reads version 1");
  }
  const auto contents = json.find("contents");
  if (contents == json.end() || !contents->is_object()) {
    return InvalidArgumentError("manifest JSON has no \"contents\" object");
  }

  Manifest manifest;
  for (const auto& [path, value] : contents->items()) {
    CAIRN_ASSIGN_OR_RETURN(ManifestEntry entry, EntryFromJson(path, value));
    CAIRN_RETURN_IF_ERROR(manifest.Add(std::move(entry)));
  }
  return manifest;
}

}  // namespace

std::string ManifestEntry::VersionId() const {
  const auto it = extra.find("versionID");
  return it == extra.end() ? std::string() : it->second;
}

std::string ManifestEntry::Etag() const {
  const auto it = extra.find("etag");
  return it == extra.end() ? std::string() : it->second;
}

Status Manifest::Add(ManifestEntry entry) {
  CAIRN_RETURN_IF_ERROR(CheckPath(entry.path));
  if (entry.digest.empty()) {
    return InvalidArgumentError("manifest entry \"" + entry.path +
                                "\" has an empty digest");
  }
  CAIRN_RETURN_IF_ERROR(CheckUtf8(entry));
  std::erase_if(entry.extra, [](const auto& item) { return item.second.empty(); });

  // Listings arrive in key order, so the common case appends at the end.
  const auto position =
      std::lower_bound(entries_.begin(), entries_.end(), entry.path,
                       [](const ManifestEntry& existing, const std::string& path) {
                         return existing.path < path;
                       });
  if (position != entries_.end() && position->path == entry.path) {
    if (position->ref == entry.ref && position->digest == entry.digest) {
      return Status::Ok();
    }
    return AlreadyExistsError("manifest path \"" + entry.path + "\" is already used by " +
                              (position->ref.empty() ? "another entry" : position->ref) +
                              "; give one of them a different name");
  }
  entries_.insert(position, std::move(entry));
  return Status::Ok();
}

std::int64_t Manifest::TotalBytes() const {
  std::int64_t total = 0;
  for (const ManifestEntry& entry : entries_) {
    total += entry.size_bytes;
  }
  return total;
}

const ManifestEntry* Manifest::Find(std::string_view path) const {
  const auto position =
      std::lower_bound(entries_.begin(), entries_.end(), path,
                       [](const ManifestEntry& existing, std::string_view wanted) {
                         return existing.path < wanted;
                       });
  if (position == entries_.end() || position->path != path) {
    return nullptr;
  }
  return &*position;
}

std::string Manifest::Digest() const {
  hash::Md5 md5;
  md5.Update(kDigestHeader);
  for (const ManifestEntry& entry : entries_) {
    md5.Update(entry.path);
    md5.Update(":");
    md5.Update(entry.digest);
    md5.Update("\n");
  }
  return hash::HexEncode(md5.Final());
}

std::string Manifest::ToJson() const {
  Json contents = Json::object();
  for (const ManifestEntry& entry : entries_) {
    contents[entry.path] = EntryToJson(entry);
  }
  Json json = Json::object();
  json["version"] = 1;
  json["storagePolicy"] = kStoragePolicy;
  json["storagePolicyConfig"] = {{"storageLayout", "V2"}};
  json["contents"] = std::move(contents);
  return json.dump();
}

Result<Manifest> Manifest::FromJson(std::string_view json) {
  try {
    return ManifestFromJson(Json::parse(json));
  } catch (const Json::exception& error) {
    return InvalidArgumentError(std::string("manifest JSON is malformed: ") +
                                error.what());
  }
}

}  // namespace cairn::manifest
