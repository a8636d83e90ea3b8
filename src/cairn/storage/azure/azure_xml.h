// SPDX-License-Identifier: Apache-2.0
// Pure parsers for what the Azure Blob service answers: a page of List Blobs
// (EnumerationResults), an Error document, and the HTTP dates of its headers and
// listings. No I/O, so they are tested on recorded responses.
// See https://learn.microsoft.com/rest/api/storageservices/list-blobs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.h"

namespace cairn::storage::azure {

/// One blob of a listing page, as Azure describes it.
struct ListedBlob {
  std::string name;  // decoded when Azure sent <Name Encoded="true">
  std::int64_t size_bytes = 0;
  std::string etag;           // without quotes
  std::string md5_base64;     // Content-MD5; empty when the blob has none
  std::string last_modified;  // RFC 3339 UTC ("2026-12-04T15:34:00Z")
  std::string version_id;     // empty when the account keeps no versions
  // An ADLS Gen2 directory (metadata hdi_isfolder=true, or ResourceType
  // "directory"), which is not a file.
  bool is_directory = false;
};

/// One page of List Blobs and where the next one starts.
struct ListBlobsPage {
  std::vector<ListedBlob> blobs;  // latest versions only, in the order Azure sent them
  std::string next_marker;        // empty on the last page
};

/// Parses a List Blobs response. Only current blobs are kept: an entry with a
/// VersionId whose IsCurrentVersion is not "true" (an older version, listed with
/// include=versions), a deleted entry and a snapshot are dropped. kInternal naming
/// `what` (e.g. "listing az://c/p/") when the body is not such a document, or a
/// blob lacks Name or Content-Length.
Result<ListBlobsPage> ParseListBlobs(std::string_view xml, std::string_view what);

/// The fields of an Azure <Error> document; empty strings for absent fields.
struct AzureErrorBody {
  std::string code;  // "BlobNotFound", "AuthenticationFailed", ...
  // The first line of <Message> (Azure appends RequestId and Time lines). Never
  // AuthenticationErrorDetail, which can quote the request's signature.
  std::string message;
};

/// Parses an error body. Never fails: a body that is empty or not an Azure error
/// document yields empty fields.
AzureErrorBody ParseErrorBody(std::string_view xml);

/// "Fri, 04 Dec 2026 15:58:34 GMT" -> "2026-12-04T15:58:34Z"; "" when unparsable.

}  // namespace cairn::storage::azure
