// SPDX-License-Identifier: Apache-2.0
#include "cairn/artifact/download.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include "cairn/artifact/entries.h"
#include "cairn/base/log.h"
#include "cairn/base/redact.h"
#include "cairn/cache/content_cache.h"
#include "cairn/transfer/file_sink.h"
#include "cairn/transfer/parallel.h"

namespace cairn::artifact {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kNamesInMessage = 10;

// One file to put into the root.
struct FetchItem {
  std::string path;
  storage::ObjectRef ref;  // with the recorded versionID and ETag
  std::string ref_text;    // for messages, secrets in the query redacted
  bool checked = true;     // false: recorded without checksum, take what is there
  std::int64_t size_bytes = 0;
  std::string md5_base64;     // expected content MD5; empty when none is recorded
  std::string crc32c_base64;  // expected CRC32C, checked only when no MD5 is known
  std::string cache_key;      // empty: not cacheable

  // A pin or If-Match guarantees the bytes are the logged ones, so a mismatch
  // afterwards means damage rather than a change.
  bool Guarded() const { return !ref.version_id.empty() || !ref.etag.empty(); }
};

enum class Failure { kNone, kChanged, kPinGone, kCorrupt, kOther };

struct Outcome {
  Failure failure = Failure::kNone;
  std::string detail{};  // "<ref>: md5 now X, recorded Y"
  Status status{};       // for kOther
  bool from_cache = false;
  std::int64_t bytes = 0;
};

Status FsError(std::string_view action, const fs::path& path,
               const std::error_code& error) {
  std::string message =
      std::string(action) + " " + path.string() + ": " + error.message();
  if (error == std::errc::permission_denied ||
      error == std::errc::read_only_file_system) {
    return PermissionDeniedError(message + "; choose a root you can write to");
  }
  if (error == std::errc::no_space_on_device) {
    return ResourceExhaustedError(message);
  }
  // A root below a file, or a file where a folder must go: the user's path is wrong.
  if (error == std::errc::not_a_directory || error == std::errc::is_a_directory ||
      error == std::errc::file_exists || error == std::errc::filename_too_long) {
    return InvalidArgumentError(message + "; choose another root");
  }
  return UnavailableError(message);
}

std::string RandomSuffix() {
  std::random_device device;
  std::mt19937_64 random(device());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string suffix;
  for (std::uint64_t bits = random(); suffix.size() < 12; bits >>= 4) {
    suffix.push_back(kHex[bits & 0xf]);
  }
  return suffix;
}

// GCS composite objects have no md5Hash, only crc32c: then the CRC is what
// proves the bytes. With an MD5 at hand the CRC adds nothing, so it is skipped.
std::string ExpectedCrc32c(const manifest::ManifestEntry& entry,
                           const std::string& md5_base64) {
  const auto it = entry.extra.find("crc32c");
  return md5_base64.empty() && it != entry.extra.end() ? it->second : "";
}

Result<FetchItem> CheckedItem(const manifest::ManifestEntry& entry) {
  CAIRN_ASSIGN_OR_RETURN(uri::Uri uri, uri::Uri::ParseRef(entry.ref));
  FetchItem item;
  item.path = entry.path;
  item.ref = MakeRef(uri, entry.VersionId(), entry.Etag());
  item.ref_text = redact::Url(item.ref.uri.ToString());
  item.size_bytes = entry.size_bytes;
  item.md5_base64 = ExpectedMd5(entry);
  item.crc32c_base64 = ExpectedCrc32c(entry, item.md5_base64);
  item.cache_key =
      cache::ContentCache::ContentKey(item.md5_base64, item.ref.etag, item.size_bytes,
                                      item.ref.uri.ToString(), item.ref.version_id);
  return item;
}

FetchItem UncheckedItem(const storage::ObjectInfo& info, std::string path) {
  FetchItem item;
  item.path = std::move(path);
  item.ref = MakeRef(info.uri);
  item.ref_text = redact::Url(info.uri.ObjectUri().ToString());
  item.checked = false;
  item.size_bytes = info.size_bytes;
  return item;
}

// An entry logged with checksum=false names whatever is at its ref now: one
// object, or everything under a prefix.
Status ExpandUnchecked(Workspace& workspace, std::string_view label,
                       const manifest::ManifestEntry& entry, std::int64_t max_objects,
                       std::vector<FetchItem>& items) {
  CAIRN_ASSIGN_OR_RETURN(uri::Uri uri, uri::Uri::ParseRef(entry.ref));
  CAIRN_ASSIGN_OR_RETURN(auto store, workspace.Stores().Get(uri));
  log::Get("artifact")
      ->warn(
          "entry {} of {} was logged without a checksum; downloading what is at {} now",
          entry.path, label, redact::Url(uri.ToString()));

  if (!uri.EndsWithSlash()) {
    Result<storage::ObjectInfo> info = store->Stat(MakeRef(uri));
    if (info.ok()) {
      items.push_back(UncheckedItem(*info, entry.path));
      return Status::Ok();
    }
    if (info.status().code() != StatusCode::kNotFound || !store->Features().has_listing) {
      return info.status().WithContext("downloading entry " + entry.path);
    }
  }
  const uri::Uri prefix = uri.AsPrefix();
  const std::size_t before = items.size();
  const std::string where =
      std::string(label) + " (under " + redact::Url(uri.ToString()) + ")";
  std::int64_t listed = 0;
  const Status status = store->List(
      prefix, {.max_objects = max_objects + 1},
      [&](const storage::ObjectInfo& info) -> Status {
        if (!info.uri.path.starts_with(prefix.path) || info.uri.path == prefix.path) {
          return Status::Ok();
        }
        if (++listed > max_objects) {
          return ResourceExhaustedError("listing bound reached");
        }
        std::string path = entry.path + "/" + info.uri.path.substr(prefix.path.size());
        CAIRN_RETURN_IF_ERROR(CheckEntryPath(path, where));
        items.push_back(UncheckedItem(info, std::move(path)));
        return Status::Ok();
      });
  if (status.code() == StatusCode::kResourceExhausted) {
    return ResourceExhaustedError(
        "entry " + entry.path + " of " + std::string(label) +
        " was logged without a checksum and more than " + std::to_string(max_objects) +
        " objects are under " + prefix.WithoutQuery() +
        " now; track it again with checksums to log each object");
  }
  CAIRN_RETURN_IF_ERROR(status);
  if (items.size() == before) {
    return NotFoundError("entry " + entry.path + " of " + std::string(label) +
                         " was logged without a checksum and nothing is at " +
                         redact::Url(uri.ToString()) + " now");
  }
  return Status::Ok();
}

// Two items at one path, or a file where another item needs a directory, could
// not both be written.
Status CheckItemPaths(std::string_view label, const std::vector<FetchItem>& items) {
  std::set<std::string_view> paths;
  for (const FetchItem& item : items) {
    if (!paths.insert(item.path).second) {
      return AlreadyExistsError("two entries of " + std::string(label) +
                                " download to the same path " + item.path);
    }
  }
  for (const FetchItem& item : items) {
    for (std::size_t slash = item.path.find('/'); slash != std::string::npos;
         slash = item.path.find('/', slash + 1)) {
      if (paths.contains(std::string_view(item.path).substr(0, slash))) {
        return AlreadyExistsError("entry " + item.path + " of " + std::string(label) +
                                  " needs a directory where entry " +
                                  item.path.substr(0, slash) + " is a file");
      }
    }
  }
  return Status::Ok();
}

Result<std::vector<FetchItem>> Plan(Workspace& workspace, std::string_view label,
                                    const manifest::Manifest& manifest,
                                    const DownloadOptions& options) {
  std::vector<const manifest::ManifestEntry*> selected;
  for (const manifest::ManifestEntry& entry : manifest.entries()) {
    if (UnderPath(entry.path, options.path_prefix)) {
      CAIRN_RETURN_IF_ERROR(CheckEntryPath(entry.path, label));
      selected.push_back(&entry);
    }
  }
  if (selected.empty() && !options.path_prefix.empty()) {
    return NotFoundError("no entry of " + std::string(label) +
                         " has a path starting with " + options.path_prefix);
  }

  std::vector<FetchItem> items;
  for (const manifest::ManifestEntry* entry : selected) {
    if (entry->checksum) {
      CAIRN_ASSIGN_OR_RETURN(FetchItem item, CheckedItem(*entry));
      items.push_back(std::move(item));
    } else {
      CAIRN_RETURN_IF_ERROR(ExpandUnchecked(workspace, label, *entry,
                                            options.max_unchecked_objects, items));
    }
  }
  CAIRN_RETURN_IF_ERROR(CheckItemPaths(label, items));
  return items;
}

// Refuses up front what the final renames could not do, so a download never
// fails after fetching everything.
Status CheckRoot(const fs::path& root, const std::vector<FetchItem>& items) {
  std::error_code error;
  const fs::file_status root_status = fs::status(root, error);
  if (!fs::exists(root_status)) {
    return Status::Ok();
  }
  if (!fs::is_directory(root_status)) {
    return InvalidArgumentError("download root " + root.string() +
                                " exists and is not a directory; choose another root");
  }
  for (const FetchItem& item : items) {
    fs::path at = root;
    const fs::path relative(item.path);
    for (auto part = relative.begin(); part != relative.end(); ++part) {
      at /= *part;
      const bool last = std::next(part) == relative.end();
      const fs::file_status status = fs::status(at, error);
      if (!fs::exists(status)) {
        break;
      }
      if (last && fs::is_directory(status)) {
        return AlreadyExistsError("download root has a directory at " + at.string() +
                                  " where entry " + item.path +
                                  " goes; remove it or choose another root");
      }
      if (!last && !fs::is_directory(status)) {
        return AlreadyExistsError("download root has a file at " + at.string() +
                                  " where entry " + item.path +
                                  " needs a directory; remove it or choose another root");
      }
    }
  }
  return Status::Ok();
}

// Creates `dir` and missing parents, remembering each directory it made so a
// failed download can remove exactly those.
Status MakeDirs(const fs::path& dir, std::vector<fs::path>& created) {
  std::vector<fs::path> missing;
  std::error_code error;
  for (fs::path at = dir; !at.empty() && !fs::exists(at, error); at = at.parent_path()) {
    missing.push_back(at);
    if (at == at.parent_path()) {
      break;
    }
  }
  // Parents first: `missing` runs from `dir` up.
  for (std::size_t i = missing.size(); i-- > 0;) {
    if (!fs::create_directory(missing[i], error) && error) {
      return FsError("creating", missing[i], error);
    }
    created.push_back(missing[i]);
  }
  return Status::Ok();
}

void RemoveCreatedDirs(const std::vector<fs::path>& created) {
  std::error_code error;
  for (std::size_t i = created.size(); i-- > 0;) {
    fs::remove(created[i], error);  // only succeeds while empty, which is what we want
  }
}

// Why a read failed, in terms of the download contract.
Outcome ClassifyReadError(storage::ObjectStore& store, const FetchItem& item,
                          const Status& status) {
  if (status.code() == StatusCode::kNotFound && !item.ref.version_id.empty()) {
    return {.failure = Failure::kPinGone,
            .detail = item.ref_text + ": versionId " + item.ref.version_id + " is gone"};
  }
  if (status.code() == StatusCode::kNotFound) {
    return {.failure = Failure::kChanged, .detail = item.ref_text + ": deleted"};
  }
  if (status.code() == StatusCode::kFailedPrecondition) {
    // One extra round trip, on failure only, to say what the object is now.
    Result<storage::ObjectInfo> now = store.Stat(MakeRef(item.ref.uri));
    if (!now.ok() && now.status().code() == StatusCode::kNotFound) {
      return {.failure = Failure::kChanged, .detail = item.ref_text + ": deleted"};
    }
    std::string detail = item.ref_text + ": etag now " +
                         (now.ok() ? now->etag : std::string("unknown")) + ", recorded " +
                         item.ref.etag;
    return {.failure = Failure::kChanged, .detail = std::move(detail)};
  }
  return {.failure = Failure::kOther,
          .status = status.WithContext("downloading entry " + item.path)};
}

// Reads the item from its store into `temp` and checks it.
Outcome FetchFromStore(Workspace& workspace, const FetchItem& item,
                       const std::string& temp) {
  Result<std::shared_ptr<storage::ObjectStore>> store =
      workspace.Stores().Get(item.ref.uri);
  if (!store.ok()) {
    return {.failure = Failure::kOther, .status = store.status()};
  }
  auto sink = transfer::FileSink::Open(
      temp,
      {.hash_md5 = !item.md5_base64.empty(), .hash_crc32c = !item.crc32c_base64.empty()});
  if (!sink.ok()) {
    return {.failure = Failure::kOther, .status = sink.status()};
  }
  Status read = (*store)->Read(item.ref, {}, **sink);
  Status closed = (*sink)->Close();
  if (!read.ok()) {
    return ClassifyReadError(**store, item, read);
  }
  if (!closed.ok()) {
    return {.failure = Failure::kOther, .status = closed};
  }

  const std::int64_t size = (*sink)->SizeBytes();
  std::string mismatch;
  if (item.checked && size != item.size_bytes) {
    mismatch = "size now " + std::to_string(size) + ", recorded " +
               std::to_string(item.size_bytes);
  } else if (item.checked && !item.md5_base64.empty()) {
    const std::string md5 = (*sink)->Md5Base64();
    if (md5 != item.md5_base64) {
      mismatch = "md5 now " + md5 + ", recorded " + item.md5_base64;
    }
  } else if (item.checked && !item.crc32c_base64.empty()) {
    const std::string crc32c = (*sink)->Crc32cBase64();
    if (crc32c != item.crc32c_base64) {
      mismatch = "crc32c now " + crc32c + ", recorded " + item.crc32c_base64;
    }
  }
  if (!mismatch.empty()) {
    return {.failure = item.Guarded() ? Failure::kCorrupt : Failure::kChanged,
            .detail = item.ref_text + ": " + mismatch};
  }
  return {.bytes = size};
}

Outcome FetchItemTo(Workspace& workspace, const FetchItem& item, const fs::path& staged) {
  cache::ContentCache& contents = workspace.Contents();
  if (!item.cache_key.empty()) {
    if (auto hit = contents.Lookup(item.cache_key, item.size_bytes)) {
      Status copied = cache::ContentCache::Materialise(*hit, staged.string());
      if (!copied.ok()) {
        return {.failure = Failure::kOther, .status = copied};
      }
      return {.from_cache = true, .bytes = item.size_bytes};
    }
  }

  const std::string temp =
      item.cache_key.empty() ? staged.string() : contents.NewTempPath();
  Outcome outcome = FetchFromStore(workspace, item, temp);
  std::error_code error;
  if (outcome.failure != Failure::kNone || item.cache_key.empty()) {
    if (outcome.failure != Failure::kNone) {
      fs::remove(temp, error);
    }
    return outcome;
  }
  Result<std::string> object = contents.Insert(item.cache_key, temp);
  if (!object.ok()) {
    fs::remove(temp, error);
    return {.failure = Failure::kOther, .status = object.status()};
  }
  Status copied = cache::ContentCache::Materialise(*object, staged.string());
  if (!copied.ok()) {
    return {.failure = Failure::kOther, .status = copied};
  }
  return outcome;
}

std::string Describe(const std::vector<std::pair<std::string, std::string>>& failed) {
  std::string names;
  std::string details;
  for (std::size_t i = 0; i < failed.size() && i < kNamesInMessage; ++i) {
    names += (i == 0 ? "" : ", ") + failed[i].first;
    details += (i == 0 ? "" : "; ") + failed[i].second;
  }
  if (failed.size() > kNamesInMessage) {
    names += " and " + std::to_string(failed.size() - kNamesInMessage) + " more";
  }
  return names + " (" + details + ")";
}

std::string Count(std::size_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

Status FailureStatus(std::string_view label, const std::vector<FetchItem>& items,
                     const std::vector<Outcome>& outcomes) {
  std::map<Failure, std::vector<std::pair<std::string, std::string>>> by_kind;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (outcomes[i].failure != Failure::kNone && outcomes[i].failure != Failure::kOther) {
      by_kind[outcomes[i].failure].emplace_back(items[i].path, outcomes[i].detail);
    }
  }
  const std::string version(label);
  if (auto& changed = by_kind[Failure::kChanged]; !changed.empty()) {
    return FailedPreconditionError(
        Count(changed.size(), "entry", "entries") + " changed since " + version +
        " was logged: " + Describe(changed) +
        "; no version pin holds the logged bytes, so log a new version to use the "
        "current data");
  }
  if (auto& gone = by_kind[Failure::kPinGone]; !gone.empty()) {
    return NotFoundError(
        Count(gone.size(), "pinned version", "pinned versions") + " of " + version +
        (gone.size() == 1 ? " no longer exists: " : " no longer exist: ") +
        Describe(gone));
  }
  if (auto& corrupt = by_kind[Failure::kCorrupt]; !corrupt.empty()) {
    return DataLossError(Count(corrupt.size(), "entry", "entries") + " of " + version +
                         " did not match the recorded digest: " + Describe(corrupt));
  }
  for (const Outcome& outcome : outcomes) {
    if (outcome.failure == Failure::kOther) {
      return outcome.status;
    }
  }
  return Status::Ok();
}

struct Placed {
  fs::path target;
  fs::path replaced{};  // where the file that was at target waits; empty if none
};

void Undo(const std::vector<Placed>& placed) {
  std::error_code error;
  for (std::size_t i = placed.size(); i-- > 0;) {
    fs::remove(placed[i].target, error);
    if (!placed[i].replaced.empty()) {
      fs::rename(placed[i].replaced, placed[i].target, error);
    }
  }
}

Status Commit(const fs::path& root, const fs::path& staging,
              const std::vector<FetchItem>& items, std::vector<fs::path>& created) {
  std::vector<Placed> placed;
  std::error_code error;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const fs::path target = root / items[i].path;
    Status made = MakeDirs(target.parent_path(), created);
    Placed place{.target = target};
    if (made.ok() && fs::exists(fs::symlink_status(target, error))) {
      place.replaced = staging / ("replaced-" + std::to_string(i));
      fs::rename(target, place.replaced, error);
      if (error) {
        made = FsError("moving aside", target, error);
      }
    }
    if (made.ok()) {
      fs::rename(staging / std::to_string(i), target, error);
      if (error) {
        made = FsError("moving into place", target, error);
        if (!place.replaced.empty()) {
          fs::rename(place.replaced, target, error);
        }
      }
    }
    if (!made.ok()) {
      Undo(placed);
      return made;
    }
    placed.push_back(std::move(place));
  }
  return Status::Ok();
}

