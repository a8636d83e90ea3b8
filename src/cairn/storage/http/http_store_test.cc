// SPDX-License-Identifier: Apache-2.0
// HttpStore against Debian's nginx on 127.0.0.1: started once for this binary by
// tests/scripts/nginx.sh (or taken from CAIRN_TEST_HTTP_ENDPOINT and the other
// exports of that script), serving one directory that these tests write into.
// Ends with the ObjectStore conformance suite, once on the plain server and once
// on the server block that refuses HEAD.
//
// Only http:// is served: https:// takes the same libcurl path, but no test here
// runs it against a TLS server, since the client has no option to trust a test
// certificate.
//
// How nginx 1.22 serves static files, as seen by these tests:
// - ETag is strong, "<mtime in hex>-<size in hex>"; "etag off" sends none.
// - If-Match with another ETag answers 412 before any byte; Range answers 206.
// - A Range on an empty file answers 200 with the empty body, not 416.
// - The script's locations answer 404 for a directory (try_files $uri =404), as a
//   plain file server would, instead of nginx's default 301 to "dir/" and 403.
#include "cairn/storage/http/http_store.h"

#include <sys/stat.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cairn/storage/testing/conformance.h"
#include "cairn/testing/peer_environment.h"
#include "cairn/testing/status_matchers.h"

namespace cairn::storage::http {
namespace {

using ::cairn::storage::testing::StoreConformanceTest;
using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

// nginx, started once for this binary and stopped at the end.
::cairn::testing::PeerEnvironment* const kNginx =  // NOLINT(cert-err58-cpp)
    ::cairn::testing::AddPeerEnvironment(
        {.name = "nginx (scripts/bootstrap installs nginx-light)",
         .script = "nginx.sh",
         .required = {"CAIRN_TEST_HTTP_ENDPOINT", "CAIRN_TEST_HTTP_ROOT"},
         .optional = {"CAIRN_TEST_HTTP_MIRROR_ENDPOINT",
                      "CAIRN_TEST_HTTP_NOETAG_ENDPOINT",
                      "CAIRN_TEST_HTTP_NOHEAD_ENDPOINT"},
         .pidfile = "CAIRN_NGINX_PIDFILE"});

// What nginx.sh exports.
struct Nginx {
  std::string endpoint;
  std::string mirror;
  std::string noetag;
  std::string nohead;
  std::string root;
};

// Read at the first test, after the environment has started nginx.
const Nginx& NginxPeer() {
  static const Nginx nginx = {.endpoint = kNginx->Value("CAIRN_TEST_HTTP_ENDPOINT"),
                              .mirror = kNginx->Value("CAIRN_TEST_HTTP_MIRROR_ENDPOINT"),
                              .noetag = kNginx->Value("CAIRN_TEST_HTTP_NOETAG_ENDPOINT"),
                              .nohead = kNginx->Value("CAIRN_TEST_HTTP_NOHEAD_ENDPOINT"),
                              .root = kNginx->Value("CAIRN_TEST_HTTP_ROOT")};
  return nginx;
}

std::shared_ptr<HttpStore> MakeStore() {
  HttpStoreOptions options;
  options.http.retry.base_delay = std::chrono::milliseconds(1);
  options.http.retry.max_attempts = 2;
  return std::make_shared<HttpStore>("http", std::move(options));
}

// Writes `bytes` at `relative` under the served root, making folders.
Status WriteFile(const std::string& relative, std::string_view bytes) {
  const fs::path path = fs::path(NginxPeer().root) / relative;
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (error || !out) {
    return InternalError("cannot write " + path.string());
  }
  return Status::Ok();
}

// nginx's ETag and Last-Modified for the file at `relative`, from its mtime and size.
std::pair<std::string, std::string> NginxEtagAndTime(const std::string& relative) {
  struct ::stat status {};
  const std::string path = NginxPeer().root + "/" + relative;
  EXPECT_EQ(::stat(path.c_str(), &status), 0) << path;
  char etag[64];
  std::snprintf(etag, sizeof(etag), "%lx-%lx",
                static_cast<unsigned long>(status.st_mtime),
                static_cast<unsigned long>(status.st_size));
  std::tm utc{};
  ::gmtime_r(&status.st_mtime, &utc);
  char time[32];
  std::strftime(time, sizeof(time), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return {etag, time};
}

std::string NewDir() {
  static std::atomic<int> counter{0};
  return "t" + std::to_string(++counter);
}

ObjectRef Ref(const std::string& url, std::string etag = "") {
  auto uri = uri::Uri::Parse(url);
  EXPECT_OK(uri);
  return {.uri = uri.ok() ? *uri : uri::Uri{}, .version_id = "", .etag = std::move(etag)};
}

Result<std::string> ReadAll(HttpStore& store, const ObjectRef& ref) {
  StringSink sink;
  CAIRN_RETURN_IF_ERROR(store.Read(ref, {}, sink));
  return sink.data();
}

class HttpStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(NginxPeer().endpoint.empty()) << "nginx is not running";
  }

