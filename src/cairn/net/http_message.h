// SPDX-License-Identifier: Apache-2.0
// The values an HTTP exchange is made of: a Request, the Response it got, and the
// BodySink a download streams into. Plain data; the client lives in http_client.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/base/result.h"
#include "cairn/base/status.h"

namespace cairn::net {

/// Header fields in the order sent or received; names keep their spelling.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// The value of the first header called `name` (ASCII case-insensitive), if any.
std::optional<std::string> FindHeader(const Headers& headers, std::string_view name);

/// A byte range of the resource: `length` bytes from `offset`, or to the end when
/// `length` is -1.
struct ByteRange {
  std::int64_t offset = 0;
  std::int64_t length = -1;
};

struct Request;

/// Returns the headers that authenticate one attempt of `attempt` (for SigV4:
/// X-Amz-Date, X-Amz-Content-Sha256, Authorization). Called before every attempt,
/// so signatures carry a fresh date; `attempt` already holds the Range and
/// If-Match headers of that attempt. An error stops the request unretried.
using RequestSigner = std::function<Result<Headers>(const Request& attempt)>;

struct Request {
  std::string method = "GET";
  std::string url{};  // absolute, already percent-encoded
  Headers headers{};
  // Sent as the body when non-empty, or always for PUT and POST. Without a
  // Content-Type header the client sends application/octet-stream (libcurl would
  // otherwise send a form type, which some stores treat as an empty upload).
  std::string body{};
  // Sent as "Range: bytes=..."; a resumed attempt narrows it.
  std::optional<ByteRange> range{};
  // Optional; see RequestSigner.
  RequestSigner signer{};
};

/// What the server answered to the last attempt.
struct Response {
  int status = 0;
  Headers headers;
  // The body, unless it was streamed into a BodySink (then only the body of a
  // non-2xx answer is kept here, so the caller can read an error document).
  std::string body;
  // Body bytes delivered for this request across all attempts (sink or string).
  std::int64_t body_bytes = 0;
  int attempts = 0;

  /// Case-insensitive lookup, see FindHeader.
  std::optional<std::string> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

/// Receives a streamed body. Write() gets the bytes in order; when a transfer is
/// retried after `offset` bytes were delivered, Restart(offset) comes first and
/// the sink drops anything past `offset` (the retry resumes there). Either call
/// may fail; the transfer then stops with that Status and is not retried.
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual Status Write(std::string_view bytes) = 0;
  virtual Status Restart(std::int64_t offset) = 0;
};

}  // namespace cairn::net
