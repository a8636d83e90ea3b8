// SPDX-License-Identifier: Apache-2.0
#include "cli/output.h"

#include <cstdio>

#include <fmt/format.h>

namespace cairn::cli {

nlohmann::json ParseStoredJson(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return text;
  }
  return parsed;
}

nlohmann::json VersionJson(const registry::VersionRecord& version) {
  return {
      {"id", version.id},
      {"project", version.project},
      {"name", version.name},
      {"version", "v" + std::to_string(version.index)},
      {"label", version.Label()},
      {"type", version.type},
      {"description", version.description},
      {"metadata", ParseStoredJson(version.metadata_json)},
      {"digest", version.digest},
      {"size", version.size_bytes},
      {"files", version.file_count},
      {"created_at", version.created_at},
      {"aliases", version.aliases},
      {"producer_run_id", version.producer_run_id
                              ? nlohmann::json(*version.producer_run_id)
                              : nlohmann::json(nullptr)},
  };
}

nlohmann::json RunJson(const registry::RunRecord& run) {
  return {
      {"id", run.id},
      {"project", run.project},
      {"name", run.name},
      {"job_type", run.job_type},
      {"config", ParseStoredJson(run.config_json)},
      {"status", run.status},
      {"exit_code",
       run.exit_code ? nlohmann::json(*run.exit_code) : nlohmann::json(nullptr)},
      {"started_at", run.started_at},
      {"finished_at", run.finished_at},
  };
}

nlohmann::json EntryJson(const manifest::ManifestEntry& entry) {
  nlohmann::json json = {
      {"path", entry.path},     {"ref", entry.ref},           {"size", entry.size_bytes},
      {"digest", entry.digest}, {"checksum", entry.checksum},
  };
  if (const std::string version_id = entry.VersionId(); !version_id.empty()) {
    json["version_id"] = version_id;
  }
  if (const std::string etag = entry.Etag(); !etag.empty()) {
    json["etag"] = etag;
  }
  return json;
}

void PrintJson(const nlohmann::json& document) {
  const std::string text =
      document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

std::string HumanBytes(std::int64_t bytes) {
  if (bytes < 1024) {
    return fmt::format("{} B", bytes);
  }
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string CountOf(std::int64_t count, const std::string& noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      text += separator;
    }
    text += items[i];
  }
  return text;
}

}  // namespace cairn::cli
