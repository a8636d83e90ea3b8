// SPDX-License-Identifier: Apache-2.0
// AzureStore against a scripted HTTP server on 127.0.0.1 standing in for Azure,
// for what Azurite cannot show. Azurite has no blob versioning (it ignores
// ?versionid= and answers with the live blob), so version pins are shown here on
// recorded responses shaped as the Azure Storage REST reference documents them
// (made-up values): listings that report version ids, reads and stats at a version,
// a missing version. Also: the exact requests sent, a resumed read, and that no key
// or SAS signature reaches an error or a log line.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "cairn/base/log.h"
#include "cairn/credentials/azure.h"
#include "cairn/net/testing/scripted_http_server.h"
#include "cairn/storage/azure/azure_store.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage::azure {
namespace {

using ::cairn::net::testing::ReceivedRequest;
using ::cairn::net::testing::ScriptedHttpServer;
using ::cairn::net::testing::ScriptedResponse;
using ::cairn::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::string_view kOldVersion = "2026-12-04T15:34:00.1234567Z";
constexpr std::string_view kNewVersion = "2026-12-04T16:00:00.7654321Z";
constexpr std::string_view kOldVersionQuery =
    "versionid=2026-12-04T15%3A34%3A00.1234567Z";
constexpr std::string_view kSig = "c2VjcmV0LXNpZ25hdHVyZQSECRET%3D";

ScriptedResponse Answer(int status, std::string body = "", net::Headers headers = {}) {
  ScriptedResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

ScriptedResponse ErrorAnswer(int status, const std::string& code) {
  return Answer(status,
                R"(<?xml version="1.0" encoding="utf-8"?><Error><Code>)" + code +
                    "</Code><Message>Made up.\nRequestId:r-1\nTime:now</Message></Error>",
                {{"x-ms-error-code", code}, {"x-ms-request-id", "r-1"}});
}

// The old version of "k": 9 bytes, "old bytes".
net::Headers OldVersionHeaders() {
  return {{"ETag", "\"0x8DD0000000000AA\""},
          {"Content-MD5", "2qSyZzP4MM/HSMpKpNvZ2w=="},
          {"Last-Modified", "Fri, 04 Dec 2026 15:34:00 GMT"},
          {"x-ms-version-id", std::string(kOldVersion)}};
}

std::shared_ptr<AzureStore> StoreFor(const ScriptedHttpServer& server,
                                     credentials::AzureCredentials credentials) {
  AzureStoreOptions options;
  options.endpoint = server.Url("/acct");
  options.account = "acct";
  options.credentials = std::move(credentials);
  options.http.retry.base_delay = std::chrono::milliseconds(1);
  options.http.retry.max_delay = std::chrono::milliseconds(2);
  Result<std::shared_ptr<AzureStore>> store = AzureStore::Make(std::move(options));
  CAIRN_CHECK(store.ok());
  return *store;
}

credentials::AzureCredentials SharedKey() {
  credentials::AzureCredentials credentials;
  credentials.kind = credentials::AzureCredentials::Kind::kSharedKey;
  credentials.account = "acct";
  credentials.account_key = std::string(credentials::kAzuriteAccountKey);
  credentials.source = "test settings";
  return credentials;
}

credentials::AzureCredentials Sas() {
  credentials::AzureCredentials credentials;
  credentials.kind = credentials::AzureCredentials::Kind::kSas;
  credentials.sas_token = "sv=2021-08-06&sp=rl&sig=" + std::string(kSig);
  credentials.source = "AZURE_STORAGE_SAS_TOKEN";
  return credentials;
}

ObjectRef Ref(std::string name, std::string version = "", std::string etag = "") {
  uri::Uri uri;
  uri.scheme = "az";
  uri.authority = "cont";
  uri.path = std::move(name);
  return {
      .uri = std::move(uri), .version_id = std::move(version), .etag = std::move(etag)};
}

std::vector<std::string> Targets(const ScriptedHttpServer& server) {
  std::vector<std::string> targets;
  for (const ReceivedRequest& request : server.Requests()) {
    targets.push_back(request.method + " " + request.target);
  }
  return targets;
}

TEST(AzureVersionTest, PinnedStatAndReadAskForAndGetThatVersion) {
  ScriptedHttpServer server([](const ReceivedRequest& request, int) {
    if (request.target.find("versionid=") == std::string::npos) {
      return ErrorAnswer(500, "UnexpectedUnpinnedRequest");
    }
    return Answer(200, "old bytes", OldVersionHeaders());
  });
  const auto store = StoreFor(server, SharedKey());
  StringSink sink;

  const Result<ObjectInfo> info = store->Stat(Ref("dir/k", std::string(kOldVersion)));
  const Status read = store->Read(Ref("dir/k", std::string(kOldVersion)), {}, sink);

  ASSERT_OK(info);
  EXPECT_EQ(info->version_id, kOldVersion);
  EXPECT_EQ(info->size_bytes, 9);
  EXPECT_EQ(info->etag, "0x8DD0000000000AA");
  EXPECT_EQ(info->md5_base64, "2qSyZzP4MM/HSMpKpNvZ2w==");
  EXPECT_EQ(info->last_modified, "2026-12-04T15:34:00Z");
  EXPECT_EQ(info->uri, Ref("dir/k").uri);
  ASSERT_OK(read);
  EXPECT_EQ(sink.data(), "old bytes");
  EXPECT_THAT(Targets(server),
              ElementsAre("HEAD /acct/cont/dir/k?" + std::string(kOldVersionQuery),
                          "GET /acct/cont/dir/k?" + std::string(kOldVersionQuery)));
}

TEST(AzureVersionTest, VersionidInAnHttpUrlPinsTheRead) {
  ScriptedHttpServer server([](const ReceivedRequest& request, int) {
    if (request.target.find("versionid=") == std::string::npos) {
      return ErrorAnswer(500, "UnexpectedUnpinnedRequest");
    }
    return Answer(200, "old bytes", OldVersionHeaders());
  });
  const auto store = StoreFor(server, SharedKey());
  Result<uri::Uri> url = uri::Uri::Parse(server.Url("/acct/cont/dir/k?versionid=") +
                                         std::string(kOldVersion));
  ASSERT_OK(url);
  StringSink sink;

  const Result<ObjectInfo> info =
      store->Stat({.uri = *url, .version_id = "", .etag = ""});
  ASSERT_OK(store->Read({.uri = *url, .version_id = "", .etag = ""}, {}, sink));

  ASSERT_OK(info);
  EXPECT_EQ(info->version_id, kOldVersion);
  EXPECT_EQ(info->uri.ToString(), server.Url("/acct/cont/dir/k"));
  EXPECT_EQ(sink.data(), "old bytes");
  EXPECT_THAT(Targets(server),
              ElementsAre("HEAD /acct/cont/dir/k?" + std::string(kOldVersionQuery),
                          "GET /acct/cont/dir/k?" + std::string(kOldVersionQuery)));
}

TEST(AzureStoreScriptedTest, UrlCarryingASasIsRefusedWithoutQuotingIt) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) { return Answer(200); });
  const auto store = StoreFor(server, SharedKey());
  Result<uri::Uri> url =
      uri::Uri::Parse(server.Url("/acct/cont/k?sv=2021-08-06&sig=") + std::string(kSig));
  ASSERT_OK(url);

  EXPECT_THAT(store->Stat({.uri = *url, .version_id = "", .etag = ""}),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("carries a shared access signature (sig=)"),
                             HasSubstr("set AZURE_STORAGE_SAS_TOKEN"),
                             Not(HasSubstr("c2VjcmV0")))));
  EXPECT_TRUE(server.Requests().empty());
}

