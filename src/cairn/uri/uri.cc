// SPDX-License-Identifier: Apache-2.0
#include "cairn/uri/uri.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <system_error>

#include "cairn/base/ascii.h"
#include "cairn/base/redact.h"

namespace cairn::uri {
namespace {

constexpr std::array<std::string_view, 5> kRemoteSchemes = {"s3", "gs", "az", "http",
                                                            "https"};

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.' || c == '~';
}

bool IsControl(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

void AppendEscape(std::string& out, unsigned char c) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0xf]);
}

// Encodes only what would change the meaning of a URI component, so a key reads
// the way the store shows it: '%', the delimiters in `delimiters`, spaces,
// control bytes and non-ASCII bytes.
std::string EncodeMinimal(std::string_view text, std::string_view delimiters) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '%' || c == ' ' || IsControl(c) || c >= 0x80 ||
        delimiters.find(ch) != std::string_view::npos) {
      AppendEscape(out, c);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

// Length of a leading RFC 3986 scheme ("s3" in "s3://..."), or 0 when `text` does
// not start with one followed by ':'.
std::size_t SchemeLength(std::string_view text) {
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0]))) {
    return 0;
  }
  std::size_t i = 1;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) ||
                             text[i] == '+' || text[i] == '-' || text[i] == '.')) {
    ++i;
  }
  return (i < text.size() && text[i] == ':') ? i : 0;
}

bool IsRemoteScheme(std::string_view scheme) {
  return std::find(kRemoteSchemes.begin(), kRemoteSchemes.end(), scheme) !=
         kRemoteSchemes.end();
}

// The text passes through redact::Url, so a presigned URL's signature never reaches
// an error message.
// GCS generations are int64 values, at most 19 decimal digits.
constexpr std::size_t kMaxGenerationDigits = 19;

Status Invalid(std::string_view text, std::string_view problem) {
  return InvalidArgumentError("invalid URI \"" + redact::Url(text) +
                              "\": " + std::string(problem));
}

Status BadRef(std::string_view ref, std::string_view problem) {
  return InvalidArgumentError("invalid manifest ref \"" + redact::Url(ref) +
                              "\": " + std::string(problem));
}

// Resolves "." and ".." and collapses repeated '/' in an absolute local path; a
// trailing '/' is kept because it marks a prefix.
std::string NormalizeLocalPath(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) {
        segments.pop_back();
      }
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }

  std::string out;
  for (const std::string_view segment : segments) {
    out.push_back('/');
    out.append(segment);
  }
  const bool wants_slash = path.ends_with('/') || path.ends_with("/.") ||
                           path.ends_with("/..") || path == "." || path == "..";
  if (out.empty() || wants_slash) {
    out.push_back('/');
  }
  return out;
}

Result<Uri> ParsePlainPath(std::string_view text) {
  std::string absolute;
  if (text.front() == '/') {
    absolute = std::string(text);
  } else {
    std::error_code error;
    const std::filesystem::path cwd = std::filesystem::current_path(error);
    if (error) {
      return InternalError(
          "making \"" + std::string(text) +
          "\" absolute: cannot read the current directory: " + error.message());
    }
    absolute = cwd.string() + "/" + std::string(text);
  }
  Uri uri;
  uri.scheme = "file";
  uri.path = NormalizeLocalPath(absolute);
  return uri;
}

Status ParseQuery(std::string_view text, std::string_view query, Uri& uri) {
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) {
      end = query.size();
    }
    const std::string_view pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) {
      continue;
    }
    const std::size_t eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq));
    auto value = PercentDecode(eq == std::string_view::npos ? std::string_view()
                                                            : pair.substr(eq + 1));
    if (!name.ok() || !value.ok()) {
      return Invalid(text, "bad percent-escape in the query; write '%' as %25");
    }
    uri.query.emplace_back(std::move(name).value(), std::move(value).value());
  }
  return Status::Ok();
}

// Splits "authority/path?query#fragment" (the text after "scheme://").
Result<Uri> ParseHierarchical(std::string_view text, std::string scheme,
                              std::string_view rest) {
  Uri uri;
  uri.scheme = std::move(scheme);

  const std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    auto fragment = PercentDecode(rest.substr(hash + 1));
    if (!fragment.ok()) {
      return Invalid(text, "bad percent-escape in the fragment; write '%' as %25");
    }
    uri.fragment = std::move(fragment).value();
    rest = rest.substr(0, hash);
  }
  const std::size_t question = rest.find('?');
  if (question != std::string_view::npos) {
    CAIRN_RETURN_IF_ERROR(ParseQuery(text, rest.substr(question + 1), uri));
    rest = rest.substr(0, question);
  }

  const std::size_t slash = rest.find('/');
  uri.authority = std::string(rest.substr(0, slash));
  const std::string_view raw_path =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  auto path = PercentDecode(raw_path);
  if (!path.ok()) {
    return Invalid(text,
                   "bad percent-escape in the path; a key containing '%', '#' or '?' "
                   "must write them as %25, %23 and %3F");
  }
  uri.path = std::move(path).value();
  return uri;
}

