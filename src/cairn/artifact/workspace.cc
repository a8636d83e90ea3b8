// SPDX-License-Identifier: Apache-2.0
#include "cairn/artifact/workspace.h"

#include <filesystem>
#include <system_error>

namespace cairn::artifact {

namespace fs = std::filesystem;

Result<std::shared_ptr<storage::ObjectStore>> StorePool::Get(const uri::Uri& uri) {
  const std::string key = KeyOf(uri);
  {
    const std::lock_guard lock(mutex_);
    if (auto it = stores_.find(key); it != stores_.end()) {
      return it->second;
    }
  }

  // Opened outside the lock: resolving credentials may take a while, and two
  // threads racing here both get a working store; the first one stays.
  CAIRN_ASSIGN_OR_RETURN(std::shared_ptr<storage::ObjectStore> store,
                         storage::OpenStore(uri, options_));
  const std::lock_guard lock(mutex_);
  auto [it, inserted] = stores_.emplace(key, std::move(store));
  return it->second;
}

void StorePool::Put(const std::string& key, std::shared_ptr<storage::ObjectStore> store) {
  const std::lock_guard lock(mutex_);
  stores_[key] = std::move(store);
}

std::string StorePool::KeyOf(const uri::Uri& uri) {
  return uri.scheme + "://" + uri.authority;
}

Workspace::Workspace(std::string home, WorkspaceOptions options)
    : home_(std::move(home)),
      stores_(std::move(options.store_options)),
      progress_(std::move(options.progress)) {}

Result<std::unique_ptr<Workspace>> Workspace::Open(const std::string& home,
                                                   WorkspaceOptions options) {
  const fs::path cache_dir = fs::path(home) / "cache";
  std::error_code error;
  fs::create_directories(cache_dir, error);
  if (error) {
    return UnavailableError("creating " + cache_dir.string() + ": " + error.message());
  }

  std::unique_ptr<Workspace> workspace(new Workspace(home, std::move(options)));
  CAIRN_ASSIGN_OR_RETURN(
      workspace->checksums_,
      cache::ChecksumCache::Open((cache_dir / "checksums.db").string()));
  CAIRN_ASSIGN_OR_RETURN(workspace->contents_,
                         cache::ContentCache::Open(cache_dir.string()));
  return workspace;
}

void Workspace::ReportProgress(const Progress& progress) const {
  if (progress_) {
    progress_(progress);
  }
}

}  // namespace cairn::artifact
