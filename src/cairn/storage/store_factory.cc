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

Result<std::shared_ptr<ObjectStore>> NotBuilt(const uri::Uri& uri,
                                              const StoreOptions& /*options*/) {
  return UnimplementedError("opening " + uri.WithoutQuery() + ": the " + uri.scheme +
                            " backend is not built in this cairn yet");
}

// The one place that branches on a scheme: a new backend is one more row.
constexpr Backend kBackends[] = {
    {"file", &OpenLocal}, {"s3", &OpenS3},     {"gs", &OpenGcs},
    {"az", &NotBuilt},    {"http", &NotBuilt}, {"https", &NotBuilt},
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