TEST(AzureVersionTest, MissingVersionIsNotFoundAndNeverTheLiveBlob) {
  ScriptedHttpServer server(
      [](const ReceivedRequest&, int) { return ErrorAnswer(404, "BlobNotFound"); });
  const auto store = StoreFor(server, SharedKey());
  StringSink sink;

  EXPECT_THAT(store->Stat(Ref("k", std::string(kOldVersion))),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("stating az://cont/k: BlobNotFound (404, request r-1): "
                                 "version 2026-12-04T15:34:00.1234567Z of this blob is "
                                 "gone or never existed; the live blob is not read")));
  EXPECT_THAT(store->Read(Ref("k", std::string(kOldVersion)), {}, sink),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("reading az://cont/k: BlobNotFound (404, request r-1): "
                                 "version 2026-12-04T15:34:00.1234567Z")));
  EXPECT_EQ(sink.data(), "");
  EXPECT_EQ(server.Requests().size(), 2U);  // no second try without the pin
}

TEST(AzureVersionTest, AnAnswerWithoutTheAskedVersionIsRefused) {
  // What Azurite does: ?versionid= is ignored and the live blob comes back.
  ScriptedHttpServer server([](const ReceivedRequest&, int) {
    return Answer(200, "live!", {{"ETag", "\"0x1\""}});
  });
  const auto store = StoreFor(server, SharedKey());
  StringSink sink;

  EXPECT_THAT(store->Stat(Ref("k", std::string(kOldVersion))),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("stating az://cont/k: version "
                                 "2026-12-04T15:34:00.1234567Z was asked for but Azure "
                                 "answered with no version id")));
  EXPECT_THAT(store->Read(Ref("k", std::string(kOldVersion)), {}, sink),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("the live blob is not read in its place")));
}

