// SPDX-License-Identifier: Apache-2.0
// Small pieces every remote backend needs between net/ and the ObjectStore
// interface: a store's ByteSink seen as the HTTP client's BodySink, and an ETag
// header value without its quotes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cairn/base/status.h"
#include "cairn/net/http_message.h"
#include "cairn/storage/object_store.h"

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

}  // namespace cairn::storage
