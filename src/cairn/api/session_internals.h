// SPDX-License-Identifier: Apache-2.0
// Session::Internals: the artifact layer's per-session state behind the public
// API. Front ends never need this header; tests include it to hand a session a
// store of their own (a counting or fault-injecting store) through
// Impl().workspace->Stores().Put(...).
#pragma once

#include <memory>

#include "cairn/api/session.h"
#include "cairn/artifact/workspace.h"

namespace cairn::api {

struct Session::Internals {
  std::unique_ptr<artifact::Workspace> workspace;
};

}  // namespace cairn::api
