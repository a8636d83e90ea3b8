// SPDX-License-Identifier: Apache-2.0
// Pure parsers for the XML bodies S3 returns: a page of ListObjectsV2, a page of
// ListObjectVersions, and an Error document. No I/O, so they are tested on
// recorded responses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.h"

namespace cairn::storage::s3 {

/// One object of a listing page, as S3 describes it.
struct ListedObject {
  std::string key;  // decoded when the response says <EncodingType>url</EncodingType>
  std::int64_t size_bytes = 0;
  std::string etag;           // without quotes
  std::string last_modified;  // RFC 3339 UTC, seconds precision ("...T17:50:30Z")
  std::string version_id;     // empty for ListObjectsV2 and for the "null" version
};

/// One page of a listing and where the next one starts.
struct ListPage {
  std::vector<ListedObject> objects;  // in the order S3 sent them (key order)
  bool is_truncated = false;
  std::string next_continuation_token;  // ListObjectsV2
  std::string next_key_marker;          // ListObjectVersions, decoded like keys
  std::string next_version_id_marker;   // ListObjectVersions
};

/// Parses a ListObjectsV2 response (ListBucketResult). kInternal naming what is
/// missing when the body is not such a document; `what` (e.g. the listed URI)
/// prefixes the message.
Result<ListPage> ParseListObjectsV2(std::string_view xml, std::string_view what);

/// Parses a ListObjectVersions response (ListVersionsResult), keeping only the
/// latest version of each key. Delete markers are skipped: a key whose latest
/// entry is a delete marker has no latest Version, so it is not listed at all.
/// A version id of "null" (an object written while versioning was off) is
/// reported as an empty version_id. Errors as ParseListObjectsV2.
Result<ListPage> ParseListObjectVersions(std::string_view xml, std::string_view what);

/// The fields of an S3 <Error> document; empty strings for absent fields.
struct ErrorBody {
  std::string code;        // "NoSuchKey", "AccessDenied", ...
  std::string message;     // S3's own sentence
  std::string request_id;  // <RequestId>
  std::string region;      // <Region> (AuthorizationHeaderMalformed: the right one)
  std::string endpoint;    // <Endpoint> (PermanentRedirect)
};

/// Parses an error body. Never fails: a body that is empty or not an S3 error
/// document yields an ErrorBody with empty fields.
ErrorBody ParseErrorBody(std::string_view xml);

/// "2009-10-12T17:50:30.000Z" -> "2009-10-12T17:50:30Z"; other text unchanged.
std::string TrimFractionalSeconds(std::string_view timestamp);

}  // namespace cairn::storage::s3
