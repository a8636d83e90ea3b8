// SPDX-License-Identifier: Apache-2.0
// The GCS JSON API documents cairn reads: object metadata (from a stat or a
// listing), a listing page, and an error body. Pure functions of the response
// text, so they are tested on recorded responses.
// See https://cloud.google.com/storage/docs/json_api/v1/objects.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.h"

namespace cairn::storage::gcs {

/// One object resource, as far as cairn uses it.
struct GcsObject {
  std::string name;
  std::int64_t size_bytes = 0;
  std::string md5_base64;     // "md5Hash"; empty for composite objects
  std::string crc32c_base64;  // "crc32c"
  std::string etag;           // "etag", as GCS sends it
  std::string generation;     // decimal, as a string
  std::string updated;        // RFC 3339 as GCS sends it ("...T10:00:00.123Z")
};

/// One page of objects.list.
struct GcsListPage {
  std::vector<GcsObject> objects;
  std::string next_page_token;  // empty on the last page
};

/// The parts of a JSON error body ({"error": {"code", "message", "errors": [...]}})
/// that messages use. Every field is empty when the body is not such a document
/// (an HTML page, plain text, nothing).
struct GcsErrorBody {
  std::string reason;   // errors[0].reason, e.g. "notFound", "forbidden"
  std::string message;  // error.message
};

/// Parses an object resource. kInternal naming `what` ("stating gs://b/k") when
/// the text is not JSON, not an object, or lacks name or size.
Result<GcsObject> ParseObject(std::string_view json, std::string_view what);

/// Parses an objects.list response. kInternal naming `what` as ParseObject.
Result<GcsListPage> ParseListPage(std::string_view json, std::string_view what);

/// Parses an error body; never fails (see GcsErrorBody).
GcsErrorBody ParseErrorBody(std::string_view json);

/// A UTC RFC 3339 time cut to whole seconds, as ObjectInfo::last_modified keeps it:
/// "2026-12-04T15:34:00.123Z" and "2026-12-04T15:34:00.123+00:00" both become
/// "2026-12-04T15:34:00Z". Returns "" for anything else (another offset included).
std::string Rfc3339Seconds(std::string_view text);

}  // namespace cairn::storage::gcs
