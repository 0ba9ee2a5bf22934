#include "storage/postgresql_notices.hpp"

#include <string_view>

#include <spdlog/spdlog.h>

namespace attendance::storage {

namespace {

void log_notice(void*, const char* message) {
  std::string_view text(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  spdlog::debug("postgresql: {}", text);
}

}  // namespace

void log_notices_of(PGconn* connection) {
  if (connection != nullptr) PQsetNoticeProcessor(connection, &log_notice, nullptr);
}

}  // namespace attendance::storage
