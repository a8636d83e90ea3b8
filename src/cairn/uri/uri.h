// SPDX-License-Identifier: Apache-2.0
// Uri: the parsed form of a reference such as s3://bucket/key or file:///abs/path.
// Object keys are byte-exact: percent-escapes are decoded once, and a key is never
// path-normalised ("a//b", "a/./b" and "a/../b" are distinct keys).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/base/result.h"

namespace cairn::uri {

/// A parsed reference URI.
///
/// - `s3://bucket/key`: scheme "s3", authority "bucket", path "key" (no leading
///   slash; empty for the bucket root). The query keeps `versionId=...`.
/// - `file:///abs/path`: scheme "file", authority "", path "/abs/path".
/// - A plain path ("data/x", "/tmp/y") parses as a file URI made absolute against
///   the current directory, with "." and ".." segments resolved lexically and
///   repeated '/' collapsed (only for plain local paths, never for object keys).
/// - Other schemes (gs, http, https, az) parse the same way as s3: authority is the
///   bucket or host, path is the decoded key without its leading slash.
/// - In every URI with a scheme, '?' starts the query and '#' the fragment, as RFC
///   3986 says, so "s3://b/a#b" names key "a". A key containing '#', '?' or '%' must
///   write them as %23, %3F and %25 ("s3://b/a%23b" names key "a#b"). A plain path
///   is taken literally: "/data/a#b" names the file "a#b" and is never decoded.
/// - The scheme is lower-cased; any scheme followed by "://" parses (OpenStore
///   decides which are served). A known remote scheme without "//" ("s3:b/k") is an
///   error; any other "word:" prefix is part of a plain path.
/// - file: URIs accept "file:///p", "file://localhost/p" and "file:/p"; their path
///   is decoded but, like a key, never normalised.
///
/// `path` holds decoded bytes; ToString() re-encodes what must be encoded.
struct Uri {
  std::string scheme;
  std::string authority;
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::string fragment;                                    // decoded, without '#'

  /// Parses `text`. kInvalidArgument, naming `text` (secrets in its query redacted)
  /// and the fix, for an empty string, a URI without a bucket (s3:///k), a relative
  /// file: URI, bad percent escapes, a control character in the input, or
  /// credentials in the authority (user:password@host).
  static Result<Uri> Parse(std::string_view text);

  /// The canonical text: scheme://authority/path?query#fragment, with '%', '?',
  /// '#', spaces, control and non-ASCII bytes in the path percent-encoded.
  /// Parse(ToString()) returns an equal Uri.
  std::string ToString() const;

  /// The same URI without query and fragment.
  std::string WithoutQuery() const;

  /// True for an http(s) URL of an Azure Blob account host
  /// (ACCOUNT.blob.core.windows.net): an object store, keyed like az://.
  bool IsAzureBlobHost() const;

  /// True when the query is part of the object's name (http, https: "?id=3" names
  /// another file); for object stores (Azure blob hosts included) and files the
  /// query only carries pins such as versionId.
  bool QueryNamesObject() const {
    return (scheme == "http" || scheme == "https") && !IsAzureBlobHost();
  }

  /// The object this URI names, without pins: no fragment, and no query unless the
  /// query is part of the name (QueryNamesObject).
  Uri ObjectUri() const;

  /// The text a manifest records as an entry's `ref`, in W&B's form so manifests
  /// move between the two tools: object stores and files write the key raw
  /// ("s3://b/with space#1.txt", "file:///d/a b"), http(s) write the encoded URL
  /// with its query. Pins are stored beside the ref, never inside it.
  std::string RefString() const;

  /// Parses a manifest `ref` written by RefString (or by wandb). For object stores
  /// and files, everything after the bucket's '/' is the raw key, so '#', '?' and
  /// '%' in it are key bytes; http(s) refs parse as URLs. kInvalidArgument for an
  /// empty ref, a ref without "scheme://" and bucket, or a control character.
  static Result<Uri> ParseRef(std::string_view ref);

  /// The name of the first query parameter that can carry a secret (a signature,
  /// credential or token: redact::IsSecretParameter), if any.
  std::optional<std::string> SecretQueryParameter() const;

  /// The decoded value of the first query parameter called `name`, if any.
  std::optional<std::string> QueryValue(std::string_view name) const;

  /// The object version this URI pins, read the way each scheme writes it:
  /// s3 `?versionId=V`; gs `?generation=N` or `#N` (gsutil's form; the fragment
  /// must then be digits only); az `?versionid=V`. nullopt when nothing is pinned,
  /// and always for http(s) and file URIs (an https Azure URL keeps `?versionid=`
  /// in its ref, where the Azure store reads it). kInvalidArgument, naming the URI
  /// and the fix, for an empty pin, a gs generation or fragment that is not a
  /// decimal number, or a gs URI giving two different generations. No I/O.
  Result<std::optional<std::string>> PinnedVersion() const;

  /// True when the path is empty or ends in '/': the URI names a prefix only.
  bool EndsWithSlash() const { return path.empty() || path.back() == '/'; }

  /// The last path segment ("c.txt" for s3://b/a/c.txt); empty for "a/".
  std::string BaseName() const;

  /// A copy whose path is `path` with exactly one trailing '/' (empty stays empty).
  /// Listing under this prefix covers whole path segments only. A path already
  /// ending in '/' is kept as it is, since "a//" and "a/" are distinct prefixes.
  Uri AsPrefix() const;

  bool operator==(const Uri& other) const = default;
};

/// Percent-encodes every byte of `text` except unreserved characters
/// (A-Z a-z 0-9 - _ . ~) and the characters in `keep` (e.g. "/" for paths).
std::string PercentEncode(std::string_view text, std::string_view keep = "");

/// Decodes %XX escapes; kInvalidArgument for a truncated or non-hex escape.
Result<std::string> PercentDecode(std::string_view text);

}  // namespace cairn::uri
