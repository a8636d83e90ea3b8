// SPDX-License-Identifier: Apache-2.0
// The SQLite registry's schema as an ordered list of migrations. The database
// records the migrations it has had in `schema_migrations` and the newest one in
// `PRAGMA user_version`; opening a database applies the missing ones.
#pragma once

#include "cairn/registry/sqlite/database.h"

namespace cairn::registry::sqlite {

/// The schema version this build writes.
int LatestSchemaVersion();

/// Applies every migration newer than the database's version, each in its own
/// write transaction, so two processes opening a new file at once migrate it once.
/// kFailedPrecondition when the database is newer than this build (upgrade cairn);
/// kAborted when another writer kept it busy past the timeout.
Status Migrate(Database& db);

}  // namespace cairn::registry::sqlite
