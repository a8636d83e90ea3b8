// SPDX-License-Identifier: Apache-2.0
// Reading the response headers a plain HTTP server describes a file with: ETag
// (strong or weak), Content-Length, Content-Range and Last-Modified. Pure
// functions, tested on recorded values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::storage::http {

/// The value of a strong ETag without its quotes ("\"6b13-5\"" -> "6b13-5"); ""
/// for a weak one (W/"..."), which promises equivalent content only, not the
/// same bytes (RFC 9110 8.8.1), and for a missing or malformed one.
std::string StrongEtag(std::optional<std::string> header);

/// A decimal Content-Length; nullopt when missing or not a non-negative number.
std::optional<std::int64_t> ParseLength(std::optional<std::string> header);

/// The complete length of "Content-Range: bytes 0-0/5" (5) or of a 416's
/// "bytes */5" (5); nullopt when missing, malformed or "*" (unknown).
std::optional<std::int64_t> ContentRangeTotal(std::optional<std::string> header);

/// An HTTP-date in its preferred form ("Fri, 04 Dec 2026 18:15:55 GMT") as RFC 3339
/// UTC ("2026-12-04T18:15:55Z"); "" for anything else, including the obsolete
/// RFC 850 and asctime forms, which servers have not sent for decades.

}  // namespace cairn::storage::http
