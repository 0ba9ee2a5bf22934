#include "storage/postgresql_notices.hpp"

#include <spdlog/spdlog.h>

#include "domain/one_line.hpp"

namespace attendance::storage {

namespace {

void log_notice(void*, const char* message) { spdlog::debug("postgresql: {}", domain::one_line(message)); }

}  // namespace

void log_notices_of(PGconn* connection) {
  if (connection != nullptr) PQsetNoticeProcessor(connection, &log_notice, nullptr);
}

}  // namespace attendance::storage
