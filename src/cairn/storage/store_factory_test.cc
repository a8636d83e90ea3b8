// SPDX-License-Identifier: Apache-2.0
#include "cairn/storage/store_factory.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cairn/testing/status_matchers.h"

namespace cairn::storage {
namespace {

using ::cairn::testing::StatusIs;
using ::testing::HasSubstr;

uri::Uri MustParse(const std::string& text) {
  auto uri = uri::Uri::Parse(text);
  EXPECT_OK(uri);
  return uri.ok() ? *uri : uri::Uri{};
}

TEST(StoreFactoryTest, FileUriOpensTheLocalStore) {
  auto store = OpenStore(MustParse("file:///tmp/x"));
  ASSERT_OK(store);
  EXPECT_EQ((*store)->Scheme(), "file");
}

TEST(StoreFactoryTest, UnknownSchemeIsInvalidArgumentListingSupportedOnes) {
  EXPECT_THAT(
      OpenStore(MustParse("ftp://host/file")),
      StatusIs(StatusCode::kInvalidArgument,
               AllOf(HasSubstr("\"ftp\""), HasSubstr("file, s3, gs, az, http, https"))));
}

}  // namespace
}  // namespace cairn::storage
