#pragma once
// PostgreSQL's notices (NOTICE: relation "schema_migrations" already exists, skipping; the FATAL
// of a terminated backend, with their DETAIL and HINT) go to the service's log at debug level, one
// line each, instead of libpq's default: raw lines on stderr, outside the log's format.

#include <libpq-fe.h>

namespace attendance::storage {

void log_notices_of(PGconn* connection);

}  // namespace attendance::storage
