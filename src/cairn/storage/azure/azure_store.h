// SPDX-License-Identifier: Apache-2.0
// AzureStore: the ObjectStore for Azure Blob Storage references, on Azure or an
// emulator (Azurite). Stat is Get Blob Properties (HEAD), List pages through List
// Blobs, Read is a streamed Get Blob; retries and resumed reads happen in
// net::HttpClient, errors are mapped in azure_errors.h, Shared Key signing lives in
// azure_signer.h and credentials come from credentials/azure.h.
//
// URI forms, all naming a container and a blob name:
// - https://ACCOUNT.blob.core.windows.net/container/name (the account's host);
// - az://container/name, the short form: account and endpoint come from the
//   configuration (AZURE_STORAGE_CONNECTION_STRING's AccountName or BlobEndpoint,
//   else AZURE_STORAGE_ACCOUNT, with AZURE_STORAGE_BLOB_ENDPOINT overriding the
//   endpoint);
// - http(s)://host:port/ACCOUNT/container/name, an emulator's path-style URL, when
//   scheme://host:port/ACCOUNT is the configured blob endpoint.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cairn/base/result.h"
#include "cairn/credentials/azure.h"
#include "cairn/net/http_client.h"
#include "cairn/storage/object_store.h"
#include "cairn/storage/store_factory.h"
#include "cairn/uri/uri.h"

namespace cairn::storage::azure {

struct AzureStoreOptions {
  // "http(s)://host[:port][/ACCOUNT]" without trailing '/': the account's blob
  // service root. Requests go to <endpoint>/<container>/<name>.
  std::string endpoint;
  // The account the endpoint serves; signs Shared Key requests and names the
  // account in messages.
  std::string account;
  // Shared Key, SAS or anonymous. A kSharedKey needs `account`.
  credentials::AzureCredentials credentials{};
  // Set when credentials were configured for another account than `account`, so
  // `credentials` is anonymous; messages then say why.
  std::string credentials_account;
  net::HttpClientOptions http{};
  // Blobs per listing page (Azure caps it at 5000); smaller values force paging.
  int max_results_per_page = 5000;
};

/// Reads blobs of one storage account through one endpoint and one set of
/// credentials. A store answers URIs of the form it was opened for: az:// URIs
/// name the container in the authority; http(s) URIs name it as the first path
/// segment after the endpoint's own path ("ACCOUNT/" for an emulator).
///
/// - Versions: a pin is ref.version_id, else the URI's ?versionid= (an http(s)
///   ref keeps its query). ObjectInfo::version_id is the blob's version id
///   (x-ms-version-id, or VersionId in a listing) on accounts with blob versioning, else
///   empty. A pinned Stat or Read sends ?versionid= and accepts only an answer that names
///   that version (x-ms-version-id), so a missing version, or a store that ignores the
///   parameter, is kNotFound and never the live blob. Listings do not ask for
///   include=versions: the current version's id comes with the plain listing, and
///   older versions would only be paged through to be dropped.
/// - Digests: md5_base64 is the blob's Content-MD5 (absent for blobs uploaded in
///   blocks without one); etag is the ETag without quotes, W&B's digest.
/// - ETag checks: a Stat or Read with ref.etag sends If-Match, which Azure honours
///   natively; a different blob is kFailedPrecondition before any byte.
/// - ADLS Gen2 directory stubs (metadata hdi_isfolder=true) and names ending in '/'
///   are not objects: List skips them, Stat and Read answer kNotFound.
/// - Credentials: Shared Key signs each attempt (fresh x-ms-date); a SAS is
///   appended to each request URL; neither ever appears in a Status or a log line
///   (URLs and headers pass base/redact). A URI that carries a SAS itself (sig= in
///   its query) is refused with kInvalidArgument, since the ref would record it.
///
/// Thread-safe: every method may be called concurrently.
class AzureStore final : public ObjectStore {
 public:
  /// kInvalidArgument, naming the value and the fix, for an endpoint that is not
  /// http(s)://host[:port][/path], or Shared Key credentials without an account or
  /// with a key that is not base64. No network.
  static Result<std::shared_ptr<AzureStore>> Make(AzureStoreOptions options);

  std::string_view Scheme() const override { return "az"; }
  StoreFeatures Features() const override;

