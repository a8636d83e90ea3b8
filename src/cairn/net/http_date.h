// SPDX-License-Identifier: Apache-2.0
// HTTP dates (Last-Modified, Date) as the RFC 3339 text ObjectInfo records.
#pragma once

#include <string>
#include <string_view>

namespace cairn::net {

/// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate, RFC 9110) -> "1994-11-06T08:49:37Z".
/// "" for anything else, including the obsolete RFC 850 and asctime forms, which
/// S3, GCS, Azure and current web servers do not send.
std::string HttpDateToRfc3339(std::string_view http_date);

}  // namespace cairn::net
