// SPDX-License-Identifier: Apache-2.0
// A process-wide "stop now" request. The cairn command sets it from its SIGINT and
// SIGTERM handler; long work checks it where it can stop cleanly (a download's file
// writes), fails with kAborted, and the usual failure path removes what it staged.
#pragma once

namespace cairn::interrupt {

/// Asks running work to stop. Async-signal-safe: it only stores to an atomic flag.
void Request() noexcept;

/// True once Request() was called in this process.
bool Requested() noexcept;

}  // namespace cairn::interrupt
