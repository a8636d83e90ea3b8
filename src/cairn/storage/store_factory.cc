// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/store_factory.h"

#include <string_view>

#include "cairn/storage/local/local_store.h"

#ifdef CAIRN_HAVE_S3
#include "cairn/storage/s3/s3_store.h"
#endif
#ifdef CAIRN_HAVE_GCS
#include "cairn/storage/gcs/gcs_store.h"
#endif
#ifdef CAIRN_HAVE_AZURE
#include "cairn/storage/azure/azure_store.h"
#endif
#ifdef CAIRN_HAVE_HTTP
#include "cairn/storage/http/http_store.h"
#endif

namespace cairn::storage {
namespace {

using Opener = Result<std::shared_ptr<ObjectStore>> (*)(const uri::Uri&,
                                                        const StoreOptions&);

struct Backend {
  std::string_view scheme;
  Opener open;
};

Result<std::shared_ptr<ObjectStore>> OpenLocal(const uri::Uri& /*uri*/,
                                               const StoreOptions& /*options*/) {
  return std::shared_ptr<ObjectStore>(std::make_shared<local::LocalStore>());
}

// The s3 row: the backend lives in storage/s3/ and is linked only when that folder
// is part of the build (CAIRN_HAVE_S3 is set by storage/CMakeLists.txt).
Result<std::shared_ptr<ObjectStore>> OpenS3(const uri::Uri& uri,
                                            const StoreOptions& options) {
#ifdef CAIRN_HAVE_S3
  return s3::OpenS3Store(uri, options);
#else
  static_cast<void>(options);
  return UnimplementedError("opening " + uri.WithoutQuery() +
                            ": s3 backend not built in this cairn");
#endif
}

// The gs row, built like the s3 one (CAIRN_HAVE_GCS).
Result<std::shared_ptr<ObjectStore>> OpenGcs(const uri::Uri& uri,
                                             const StoreOptions& options) {
#ifdef CAIRN_HAVE_GCS
  return gcs::OpenGcsStore(uri, options);
#else
  static_cast<void>(options);
  return UnimplementedError("opening " + uri.WithoutQuery() +
                            ": gs backend not built in this cairn");
#endif
}

// The az row, and https URLs that name Azure Blob (CAIRN_HAVE_AZURE).
Result<std::shared_ptr<ObjectStore>> OpenAzure(const uri::Uri& uri,
                                               const StoreOptions& options) {
#ifdef CAIRN_HAVE_AZURE
  return azure::OpenAzureStore(uri, options);
#else
  static_cast<void>(options);
  return UnimplementedError("opening " + uri.WithoutQuery() +
                            ": the az backend is not built in this cairn");
#endif
}

// The http and https rows: one file per URL, unless the URL names an Azure blob
// (an *.blob.core.windows.net host, or the configured Azure endpoint), which the
// Azure backend serves so that its listings, credentials and version pins apply.
Result<std::shared_ptr<ObjectStore>> OpenHttp(const uri::Uri& uri,
                                              const StoreOptions& options) {
#ifdef CAIRN_HAVE_AZURE
  if (azure::IsAzureBlobUrl(uri)) {
    return azure::OpenAzureStore(uri, options);
  }
#endif
#ifdef CAIRN_HAVE_HTTP
  return http::OpenHttpStore(uri, options);
#else
  static_cast<void>(options);
  return UnimplementedError("opening " + uri.WithoutQuery() + ": the " + uri.scheme +
                            " backend is not built in this cairn");
#endif
}

// The one place that branches on a scheme: a new backend is one more row.
constexpr Backend kBackends[] = {
    {"file", &OpenLocal}, {"s3", &OpenS3},     {"gs", &OpenGcs},
    {"az", &OpenAzure},   {"http", &OpenHttp}, {"https", &OpenHttp},
};

std::string SupportedSchemes() {
  std::string out;
  for (const Backend& backend : kBackends) {
    out.append(out.empty() ? "" : ", ");
    out.append(backend.scheme);
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<ObjectStore>> OpenStore(const uri::Uri& uri,
                                               const StoreOptions& options) {
  for (const Backend& backend : kBackends) {
    if (backend.scheme == uri.scheme) {
      return backend.open(uri, options);
    }
  }
  return InvalidArgumentError("opening " + uri.WithoutQuery() + ": unknown scheme \"" +
                              uri.scheme + "\"; cairn reads " + SupportedSchemes());
}

}  // namespace cairn::storage