  // Writes the file and returns its path relative to the root.
  std::string MustWrite(const std::string& name, std::string_view bytes) {
    const std::string relative = dir_ + "/" + name;
    EXPECT_OK(WriteFile(relative, bytes));
    return relative;
  }

  std::shared_ptr<HttpStore> store_ = MakeStore();
  std::string dir_ = NewDir();
};

TEST_F(HttpStoreTest, StatReportsTheStrongEtagSizeAndTimeOfAFile) {
  const std::string file = MustWrite("a.txt", "hello");
  const auto [etag, time] = NginxEtagAndTime(file);

  const Result<ObjectInfo> info = store_->Stat(Ref(NginxPeer().endpoint + "/" + file));

  ASSERT_OK(info);
  EXPECT_EQ(info->size_bytes, 5);
  EXPECT_EQ(info->etag, etag);
  EXPECT_EQ(info->last_modified, time);
  EXPECT_EQ(info->md5_base64, "");
  EXPECT_EQ(info->version_id, "");
}

TEST_F(HttpStoreTest, LocationWithoutEtagReportsSizeAndTimeOnly) {
  const std::string file = MustWrite("n.txt", "no etag");
  const std::string url = NginxPeer().noetag + "/" + file;

  const Result<ObjectInfo> info = store_->Stat(Ref(url));
  const Result<std::string> bytes = ReadAll(*store_, Ref(url));

  ASSERT_OK(info);
  EXPECT_EQ(info->etag, "");
  EXPECT_EQ(info->size_bytes, 7);
  EXPECT_EQ(info->last_modified, NginxEtagAndTime(file).second);
  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "no etag");
}

TEST_F(HttpStoreTest, RedirectToTheMirrorIsFollowedAndTheOriginalUrlReported) {
  const std::string file = MustWrite("r.txt", "redirected");
  const std::string url = NginxPeer().endpoint + "/redirect/" + file + "?v=2";

  const Result<ObjectInfo> info = store_->Stat(Ref(url));
  const Result<std::string> bytes =
      ReadAll(*store_, Ref(url, NginxEtagAndTime(file).first));

  ASSERT_OK(info);
  EXPECT_EQ(info->uri, Ref(url).uri);
  EXPECT_EQ(info->size_bytes, 10);
  EXPECT_EQ(info->etag, NginxEtagAndTime(file).first);
  ASSERT_OK(bytes);
  EXPECT_EQ(*bytes, "redirected");
}

TEST_F(HttpStoreTest, ServerRefusingHeadIsStattedByARangedGet) {
  const std::string file = MustWrite("h.bin", "0123456789");
  const std::string empty = MustWrite("empty", "");

  const Result<ObjectInfo> info = store_->Stat(Ref(NginxPeer().nohead + "/" + file));
  const Result<ObjectInfo> none = store_->Stat(Ref(NginxPeer().nohead + "/" + empty));

  ASSERT_OK(info);
  EXPECT_EQ(info->size_bytes, 10);
  EXPECT_EQ(info->etag, NginxEtagAndTime(file).first);
  ASSERT_OK(none);
  EXPECT_EQ(none->size_bytes, 0);
  EXPECT_EQ(none->etag, NginxEtagAndTime(empty).first);
}

