// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/s3/s3_xml.h"

#include <charconv>
#include <string>

#include <pugixml.hpp>

#include "cairn/storage/store_sink.h"

namespace cairn::storage::s3 {
namespace {

std::string Text(const pugi::xml_node& node, const char* child) {
  return node.child(child).text().as_string();
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

// With encoding-type=url S3 encodes keys form-style: '+' is a space and '+' itself
// arrives as %2B (botocore decodes these fields with unquote_plus as well).
Result<std::string> FormDecode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
      continue;
    }
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    const int low = high >= 0 ? HexValue(text[i + 2]) : -1;
    if (low < 0) {
      return InternalError(std::string(what) +
                           ": the listing returned a key with a bad "
                           "percent escape: " +
                           std::string(text));
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

Result<pugi::xml_node> ParseRoot(pugi::xml_document& doc, std::string_view xml,
                                 const char* root_name, std::string_view what) {
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return InternalError(std::string(what) + ": the store's listing is not XML (" +
                         parsed.description() + ")");
  }
  pugi::xml_node root = doc.child(root_name);
  if (!root) {
    return InternalError(std::string(what) + ": expected a <" + root_name +
                         "> document, got <" + doc.first_child().name() + ">");
  }
  return root;
}

Result<std::int64_t> ParseSize(const std::string& text, std::string_view what) {
  std::int64_t size = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), size);
  if (error != std::errc() || end != text.data() + text.size() || size < 0) {
    return InternalError(std::string(what) + ": the listing has a bad <Size> '" + text +
                         "'");
  }
  return size;
}

Result<ListedObject> ParseObject(const pugi::xml_node& node, bool url_encoded,
                                 std::string_view what) {
  ListedObject object;
  object.key = Text(node, "Key");
  if (url_encoded) {
    CAIRN_ASSIGN_OR_RETURN(object.key, FormDecode(object.key, what));
  }
  CAIRN_ASSIGN_OR_RETURN(object.size_bytes, ParseSize(Text(node, "Size"), what));
  object.etag = UnquoteEtag(Text(node, "ETag"));
  object.last_modified = TrimFractionalSeconds(Text(node, "LastModified"));
  return object;
}

bool IsUrlEncoded(const pugi::xml_node& root) {
  return Text(root, "EncodingType") == "url";
}

}  // namespace

std::string TrimFractionalSeconds(std::string_view timestamp) {
  const auto dot = timestamp.find('.');
  if (dot == std::string_view::npos || timestamp.empty() || timestamp.back() != 'Z') {
    return std::string(timestamp);
  }
  return std::string(timestamp.substr(0, dot)) + 'Z';
}

Result<ListPage> ParseListObjectsV2(std::string_view xml, std::string_view what) {
  pugi::xml_document doc;
  CAIRN_ASSIGN_OR_RETURN(const pugi::xml_node root,
                         ParseRoot(doc, xml, "ListBucketResult", what));
  const bool url_encoded = IsUrlEncoded(root);

  ListPage page;
  page.is_truncated = Text(root, "IsTruncated") == "true";
  page.next_continuation_token = Text(root, "NextContinuationToken");
  for (const pugi::xml_node& node : root.children("Contents")) {
    CAIRN_ASSIGN_OR_RETURN(ListedObject object, ParseObject(node, url_encoded, what));
    page.objects.push_back(std::move(object));
  }
  return page;
}

Result<ListPage> ParseListObjectVersions(std::string_view xml, std::string_view what) {
  pugi::xml_document doc;
  CAIRN_ASSIGN_OR_RETURN(const pugi::xml_node root,
                         ParseRoot(doc, xml, "ListVersionsResult", what));
  const bool url_encoded = IsUrlEncoded(root);

  ListPage page;
  page.is_truncated = Text(root, "IsTruncated") == "true";
  page.next_key_marker = Text(root, "NextKeyMarker");
  if (url_encoded) {
    CAIRN_ASSIGN_OR_RETURN(page.next_key_marker, FormDecode(page.next_key_marker, what));
  }
  page.next_version_id_marker = Text(root, "NextVersionIdMarker");

  // Only <Version> children are read, so <DeleteMarker> entries are skipped.
  for (const pugi::xml_node& node : root.children("Version")) {
    if (Text(node, "IsLatest") != "true") {
      continue;
    }
    CAIRN_ASSIGN_OR_RETURN(ListedObject object, ParseObject(node, url_encoded, what));
    object.version_id = Text(node, "VersionId");
    if (object.version_id == "null") {
      object.version_id.clear();
    }
    page.objects.push_back(std::move(object));
  }
  return page;
}

ErrorBody ParseErrorBody(std::string_view xml) {
  ErrorBody body;
  pugi::xml_document doc;
  if (xml.empty() || !doc.load_buffer(xml.data(), xml.size())) {
    return body;
  }
  const pugi::xml_node error = doc.child("Error");
  body.code = Text(error, "Code");
  body.message = Text(error, "Message");
  body.request_id = Text(error, "RequestId");
  body.region = Text(error, "Region");
  body.endpoint = Text(error, "Endpoint");
  return body;
}

}  // namespace cairn::storage::s3
