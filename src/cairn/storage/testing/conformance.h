// SPDX-License-Identifier: Apache-2.0
// The ObjectStore conformance suite: one set of tests that every backend passes,
// run against a real peer (a temporary directory, moto, an emulator). A backend's
// test supplies a StoreFixture and instantiates the suite:
//
//   INSTANTIATE_TEST_SUITE_P(Local, StoreConformanceTest,
//                            ::testing::Values(ConformanceParam{"local", &MakeFixture}),
//                            ConformanceParamName);
//
// The store's Features() decide which cases apply; a case that does not apply is
// reported as skipped with the feature it needs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "cairn/base/result.h"
#include "cairn/base/status.h"
#include "cairn/storage/object_store.h"
#include "cairn/uri/uri.h"

namespace cairn::storage::testing {

/// Creates and removes objects in the store under test by a path other than the
/// store itself (files, boto-style PUTs), so the suite checks the store against an
/// independent writer. One fixture serves one test case.
class StoreFixture {
 public:
  virtual ~StoreFixture() = default;

  /// The store under test.
  virtual std::shared_ptr<ObjectStore> Store() = 0;

  /// A prefix ending in '/' that is empty when the case starts and used by this
  /// case only, e.g. file:///tmp/run/case-3/ or s3://bucket/case-3/.
  virtual uri::Uri BasePrefix() = 0;

  /// Creates or overwrites the object at BasePrefix() + `key` with `bytes`.
  /// Returns the new version's id when the store has versions, else "".
  virtual Result<std::string> Put(std::string_view key, std::string_view bytes) = 0;

  /// Removes the object at BasePrefix() + `key`.
  virtual Status Delete(std::string_view key) = 0;

  /// True when the store can hold a key ending in '/' (an S3 folder marker).
  virtual bool CanCreateFolderMarkers() const = 0;

  /// True when "a//b" and "a/b" are distinct keys (object stores; not files).
  virtual bool KeepsEmptySegments() const = 0;
};

/// One instantiation: a readable name and a factory called once per test case.
struct ConformanceParam {
  std::string name;
  std::function<Result<std::unique_ptr<StoreFixture>>()> make_fixture;
};

/// Prints a param as its name in test failure messages.
void PrintTo(const ConformanceParam& param, std::ostream* out);

/// Names instantiated cases after ConformanceParam::name.
std::string ConformanceParamName(const ::testing::TestParamInfo<ConformanceParam>& info);

/// The suite's test fixture; its TEST_P cases live in conformance.cc.
class StoreConformanceTest : public ::testing::TestWithParam<ConformanceParam> {
 protected:
  void SetUp() override;

  ObjectStore& Store() { return *store_; }
  StoreFixture& Fixture() { return *fixture_; }

  /// BasePrefix() with `key` appended to its path.
  uri::Uri UriFor(std::string_view key) const;

  /// Puts `bytes` at `key` and fails the test if that fails.
  std::string MustPut(std::string_view key, std::string_view bytes);

  /// Keys relative to BasePrefix() of every object List visits under `key`.
  Result<std::vector<std::string>> ListKeys(std::string_view key,
                                            std::int64_t max_objects = 0);

  /// The bytes Read returns for `ref` with `options`.
  Result<std::string> ReadAll(const ObjectRef& ref, const ReadOptions& options = {});

 private:
  std::unique_ptr<StoreFixture> fixture_;
  std::shared_ptr<ObjectStore> store_;
  uri::Uri base_;
};

}  // namespace cairn::storage::testing