int Parallelism(const DownloadOptions& options, const std::vector<FetchItem>& items) {
  if (options.parallelism > 0) {
    return options.parallelism;
  }
  const bool all_local =
      std::all_of(items.begin(), items.end(),
                  [](const FetchItem& item) { return item.ref.uri.scheme == "file"; });
  return all_local ? transfer::HashParallelism() : transfer::kNetworkParallelism;
}

}  // namespace

bool UnderPath(std::string_view path, std::string_view prefix) {
  if (prefix.ends_with('/')) {
    prefix.remove_suffix(1);
  }
  if (prefix.empty()) {
    return true;
  }
  return path == prefix || (path.starts_with(prefix) && path.size() > prefix.size() &&
                            path[prefix.size()] == '/');
}

Result<std::string> Download(Workspace& workspace, std::string_view label,
                             const manifest::Manifest& manifest,
                             const DownloadOptions& options) {
  const fs::path root =
      fs::absolute(options.root.empty() ? fs::path("artifacts") / std::string(label)
                                        : fs::path(options.root))
          .lexically_normal();
  CAIRN_ASSIGN_OR_RETURN(std::vector<FetchItem> items,
                         Plan(workspace, label, manifest, options));
  CAIRN_RETURN_IF_ERROR(CheckRoot(root, items));

  std::vector<fs::path> created;
  CAIRN_RETURN_IF_ERROR(MakeDirs(root, created));
  const fs::path staging = root / (".cairn-staging-" + RandomSuffix());
  std::error_code error;
  if (!fs::create_directory(staging, error)) {
    RemoveCreatedDirs(created);
    return FsError("creating", staging, error);
  }

  std::vector<Outcome> outcomes(items.size());
  std::int64_t bytes_total = 0;
  for (const FetchItem& item : items) {
    bytes_total += item.size_bytes;
  }
  std::atomic<std::int64_t> bytes_done{0};
  const auto count = static_cast<std::int64_t>(items.size());
  const transfer::ParallelResult run = transfer::ParallelFor(
      count,
      {.parallelism = Parallelism(options, items),
       .on_done =
           [&](std::int64_t done, std::int64_t, const Status&) {
             workspace.ReportProgress({.phase = "downloading",
                                       .done = done,
                                       .total = count,
                                       .bytes_done = bytes_done.load(),
                                       .bytes_total = bytes_total});
           }},
      [&](std::int64_t index) {
        const auto slot = static_cast<std::size_t>(index);
        outcomes[slot] =
            FetchItemTo(workspace, items[slot], staging / std::to_string(index));
        bytes_done.fetch_add(outcomes[slot].bytes);
        return outcomes[slot].failure == Failure::kOther ? outcomes[slot].status
                                                         : Status::Ok();
      });

  Status status = FailureStatus(label, items, outcomes);
  if (status.ok() && run.stopped_early) {
    status = run.FirstError();
  }
  if (status.ok()) {
    status = Commit(root, staging, items, created);
  }
  fs::remove_all(staging, error);
  if (!status.ok()) {
    RemoveCreatedDirs(created);
    return status;
  }

  const auto cached =
      std::count_if(outcomes.begin(), outcomes.end(),
                    [](const Outcome& outcome) { return outcome.from_cache; });
  log::Get("artifact")
      ->info("downloaded {} files={} size={} cached={} root={}", label, items.size(),
             bytes_done.load(), cached, root.string());
  return root.string();
}

}  // namespace cairn::artifact
