// SPDX-License-Identifier: Apache-2.0
// OpenStore: picks a backend by URI scheme from one table. A scheme whose backend
// is not built answers kUnimplemented; no other code branches on schemes.
#pragma once

#include <memory>
#include <string>

#include "cairn/base/result.h"
#include "cairn/storage/object_store.h"
#include "cairn/uri/uri.h"

namespace cairn::storage {

/// Settings a front end may override; everything unset comes from the environment
/// and the provider's usual config files (see credentials/).
struct StoreOptions {
  // S3: overrides AWS_S3_ENDPOINT_URL / AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL.
  std::string s3_endpoint;
  // S3: overrides AWS_REGION / AWS_DEFAULT_REGION / the profile's region.
  std::string s3_region;
};

/// Returns a store able to serve `uri` (its scheme and, for S3, its bucket).
/// kInvalidArgument for an unknown scheme, naming the supported ones;
/// kUnimplemented for a known scheme whose backend is not built yet.
/// Credentials are resolved here, once; the store is safe to share across threads.
Result<std::shared_ptr<ObjectStore>> OpenStore(const uri::Uri& uri,
                                               const StoreOptions& options = {});

}  // namespace cairn::storage
