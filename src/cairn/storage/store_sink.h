// SPDX-License-Identifier: Apache-2.0
// Small pieces the remote backends share between net/ and the ObjectStore
// interface: a store's ByteSink seen as the HTTP client's BodySink, an ETag
// header value without its quotes, and the refusal to stat or read a prefix.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cairn/base/status.h"
#include "cairn/net/http_message.h"
#include "cairn/storage/object_store.h"
#include "cairn/uri/uri.h"

namespace cairn::storage {

/// Passes a response body, and the client's restarts on resumed transfers, to the
/// caller's ByteSink.
class StoreBodySink final : public net::BodySink {
 public:
  explicit StoreBodySink(ByteSink& sink) : sink_(sink) {}
  Status Write(std::string_view bytes) override { return sink_.Write(bytes); }
  Status Restart(std::int64_t offset) override { return sink_.Restart(offset); }

 private:
  ByteSink& sink_;
};

/// `"abc"` -> `abc`; anything not wrapped in double quotes comes back unchanged.
inline std::string UnquoteEtag(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    return std::string(etag.substr(1, etag.size() - 2));
  }
  return std::string(etag);
}

/// kNotFound for a stat or read of a URI that names a prefix (empty key or ending
/// in '/'), which object stores hold no object at.
inline Status PrefixIsNotAnObject(std::string_view action, const uri::Uri& uri) {
  return NotFoundError(std::string(action) + " " + uri.WithoutQuery() +
                       ": the URI names a prefix, not an object (it is empty or ends "
                       "in '/'); list it instead");
}

}  // namespace cairn::storage
