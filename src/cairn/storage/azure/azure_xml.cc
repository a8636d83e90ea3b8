// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/azure/azure_xml.h"

#include <strings.h>

#include <charconv>

#include <pugixml.hpp>

#include "cairn/net/http_date.h"
#include "cairn/storage/store_sink.h"
#include "cairn/uri/uri.h"

namespace cairn::storage::azure {
namespace {

std::string Text(const pugi::xml_node& node, const char* child) {
  return node.child(child).text().as_string();
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// ADLS Gen2 marks directories with metadata hdi_isfolder=true (Azurite answers the
// name as "Hdi_Isfolder") and, on accounts with a hierarchical namespace, with
// Properties/ResourceType "directory".
bool IsDirectory(const pugi::xml_node& blob) {
  for (const pugi::xml_node& entry : blob.child("Metadata").children()) {
    if (EqualsIgnoreCase(entry.name(), "hdi_isfolder") &&
        EqualsIgnoreCase(entry.text().as_string(), "true")) {
      return true;
    }
  }
  return EqualsIgnoreCase(Text(blob.child("Properties"), "ResourceType"), "directory");
}

Result<ListedBlob> ParseBlob(const pugi::xml_node& node, std::string_view what) {
  ListedBlob blob;
  const pugi::xml_node name = node.child("Name");
  if (!name) {
    return InternalError(std::string(what) + ": a listed blob has no <Name>");
  }
  blob.name = name.text().as_string();
  // Names with characters XML cannot carry arrive percent-encoded.
  if (name.attribute("Encoded").as_bool()) {
    CAIRN_ASSIGN_OR_RETURN(blob.name, uri::PercentDecode(blob.name));
  }

  const pugi::xml_node properties = node.child("Properties");
  const std::string length = Text(properties, "Content-Length");
  const auto [end, error] =
      std::from_chars(length.data(), length.data() + length.size(), blob.size_bytes);
  if (length.empty() || error != std::errc() || end != length.data() + length.size() ||
      blob.size_bytes < 0) {
    return InternalError(std::string(what) + ": blob \"" + blob.name +
                         "\" has no valid <Content-Length>");
  }
  blob.etag = UnquoteEtag(Text(properties, "Etag"));
  blob.md5_base64 = Text(properties, "Content-MD5");
  blob.last_modified = net::HttpDateToRfc3339(Text(properties, "Last-Modified"));
  blob.version_id = Text(node, "VersionId");
  blob.is_directory = IsDirectory(node);
  return blob;
}

}  // namespace

Result<ListBlobsPage> ParseListBlobs(std::string_view xml, std::string_view what) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return InternalError(std::string(what) + ": the blob listing is not XML (" +
                         parsed.description() + ")");
  }
  const pugi::xml_node root = doc.child("EnumerationResults");
  if (!root) {
    return InternalError(std::string(what) +
                         ": expected an <EnumerationResults> document, got <" +
                         doc.first_child().name() + ">");
  }

  ListBlobsPage page;
  page.next_marker = Text(root, "NextMarker");
  for (const pugi::xml_node& node : root.child("Blobs").children("Blob")) {
    const bool old_version =
        !Text(node, "VersionId").empty() && Text(node, "IsCurrentVersion") != "true";
    if (old_version || Text(node, "Deleted") == "true" ||
        !Text(node, "Snapshot").empty()) {
      continue;
    }
    CAIRN_ASSIGN_OR_RETURN(ListedBlob blob, ParseBlob(node, what));
    page.blobs.push_back(std::move(blob));
  }
  return page;
}

AzureErrorBody ParseErrorBody(std::string_view xml) {
  AzureErrorBody body;
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) {
    return body;
  }
  const pugi::xml_node root = doc.child("Error");
  body.code = Text(root, "Code");
  const std::string message = Text(root, "Message");
  body.message = message.substr(0, message.find_first_of("\r\n"));
  return body;
}

}  // namespace cairn::storage::azure