TEST(AzureVersionTest, ListReportsCurrentVersionIdsAcrossPagesAndSkipsStubs) {
  const std::string page1 = R"(<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ContainerName="cont"><Prefix>data/</Prefix><Blobs>
<Blob><Name>data/a</Name><VersionId>2026-12-04T16:00:00.7654321Z</VersionId>
<IsCurrentVersion>true</IsCurrentVersion><Properties>
<Last-Modified>Fri, 04 Dec 2026 16:00:00 GMT</Last-Modified><Etag>0x8DD1</Etag>
<Content-Length>3</Content-Length><Content-MD5>rL0Y20zC+Fzt72VPzMSk2A==</Content-MD5>
</Properties><Metadata/></Blob>
<Blob><Name>data/dir</Name><VersionId>2026-12-04T15:00:00.0000000Z</VersionId>
<IsCurrentVersion>true</IsCurrentVersion><Properties><Etag>0x8DD2</Etag>
<Content-Length>0</Content-Length></Properties>
<Metadata><hdi_isfolder>true</hdi_isfolder></Metadata></Blob>
</Blobs><NextMarker>2!12!bWFya2VyIDI=</NextMarker></EnumerationResults>)";
  const std::string page2 = R"(<EnumerationResults><Blobs>
<Blob><Name>data/dir/</Name>
<Properties><Content-Length>0</Content-Length></Properties></Blob>
<Blob><Name>data/dir/b</Name><VersionId>2026-12-04T15:34:00.1234567Z</VersionId>
<IsCurrentVersion>true</IsCurrentVersion><Properties><Etag>0x8DD3</Etag>
<Content-Length>4</Content-Length></Properties></Blob>
</Blobs><NextMarker/></EnumerationResults>)";
  ScriptedHttpServer server([&](const ReceivedRequest&, int index) {
    return Answer(200, index == 0 ? page1 : page2);
  });
  const auto store = StoreFor(server, SharedKey());
  std::vector<std::string> seen;

  uri::Uri prefix = Ref("data/").uri;
  ASSERT_OK(store->List(prefix, {}, [&](const ObjectInfo& info) {
    seen.push_back(info.uri.ToString() + " " + info.version_id + " " + info.etag + " " +
                   std::to_string(info.size_bytes) + " " + info.md5_base64);
    return Status::Ok();
  }));

  EXPECT_THAT(seen,
              ElementsAre("az://cont/data/a 2026-12-04T16:00:00.7654321Z 0x8DD1 3 "
                          "rL0Y20zC+Fzt72VPzMSk2A==",
                          "az://cont/data/dir/b 2026-12-04T15:34:00.1234567Z 0x8DD3 4 "));
  EXPECT_THAT(
      Targets(server),
      ElementsAre("GET /acct/cont?restype=container&comp=list&include=metadata"
                  "&maxresults=5000&prefix=data%2F",
                  "GET /acct/cont?restype=container&comp=list&include=metadata"
                  "&maxresults=5000&prefix=data%2F&marker=2%2112%21bWFya2VyIDI%3D"));
}