Result<Uri> ParseFile(std::string_view text, std::string_view after_colon) {
  if (!after_colon.starts_with('/')) {
    return Invalid(text,
                   "a file: URI must hold an absolute path (file:///abs/path); "
                   "for a relative path drop the \"file:\" prefix");
  }
  // "file:///p" and "file://localhost/p" carry an authority; RFC 8089 also allows
  // "file:/p", which has none.
  const bool has_authority = after_colon.starts_with("//");
  const std::string_view rest = has_authority ? after_colon.substr(2) : after_colon;
  CAIRN_ASSIGN_OR_RETURN(Uri uri, ParseHierarchical(text, "file", rest));
  if (!uri.authority.empty() && AsciiLower(uri.authority) != "localhost") {
    return Invalid(text, "file: URIs on another host (\"" + uri.authority +
                             "\") are not supported; write file:///abs/path, or drop "
                             "\"file://\" for a relative path");
  }
  uri.authority.clear();
  if (!uri.path.starts_with('/')) {
    uri.path.insert(uri.path.begin(), '/');
  }
  return uri;
}

}  // namespace

Result<Uri> Uri::Parse(std::string_view text) {
  if (text.empty()) {
    return InvalidArgumentError(
        "invalid URI \"\": empty; give s3://bucket/key, file:///abs/path or a path");
  }
  const auto control = std::find_if(text.begin(), text.end(), [](char c) {
    return IsControl(static_cast<unsigned char>(c));
  });
  if (control != text.end()) {
    return Invalid(text,
                   "contains a control character; percent-encode it (%0A for a "
                   "newline)");
  }

  const std::size_t scheme_length = SchemeLength(text);
  const std::string scheme = AsciiLower(text.substr(0, scheme_length));
  const std::string_view after_colon =
      scheme_length == 0 ? std::string_view() : text.substr(scheme_length + 1);
  if (scheme == "file") {
    return ParseFile(text, after_colon);
  }
  if (scheme_length == 0 || (!after_colon.starts_with("//") && !IsRemoteScheme(scheme))) {
    return ParsePlainPath(text);
  }
  if (!after_colon.starts_with("//")) {
    return Invalid(text, "expected \"" + scheme + "://\" after the scheme, as in " +
                             scheme + "://bucket/key");
  }

  CAIRN_ASSIGN_OR_RETURN(Uri uri, ParseHierarchical(text, scheme, after_colon.substr(2)));
  if (uri.authority.empty()) {
    return Invalid(text, "no bucket or host after \"" + scheme + "://\"; write " +
                             scheme + "://bucket/key");
  }
  // user:password@host would carry a secret into manifests and logs.
  if (uri.authority.find('@') != std::string::npos) {
    return Invalid(text,
                   "credentials in a URI are not accepted; remove \"user@\" and "
                   "configure credentials in the environment");
  }
  if (uri.authority.find('%') != std::string::npos) {
    return Invalid(text, "percent-escapes are not allowed in the bucket or host name");
  }
  // The key is what follows the bucket's '/' separator.
  if (!uri.path.empty()) {
    uri.path.erase(0, 1);
  }
  return uri;
}

std::string Uri::ToString() const {
  std::string out = scheme;
  out.append("://");
  out.append(authority);
  if (scheme == "file") {
    out.append(EncodeMinimal(path, "?#"));
  } else if (!path.empty()) {
    out.push_back('/');
    out.append(EncodeMinimal(path, "?#"));
  }
  for (std::size_t i = 0; i < query.size(); ++i) {
    out.push_back(i == 0 ? '?' : '&');
    out.append(EncodeMinimal(query[i].first, "#&=+"));
    out.push_back('=');
    out.append(EncodeMinimal(query[i].second, "#&=+"));
  }
  if (!fragment.empty()) {
    out.push_back('#');
    out.append(EncodeMinimal(fragment, "#"));
  }
  return out;
}

std::string Uri::WithoutQuery() const {
  Uri copy = *this;
  copy.query.clear();
  copy.fragment.clear();
  return copy.ToString();
}

Uri Uri::ObjectUri() const {
  Uri copy = *this;
  if (!QueryNamesObject()) {
    copy.query.clear();
  }
  copy.fragment.clear();
  return copy;
}

std::string Uri::RefString() const {
  if (QueryNamesObject()) {
    return ObjectUri().ToString();
  }
  std::string out = scheme + "://" + authority;
  if (scheme != "file" && !path.empty()) {
    out.push_back('/');
  }
  out.append(path);
  return out;
}

bool Uri::IsAzureBlobHost() const {
  if (scheme != "http" && scheme != "https") {
    return false;
  }
  const std::string host = AsciiLower(authority.substr(0, authority.rfind(':')));
  return host.ends_with(".blob.core.windows.net");
}