TEST_F(HttpStoreTest, ChangedFileIsRefusedByIfMatchBeforeAnyByte) {
  const std::string file = MustWrite("c.txt", "first");
  const std::string url = NginxPeer().endpoint + "/" + file;
  const std::string recorded = NginxEtagAndTime(file).first;
  MustWrite("c.txt", "second, longer");
  StringSink sink;

  EXPECT_THAT(store_->Read(Ref(url, recorded), {}, sink),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("reading " + url + ": precondition failed (412)")));
  EXPECT_EQ(sink.data(), "");
  EXPECT_THAT(
      store_->Stat(Ref(url, recorded)),
      StatusIs(StatusCode::kFailedPrecondition,
               HasSubstr("stating " + url + ": etag now " + NginxEtagAndTime(file).first +
                         ", recorded " + recorded)));
}

TEST_F(HttpStoreTest, StatusesMapToCodesNamingTheUrl) {
  const std::string& endpoint = NginxPeer().endpoint;
  struct Case {
    std::string path;
    StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"/" + dir_ + "/absent", StatusCode::kNotFound, "not found (404)"},
      {"/status/401", StatusCode::kUnauthenticated, "unauthorized (401)"},
      {"/status/403", StatusCode::kPermissionDenied, "forbidden (403)"},
      {"/status/503", StatusCode::kUnavailable, "server error (503) after 2 attempts"},
      {"/redirect/" + dir_ + "/absent", StatusCode::kNotFound,
       " (redirected to " + NginxPeer().mirror + "/" + dir_ +
           "/absent): not found (404)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    EXPECT_THAT(store_->Stat(Ref(endpoint + c.path)),
                StatusIs(c.code, HasSubstr("stating " + endpoint + c.path)));
    EXPECT_THAT(store_->Stat(Ref(endpoint + c.path)),
                StatusIs(c.code, HasSubstr(c.message)));
  }
}

TEST_F(HttpStoreTest, ListIsInvalidArgumentSayingToReferenceEachFile) {
  const std::string url = NginxPeer().endpoint + "/" + dir_ + "/";

  EXPECT_THAT(
      store_->List(Ref(url).uri, {}, [](const ObjectInfo&) { return Status::Ok(); }),
      StatusIs(StatusCode::kInvalidArgument,
               "listing " + url +
                   ": an http URL names one file and a web server has no listing; "
                   "reference each file by its own URL"));
}

// The conformance suite: one folder of the root per case, written directly.
class NginxFixture final : public testing::StoreFixture {
 public:
  explicit NginxFixture(std::string endpoint) : endpoint_(std::move(endpoint)) {
    static std::atomic<int> cases{0};
    prefix_ = "case-" + std::to_string(++cases) + "/";
  }

  std::shared_ptr<ObjectStore> Store() override { return store_; }
  uri::Uri BasePrefix() override { return Ref(endpoint_ + "/" + prefix_).uri; }
  Result<std::string> Put(std::string_view key, std::string_view bytes) override {
    CAIRN_RETURN_IF_ERROR(WriteFile(prefix_ + std::string(key), bytes));
    return std::string();
  }
  Status Delete(std::string_view key) override {
    std::error_code error;
    if (!fs::remove(fs::path(NginxPeer().root) / (prefix_ + std::string(key)), error)) {
      return InternalError("cannot remove " + std::string(key));
    }
    return Status::Ok();
  }
  bool CanCreateFolderMarkers() const override { return false; }
  bool KeepsEmptySegments() const override { return false; }

 private:
  std::string endpoint_;
  std::shared_ptr<HttpStore> store_ = MakeStore();
  std::string prefix_;
};

INSTANTIATE_TEST_SUITE_P(
    Nginx, StoreConformanceTest,
    ::testing::Values(
        testing::ConformanceParam{"nginx",
                                  [] {
                                    return Result<std::unique_ptr<testing::StoreFixture>>(
                                        std::make_unique<NginxFixture>(
                                            NginxPeer().endpoint));
                                  }},
        testing::ConformanceParam{"nginx_nohead",
                                  [] {
                                    return Result<std::unique_ptr<testing::StoreFixture>>(
                                        std::make_unique<NginxFixture>(
                                            NginxPeer().nohead));
                                  }}),
    testing::ConformanceParamName);

}  // namespace
}  // namespace cairn::storage::http