TEST(AzureStoreScriptedTest, SharedKeyRequestsCarrySignatureDateVersionAndIfMatch) {
  ScriptedHttpServer server(
      [](const ReceivedRequest&, int) { return ErrorAnswer(412, "ConditionNotMet"); });
  const auto store = StoreFor(server, SharedKey());
  StringSink sink;

  EXPECT_THAT(
      store->Read(Ref("odd name#1?.txt", "", "0x8DD0000000000AA"), {}, sink),
      StatusIs(StatusCode::kFailedPrecondition,
               HasSubstr("reading az://cont/odd%20name%231%3F.txt: ConditionNotMet "
                         "(412, request r-1): the blob changed")));

  ASSERT_EQ(server.Requests().size(), 1U);
  const ReceivedRequest request = server.Requests()[0];
  EXPECT_EQ(request.target, "/acct/cont/odd%20name%231%3F.txt");
  EXPECT_EQ(net::FindHeader(request.headers, "If-Match"), "\"0x8DD0000000000AA\"");
  EXPECT_EQ(net::FindHeader(request.headers, "x-ms-version"), "2021-08-06");
  EXPECT_THAT(net::FindHeader(request.headers, "x-ms-date").value_or(""),
              ::testing::EndsWith(" GMT"));
  EXPECT_THAT(net::FindHeader(request.headers, "Authorization").value_or(""),
              StartsWith("SharedKey acct:"));
  EXPECT_EQ(sink.data(), "");
}

TEST(AzureStoreScriptedTest, ACutReadResumesWithRangeAndIfMatchOfTheFirstAnswer) {
  ScriptedHttpServer server([](const ReceivedRequest&, int index) {
    ScriptedResponse response = Answer(200, "0123456789", {{"ETag", "\"0xE1\""}});
    if (index == 0) {
      response.truncate_after = 4;
    } else {
      response.status = 206;
      response.body = "456789";
      response.headers.emplace_back("Content-Range", "bytes 4-9/10");
    }
    return response;
  });
  const auto store = StoreFor(server, SharedKey());
  StringSink sink;

  ASSERT_OK(store->Read(Ref("k"), {}, sink));

  EXPECT_EQ(sink.data(), "0123456789");
  ASSERT_EQ(server.Requests().size(), 2U);
  const ReceivedRequest resumed = server.Requests()[1];
  EXPECT_EQ(net::FindHeader(resumed.headers, "Range"), "bytes=4-");
  EXPECT_EQ(net::FindHeader(resumed.headers, "If-Match"), "\"0xE1\"");
  EXPECT_THAT(net::FindHeader(resumed.headers, "Authorization").value_or(""),
              StartsWith("SharedKey acct:"));
}

