// SPDX-License-Identifier: Apache-2.0
#include "cairn/manifest/wandb_file.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "cairn/uri/uri.h"

namespace cairn::manifest {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

Result<std::string> ReadWholeFile(const std::string& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) {
    return NotFoundError("W&B manifest " + path +
                         " not found; give the path of a wandb_manifest.json file");
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return UnavailableError("reading W&B manifest " + path + " failed");
  }
  return text;
}

// W&B marks a checksum=False reference by a digest equal to its ref.
Status CheckReference(const std::string& file, ManifestEntry& entry) {
  const std::string where = "W&B manifest " + file + ", entry \"" + entry.path + "\"";
  if (entry.ref.empty()) {
    return InvalidArgumentError(where +
                                ": no ref; it is a file uploaded to W&B's storage, which "
                                "cairn cannot read. Only reference entries can be "
                                "imported");
  }
  Result<uri::Uri> ref = uri::Uri::ParseRef(entry.ref);
  if (!ref.ok()) {
    return ref.status().WithContext(where);
  }
  if (ref->QueryNamesObject() && ref->SecretQueryParameter()) {
    return InvalidArgumentError(where + ": its ref carries a secret in its query (\"" +
                                *ref->SecretQueryParameter() +
                                "\"), which cairn never stores; replace it with an "
                                "unsigned URL or the object's store URI");
  }
  if (entry.digest == entry.ref) {
    entry.checksum = false;
  }
  // W&B keeps an HTTP ETag with its quotes in extra["etag"] (its digest drops
  // them); cairn stores ETags bare and sends them back in If-Match. A weak ETag
  // (W/"...") cannot be matched byte for byte, so it is not kept as one.
  if (auto etag = entry.extra.find("etag"); etag != entry.extra.end()) {
    std::string& value = etag->second;
    if (value.starts_with("W/")) {
      entry.extra.erase(etag);
    } else if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Manifest> ReadWandbManifestFile(const std::string& path) {
  CAIRN_ASSIGN_OR_RETURN(const std::string text, ReadWholeFile(path));
  Result<Manifest> parsed = Manifest::FromJson(text);
  if (!parsed.ok()) {
    return parsed.status().WithContext("reading W&B manifest " + path);
  }
  Manifest checked;
  for (ManifestEntry entry : parsed->entries()) {
    CAIRN_RETURN_IF_ERROR(CheckReference(path, entry));
    CAIRN_RETURN_IF_ERROR(checked.Add(std::move(entry)));
  }
  return checked;
}

Status WriteWandbManifestFile(const Manifest& manifest, const std::string& path) {
  // W&B has no "checksum" field: its unchecked entries are those whose digest is
  // the ref, which is how cairn records them too.
  Json json = Json::parse(manifest.ToJson());
  for (auto& [entry_path, entry] : json["contents"].items()) {
    entry.erase("checksum");
  }
  const std::string text = json.dump(2) + "\n";
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0
               ? Status::Ok()
               : UnavailableError("writing to standard output failed");
  }

  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    return InvalidArgumentError("cannot write W&B manifest " + path + ": folder " +
                                folder.string() + " does not exist; create it first");
  }
  const fs::path temporary =
      folder / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      fs::remove(temporary, error);
      return UnavailableError("writing W&B manifest " + path + " failed");
    }
  }
  fs::rename(temporary, target, error);
  if (error) {
    fs::remove(temporary, error);
    return InvalidArgumentError("cannot write W&B manifest " + path + ": " +
                                error.message() + "; choose another path");
  }
  return Status::Ok();
}

}  // namespace cairn::manifest