  /// Get Blob Properties (HEAD), with ?versionid= when ref.version_id is set and
  /// If-Match when ref.etag is. kNotFound for a missing blob, version or container,
  /// a directory stub, and a URI naming a prefix (empty name or trailing '/');
  /// kFailedPrecondition when ref.etag differs; kUnauthenticated /
  /// kPermissionDenied when refused. One round trip.
  Result<ObjectInfo> Stat(const ObjectRef& ref) override;

  /// Pages through List Blobs under prefix.path's blob-name part in name order,
  /// latest versions only, with include=metadata to recognise directory stubs.
  /// kResourceExhausted, naming the count and max_objects, when more than
  /// options.max_objects blobs are found. One round trip per page.
  Status List(const uri::Uri& prefix, const ListOptions& options,
              const std::function<Status(const ObjectInfo&)>& visit) override;

  /// Get Blob of the blob or the range [offset, offset+length), streamed into
  /// `sink`, with ?versionid= and If-Match as for Stat; a dropped transfer resumes
  /// from the bytes already delivered, held to the first answer's ETag. Errors as
  /// Stat; a read of length 0 only stats the blob. On a pinned read the bytes
  /// reach `sink` before the answer's version id is checked, so a refused answer
  /// leaves them there; the caller discards a failed read's bytes.
  Status Read(const ObjectRef& ref, const ReadOptions& options, ByteSink& sink) override;

  /// The endpoint requests go to, without trailing '/'.
  const std::string& Endpoint() const { return endpoint_; }

  /// Where this store's credentials came from ("AZURE_STORAGE_SAS_TOKEN",
  /// "none (anonymous)", ...); never a secret.
  const std::string& CredentialsSource() const { return credentials_.source; }

 private:
  AzureStore(std::string endpoint, std::string key_bytes, AzureStoreOptions options);

  struct Call;

  /// Where `uri` points: its container, blob name and the version its query pins
  /// (?versionid=, kept in http(s) refs). kInvalidArgument for a URI without a
  /// container, outside the endpoint, or carrying a SAS (sig=) in its query.
  struct Address {
    std::string container;
    std::string name;
    std::string version_id;
  };
  Result<Address> Locate(const uri::Uri& uri, std::string_view action) const;
  /// `ref` pinned to the URI's ?versionid= when ref.version_id is empty.
  static ObjectRef WithUriPin(const ObjectRef& ref, const Address& address);
  /// The URI of blob `name` in `container`, in the form of `like`.
  uri::Uri UriOf(const uri::Uri& like, const std::string& container,
                 const std::string& name) const;

  /// Sends `call` (signed or with the SAS). Returns the response (any status) or a
  /// transport error with context.
  Result<net::Response> Send(const Call& call, net::BodySink* sink,
                             std::optional<net::ByteRange> range) const;
  /// The Status for a failed response to `call`.
  Status Failure(const Call& call, const net::Response& response) const;

  Result<ObjectInfo> StatBlob(const ObjectRef& ref, std::string_view action);

  const std::string endpoint_;
  // The endpoint's path without its leading '/' plus a trailing '/' when non-empty
  // ("devstoreaccount1/"): what an http(s) URI's path starts with before the
  // container.
  const std::string path_prefix_;
  const std::string account_;
  const credentials::AzureCredentials credentials_;
  const std::string credentials_account_;
  const std::string key_bytes_;  // the decoded account key; empty unless Shared Key
  const int max_results_per_page_;
  std::unique_ptr<net::HttpClient> http_;
};

/// True when `uri` names a blob the Azure backend serves: an http(s) URL whose host
/// is ACCOUNT.blob.core.windows.net, or one whose scheme://host:port[/path] prefix
/// (whole segments) equals the configured blob endpoint (see
/// credentials::ResolveAzureSettings), so Azurite's path-style URLs qualify. Reads
/// the environment; a configuration that does not resolve counts as none. No
/// network.
bool IsAzureBlobUrl(const uri::Uri& uri);

/// Opens an AzureStore for `uri` (az://, an *.blob.core.windows.net URL, or a URL
/// under the configured endpoint) with credentials::ResolveAzureSettings(env::Get).
/// The configured credentials apply when they name the URI's account or no
/// account; for another account the store is anonymous and says so when refused.
/// kInvalidArgument for a URI without a container, an az:// URI with no account or
/// endpoint configured (naming the variables to set), or an http(s) URI that is
/// not an Azure blob URL; and the resolver's errors. No network.
Result<std::shared_ptr<ObjectStore>> OpenAzureStore(const uri::Uri& uri,
                                                    const StoreOptions& options);

}  // namespace cairn::storage::azure