Result<Uri> Uri::ParseRef(std::string_view ref) {
  const std::size_t scheme_length = SchemeLength(ref);
  const std::string scheme = AsciiLower(ref.substr(0, scheme_length));
  if (scheme == "http" || scheme == "https") {
    // An Azure blob host's ref holds its key raw, as W&B writes it; other URLs are
    // URLs.
    Uri host_only;
    host_only.scheme = scheme;
    const std::string_view rest =
        ref.size() > scheme_length + 3 ? ref.substr(scheme_length + 3) : "";
    host_only.authority = std::string(rest.substr(0, rest.find('/')));
    if (!host_only.IsAzureBlobHost()) {
      return Parse(ref);
    }
  }
  const auto control = std::find_if(ref.begin(), ref.end(), [](char c) {
    return IsControl(static_cast<unsigned char>(c));
  });
  if (scheme_length == 0 || !ref.substr(scheme_length).starts_with("://") ||
      control != ref.end()) {
    return BadRef(ref,
                  "expected scheme://bucket/key (or file:///path) without control "
                  "characters");
  }
  const std::string_view rest = ref.substr(scheme_length + 3);
  Uri uri;
  uri.scheme = scheme;
  const std::size_t slash = rest.find('/');
  if (scheme == "file") {
    // "file:///p" has an empty authority; "file://localhost/p" names this host.
    const std::string_view host = rest.substr(0, slash);
    if (slash == std::string_view::npos ||
        (!host.empty() && AsciiLower(host) != "localhost")) {
      return BadRef(ref, "a file ref holds an absolute local path (file:///abs/path)");
    }
    uri.path = std::string(rest.substr(slash));
    return uri;
  }
  uri.authority = std::string(rest.substr(0, slash));
  if (uri.authority.empty()) {
    return BadRef(ref, "no bucket after \"" + scheme + "://\"");
  }
  if (slash != std::string_view::npos) {
    uri.path = std::string(rest.substr(slash + 1));
  }
  return uri;
}

std::optional<std::string> Uri::SecretQueryParameter() const {
  for (const auto& [key, value] : query) {
    if (redact::IsSecretParameter(key)) {
      return key;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Uri::QueryValue(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

Result<std::optional<std::string>> Uri::PinnedVersion() const {
  std::string parameter;
  if (scheme == "s3") {
    parameter = "versionId";
  } else if (scheme == "gs") {
    parameter = "generation";
  } else if (scheme == "az" || IsAzureBlobHost()) {
    parameter = "versionid";
  } else {
    return std::optional<std::string>();
  }
  const std::string text = ToString();
  std::optional<std::string> pin = QueryValue(parameter);
  if (parameter == "versionid" && !pin) {
    // Azure's own spelling is versionid; W&B and S3 habits write versionId.
    pin = QueryValue("versionId");
    parameter = pin ? "versionId" : parameter;
  }
  if (pin && pin->empty()) {
    return Invalid(text, "the version pin ?" + parameter +
                             "= is empty; give a version or drop the parameter");
  }
  if (scheme != "gs") {
    return pin;
  }

  // gsutil writes gs://bucket/key#GENERATION; a key containing '#' is written %23.
  const auto is_number = [](std::string_view value) {
    return !value.empty() && value.size() <= kMaxGenerationDigits &&
           std::all_of(value.begin(), value.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (pin && !is_number(*pin)) {
    return Invalid(text, "the generation \"" + *pin +
                             "\" is not a decimal number; a GCS generation looks like "
                             "gs://bucket/key?generation=1712345678901234");
  }
  if (!fragment.empty() && !is_number(fragment)) {
    return Invalid(text, "\"#" + fragment +
                             "\" is read as a GCS generation, which is a decimal number "
                             "(gs://bucket/key#1712345678901234); write a '#' that is "
                             "part of the key as %23");
  }
  if (pin && !fragment.empty() && *pin != fragment) {
    return Invalid(text, "it gives two generations (?generation=" + *pin + " and #" +
                             fragment + "); give one");
  }
  return fragment.empty() ? pin : std::optional<std::string>(fragment);
}

std::string Uri::BaseName() const {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Uri Uri::AsPrefix() const {
  Uri copy = *this;
  if (!copy.path.empty() && copy.path.back() != '/') {
    copy.path.push_back('/');
  }
  return copy;
}

std::string PercentEncode(std::string_view text, std::string_view keep) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || keep.find(ch) != std::string_view::npos) {
      out.push_back(ch);
    } else {
      AppendEscape(out, c);
    }
  }
  return out;
}

Result<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (high < 0 || low < 0) {
      return InvalidArgumentError("bad percent-escape at byte " + std::to_string(i) +
                                  " of \"" + std::string(text) +
                                  "\": '%' must be followed by two hex digits "
                                  "(write a literal '%' as %25)");
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

}  // namespace cairn::uri
