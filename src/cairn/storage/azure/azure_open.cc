// SPDX-License-Identifier: Apache-2.0
// OpenAzureStore and IsAzureBlobUrl: which URIs the Azure backend serves, and the
// store (endpoint, account, credentials) each one gets.
#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include "cairn/base/ascii.h"
#include "cairn/base/env.h"
#include "cairn/storage/azure/azure_store.h"

namespace cairn::storage::azure {
namespace {

constexpr std::string_view kBlobHostSuffix = ".blob.core.windows.net";

bool IsHttp(const uri::Uri& uri) {
  return uri.scheme == "http" || uri.scheme == "https";
}

// The account of an https://ACCOUNT.blob.core.windows.net URL.
std::optional<std::string> BlobHostAccount(const uri::Uri& uri) {
  if (!IsHttp(uri)) {
    return std::nullopt;
  }
  const std::string host = AsciiLower(uri.authority.substr(0, uri.authority.find(':')));
  if (!host.ends_with(kBlobHostSuffix) || host.size() == kBlobHostSuffix.size()) {
    return std::nullopt;
  }
  return host.substr(0, host.find('.'));
}

// True when `uri` lies under `endpoint` (scheme://authority[/path]), whole path
// segments only, hosts compared without regard to case.
bool EndpointCovers(const std::string& endpoint, const uri::Uri& uri) {
  if (endpoint.empty() || !IsHttp(uri)) {
    return false;
  }
  const std::size_t scheme_end = endpoint.find("://");
  const std::size_t path_start = endpoint.find('/', scheme_end + 3);
  const std::string authority =
      endpoint.substr(scheme_end + 3, path_start - (scheme_end + 3));
  const std::string path =
      path_start == std::string::npos ? std::string() : endpoint.substr(path_start + 1);
  if (AsciiLower(endpoint.substr(0, scheme_end)) != uri.scheme ||
      AsciiLower(authority) != AsciiLower(uri.authority)) {
    return false;
  }
  return path.empty() || uri.path == path || uri.path.starts_with(path + "/");
}

}  // namespace

bool IsAzureBlobUrl(const uri::Uri& uri) {
  if (BlobHostAccount(uri).has_value()) {
    return true;
  }
  if (!IsHttp(uri)) {
    return false;
  }
  const Result<credentials::AzureSettings> settings =
      credentials::ResolveAzureSettings(&env::Get);
  return settings.ok() && EndpointCovers(settings->blob_endpoint, uri);
}

Result<std::shared_ptr<ObjectStore>> OpenAzureStore(const uri::Uri& uri,
                                                    const StoreOptions& /*options*/) {
  CAIRN_ASSIGN_OR_RETURN(credentials::AzureSettings settings,
                         credentials::ResolveAzureSettings(&env::Get));
  const credentials::AzureCredentials& configured = settings.credentials;
  AzureStoreOptions options;

  if (uri.scheme == "az") {
    if (uri.authority.empty()) {
      return InvalidArgumentError("opening " + uri.WithoutQuery() +
                                  ": an az:// URI needs a container, as in "
                                  "az://container/name");
    }
    if (settings.blob_endpoint.empty()) {
      return InvalidArgumentError(
          "opening " + uri.WithoutQuery() +
          ": az:// URIs take their storage account from the configuration, and none "
          "is set; set AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT, or "
          "write https://ACCOUNT.blob.core.windows.net/" +
          uri.authority + "/...");
    }
    options.endpoint = settings.blob_endpoint;
    options.account = configured.account;
    options.credentials = configured;
  } else if (const std::optional<std::string> account = BlobHostAccount(uri)) {
    options.endpoint = uri.scheme + "://" + uri.authority;
    options.account = *account;
    // Credentials go to their own account only: a named account must match, and
    // credentials without one (a SAS token) to the configured endpoint's host only.
    // Anything else goes anonymous and a refusal says why.
    const bool own_account = configured.account.empty()
                                 ? EndpointCovers(settings.blob_endpoint, uri)
                                 : AsciiLower(configured.account) == *account;
    if (own_account) {
      options.credentials = configured;
    } else {
      options.credentials.source = "none (anonymous)";
      options.credentials_account = configured.account;
    }
  } else if (EndpointCovers(settings.blob_endpoint, uri)) {
    options.endpoint = settings.blob_endpoint;
    options.account = configured.account;
    options.credentials = configured;
  } else {
    return InvalidArgumentError(
        "opening " + uri.WithoutQuery() +
        ": not an Azure blob URL (neither https://ACCOUNT.blob.core.windows.net/... nor "
        "under the configured blob endpoint " +
        (settings.blob_endpoint.empty() ? std::string("(none)")
                                        : settings.blob_endpoint) +
        ")");
  }

  CAIRN_ASSIGN_OR_RETURN(std::shared_ptr<AzureStore> store,
                         AzureStore::Make(std::move(options)));
  return std::shared_ptr<ObjectStore>(std::move(store));
}

}  // namespace cairn::storage::azure
