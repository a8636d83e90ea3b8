// SPDX-License-Identifier: Apache-2.0
#include "cairn/artifact/reference.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "cairn/artifact/entries.h"
#include "cairn/base/log.h"
#include "cairn/base/redact.h"

namespace cairn::artifact {
namespace {

constexpr std::int64_t kListingCountFactor = 10;
// Keeps max_objects * kListingCountFactor + 1 from overflowing.
constexpr std::int64_t kMaxListingBound = std::numeric_limits<std::int64_t>::max() / 20;

// A found object and the path it gets in the artifact.
struct Found {
  storage::ObjectInfo info;
  std::string path;
};

std::string TrimSlashes(std::string_view text) {
  while (!text.empty() && text.back() == '/') {
    text.remove_suffix(1);
  }
  return std::string(text);
}

// The last non-empty segment, so "s3://b/data/" records as "data" and a bucket
// root as the bucket.
std::string DefaultName(const uri::Uri& uri) {
  const std::string path = TrimSlashes(uri.path);
  const std::size_t slash = path.rfind('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return name.empty() ? uri.authority : name;
}

Result<std::vector<manifest::ManifestEntry>> UncheckedEntry(
    const uri::Uri& uri, const ReferenceOptions& options) {
  manifest::ManifestEntry entry;
  entry.path = options.name.empty() ? DefaultName(uri) : TrimSlashes(options.name);
  entry.ref = uri.RefString();
  entry.digest = entry.ref;
  entry.checksum = false;
  CAIRN_RETURN_IF_ERROR(CheckEntryPath(entry.path, "reference " + entry.ref));
  return std::vector<manifest::ManifestEntry>{std::move(entry)};
}

// An http(s) ref keeps its query, so a signed URL would put its signature into
// the manifest: refused, naming the parameter and the ways around it.
Status RefuseSecretInRef(const uri::Uri& uri) {
  const std::optional<std::string> secret = uri.SecretQueryParameter();
  if (!secret || !uri.QueryNamesObject()) {
    return Status::Ok();
  }
  return InvalidArgumentError(
      "reference " + redact::Url(uri.ToString()) + " carries a secret in its query (\"" +
      *secret +
      "\"), and a manifest records an http(s) URL with its query; cairn never writes a "
      "secret into a manifest. Reference the object by its store URI (s3://, gs://, "
      "az://) with credentials in the environment, or use an unsigned URL "
      "(CAIRN_HTTP_BEARER_TOKEN sends a token to the hosts in CAIRN_HTTP_BEARER_HOSTS)");
}

Status TooMany(const ReferenceOptions& options, const uri::Uri& prefix, std::int64_t seen,
               bool complete) {
  // A finished count is the limit that fits; past the counting bound, suggest the
  // next order of magnitude.
  const std::int64_t suggested =
      complete || seen > kMaxListingBound ? seen : seen * kListingCountFactor;
  const std::string limit = std::to_string(suggested);
  return ResourceExhaustedError("found more than " + std::to_string(options.max_objects) +
                                " objects under " + prefix.WithoutQuery() +
                                "; raise the limit with max_objects=" + limit +
                                " (CLI: --max-objects " + limit + ")");
}

// Lists whole segments under `uri` and places each object under `name`.
Result<std::vector<Found>> ListPrefix(Workspace& workspace, storage::ObjectStore& store,
                                      const uri::Uri& uri,
                                      const ReferenceOptions& options) {
  const uri::Uri prefix = uri.AsPrefix();
  const std::string parent = TrimSlashes(options.name);
  const std::int64_t bound = options.max_objects > kMaxListingBound / kListingCountFactor
                                 ? kMaxListingBound
                                 : options.max_objects * kListingCountFactor;
  std::vector<Found> found;
  std::int64_t seen = 0;

  const Status listed = store.List(
      prefix, {.max_objects = bound + 1}, [&](const storage::ObjectInfo& info) {
        if (!info.uri.path.starts_with(prefix.path) || info.uri.path == prefix.path) {
          return Status::Ok();
        }
        ++seen;
        if (seen <= options.max_objects) {
          std::string relative = info.uri.path.substr(prefix.path.size());
          found.push_back(
              {info, parent.empty() ? std::move(relative) : parent + "/" + relative});
        }
        workspace.ReportProgress({.phase = "listing", .done = seen});
        if (seen > bound) {
          return ResourceExhaustedError("listing bound reached");
        }
        return Status::Ok();
      });

  if (seen > options.max_objects) {
    return TooMany(options, prefix, seen, listed.ok());
  }
  if (!listed.ok()) {
    return listed;  // the store's message already names the prefix
  }
  return found;
}

// Turns found objects into entries, hashing those whose store has no ETag.
Result<std::vector<manifest::ManifestEntry>> ToEntries(Workspace& workspace,
                                                       storage::ObjectStore& store,
                                                       std::vector<Found> found,
                                                       std::string_view where) {
  std::vector<HashJob> jobs;
  for (const Found& item : found) {
    if (Status checked = CheckEntryPath(item.path, where); !checked.ok()) {
      // Name the object too, and the way to keep it: a reference of its own.
      return InvalidArgumentError(
          checked.message() + " (from object " + item.info.uri.RefString() +
          "); reference that object alone with a name (CLI: --as NAME), or leave it out "
          "by referencing the other objects' prefixes");
    }
    if (NeedsLocalHash(item.info)) {
      jobs.push_back({&store, item.info});
    }
  }
  CAIRN_ASSIGN_OR_RETURN(std::vector<std::string> sums, HashObjects(workspace, jobs));

  std::vector<manifest::ManifestEntry> entries;
  entries.reserve(found.size());
  std::size_t next_sum = 0;
  for (Found& item : found) {
    const std::string no_sum;
    const std::string& sum = NeedsLocalHash(item.info) ? sums[next_sum++] : no_sum;
    entries.push_back(EntryFor(item.info, std::move(item.path), sum));
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
  return entries;
}

}  // namespace

Result<std::vector<manifest::ManifestEntry>> ResolveReference(
    Workspace& workspace, std::string_view uri_text, const ReferenceOptions& options) {
  CAIRN_ASSIGN_OR_RETURN(uri::Uri uri, uri::Uri::Parse(uri_text));
  CAIRN_RETURN_IF_ERROR(RefuseSecretInRef(uri));
  if (options.max_objects < 1) {
    return InvalidArgumentError("max_objects must be at least 1, not " +
                                std::to_string(options.max_objects));
  }
  if (!options.checksum) {
    return UncheckedEntry(uri, options);
  }
  const std::string shown = uri.WithoutQuery();
  CAIRN_ASSIGN_OR_RETURN(std::shared_ptr<storage::ObjectStore> store,
                         workspace.Stores().Get(uri));

  // A pin names one object version: never the live object, never a prefix.
  CAIRN_ASSIGN_OR_RETURN(const std::optional<std::string> version, uri.PinnedVersion());
  if (version.has_value() && uri.EndsWithSlash()) {
    return InvalidArgumentError("reference " + redact::Url(uri.ToString()) +
                                " pins version " + *version +
                                " but names a prefix (it ends in '/'); a version pin "
                                "names one object, so drop the pin or the '/'");
  }
  // An Azure emulator's path-style URL (http://127.0.0.1:10000/account/...) keeps
  // ?versionid= in its ref, where the Azure store reads it; it pins one blob all
  // the same.
  const bool pinned = version.has_value() ||
                      (uri.QueryNamesObject() && uri.QueryValue("versionid").has_value());
  if (!uri.EndsWithSlash()) {
    Result<storage::ObjectInfo> info = store->Stat(MakeRef(uri, version.value_or("")));
    if (info.ok()) {
      std::string path =
          options.name.empty() ? uri.BaseName() : TrimSlashes(options.name);
      return ToEntries(workspace, *store, {{std::move(*info), std::move(path)}},
                       "reference " + shown);
    }
    // Without listings (http(s)) a missing object is not a prefix: say it is missing.
    if (info.status().code() != StatusCode::kNotFound || pinned ||
        !store->Features().has_listing) {
      return info.status().WithContext("adding reference " + shown);
    }
  }

  CAIRN_ASSIGN_OR_RETURN(std::vector<Found> found,
                         ListPrefix(workspace, *store, uri, options));
  if (found.empty()) {
    return NotFoundError("no object or prefix at " + shown);
  }
  return ToEntries(workspace, *store, std::move(found), "reference " + shown);
}

}  // namespace cairn::artifact