TEST(AzureStoreScriptedTest, SasSignatureNeverReachesAnErrorOrALogLine) {
  // Azure's AuthenticationErrorDetail can quote the request; this one does.
  ScriptedHttpServer server([](const ReceivedRequest& request, int) {
    ScriptedResponse response = ErrorAnswer(403, "AuthenticationFailed");
    response.body =
        "<Error><Code>AuthenticationFailed</Code><Message>Signature did not "
        "match. " +
        request.target + "</Message><AuthenticationErrorDetail>" + request.target +
        "</AuthenticationErrorDetail></Error>";
    return response;
  });
  const auto store = StoreFor(server, Sas());
  std::ostringstream captured;
  const auto log_sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  const auto net_logger = log::Get("net");
  const auto azure_logger = log::Get("storage.azure");
  net_logger->sinks().push_back(log_sink);
  azure_logger->sinks().push_back(log_sink);
  log::SetLevel(log::Level::kTrace);

  const Result<ObjectInfo> stat = store->Stat(Ref("k"));
  StringSink bytes;
  const Status read = store->Read(Ref("k"), {}, bytes);
  const Status list =
      store->List(Ref("p/").uri, {}, [](const ObjectInfo&) { return Status::Ok(); });

  log::SetLevel(log::Level::kWarn);
  net_logger->sinks().pop_back();
  azure_logger->sinks().pop_back();
  ASSERT_FALSE(server.Requests().empty());
  EXPECT_THAT(server.Requests()[0].target, HasSubstr("&sig=" + std::string(kSig)));
  const std::string secret = "c2VjcmV0LXNpZ25hdHVyZQSECRET";
  for (const Status& status : {stat.status(), read, list}) {
    EXPECT_THAT(status, StatusIs(StatusCode::kUnauthenticated,
                                 AllOf(HasSubstr("from AZURE_STORAGE_SAS_TOKEN"),
                                       Not(HasSubstr(secret)))));
  }
  EXPECT_THAT(captured.str(), AllOf(HasSubstr("sig=REDACTED"), Not(HasSubstr(secret))));
}

TEST(AzureStoreScriptedTest, UnreachableEndpointErrorHasNoSasSignature) {
  int port = 0;
  {
    const ScriptedHttpServer closed(
        [](const ReceivedRequest&, int) { return Answer(200); });
    port = closed.Port();
  }
  AzureStoreOptions options;
  options.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/acct";
  options.credentials = Sas();
  options.http.retry.max_attempts = 1;
  const Result<std::shared_ptr<AzureStore>> store = AzureStore::Make(options);
  ASSERT_OK(store);

  EXPECT_THAT((*store)->Stat(Ref("k")),
              StatusIs(StatusCode::kUnavailable,
                       AllOf(HasSubstr("stating az://cont/k"),
                             Not(HasSubstr("c2VjcmV0LXNpZ25hdHVyZQSECRET")))));
}

TEST(AzureStoreScriptedTest, StatOfADirectoryStubOrPrefixIsNotFound) {
  ScriptedHttpServer server([](const ReceivedRequest&, int) {
    return Answer(200, "", {{"ETag", "\"0x1\""}, {"x-ms-meta-hdi_isfolder", "true"}});
  });
  const auto store = StoreFor(server, SharedKey());

  EXPECT_THAT(store->Stat(Ref("dir")),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("stating az://cont/dir: the URI names an ADLS directory "
                                 "(metadata hdi_isfolder=true), not a blob")));
  EXPECT_THAT(store->Stat(Ref("dir/")),
              StatusIs(StatusCode::kNotFound, HasSubstr("the URI names a prefix")));
  EXPECT_EQ(server.Requests().size(), 1U);
}

TEST(AzureStoreScriptedTest, MakeRefusesSharedKeyWithoutAccountOrWithABadKey) {
  AzureStoreOptions options;
  options.endpoint = "http://127.0.0.1:1/acct";
  options.credentials = SharedKey();
  EXPECT_THAT(AzureStore::Make(options),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("need an account name")));

  options.account = "acct";
  options.credentials.account_key = "not*base64";
  EXPECT_THAT(
      AzureStore::Make(options),
      StatusIs(StatusCode::kInvalidArgument,
               AllOf(HasSubstr("the account key from test settings is not base64"),
                     Not(HasSubstr("not*base64")))));

  options.endpoint = "ftp://host";
  EXPECT_THAT(AzureStore::Make(options),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("\"ftp://host\" in the Azure store options is not "
                                 "http(s)://host[:port][/path]")));
}

}  // namespace
}  // namespace cairn::storage::azure
