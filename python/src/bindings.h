// SPDX-License-Identifier: Apache-2.0
// The parts of the cairn._core extension module, each binding one group of the C++
// API (src/cairn/api/session.h). The module only converts types, releases the GIL
// around blocking calls and maps errors; the W&B-shaped API is python/cairn/*.py.
#pragma once

#include <nanobind/nanobind.h>

namespace cairn::python {

/// Read-only records: Entry, Manifest, VersionRecord, RunRecord, LogResult,
/// RunEdges, VerifyReport.
void BindRecords(nanobind::module_& module);

/// Session, Run, Draft (api::Artifact) and Version (api::ArtifactVersion).
void BindSession(nanobind::module_& module);

}  // namespace cairn::python
