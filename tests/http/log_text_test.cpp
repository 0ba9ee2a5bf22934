#include "http/log_text.hpp"

#include <gtest/gtest.h>

namespace attendance::http {
namespace {

TEST(LoggableFailure, IsOneLineWithoutTheValuesTheClientSent) {
  const std::string soci =
      "sqlite3_statement_backend::loadOne: UNIQUE constraint failed: users.external_id\n"
      "while executing \"INSERT INTO users (name) VALUES (:name)\" with :name=Ada Lovelace, :school_id=1.";
  EXPECT_EQ(loggable_failure(soci),
            "sqlite3_statement_backend::loadOne: UNIQUE constraint failed: users.external_id "
            "while executing \"INSERT INTO users (name) VALUES (:name)\"");
}

TEST(LoggableFailure, LeavesAPlainMessageAsItIs) {
  EXPECT_EQ(loggable_failure("database is shut down"), "database is shut down");
  EXPECT_EQ(loggable_failure("server closed the connection unexpectedly\r\n"),
            "server closed the connection unexpectedly");
}

TEST(LoggableTarget, HidesTheValuesOfSecretNamedParametersOnly) {
  EXPECT_EQ(loggable_target("/api/schools"), "/api/schools");
  EXPECT_EQ(loggable_target("/api/schools?token=att_secret&limit=5"), "/api/schools?token=***&limit=5");
  EXPECT_EQ(loggable_target("/api/x?limit=5&Access_Token=abc&api_key=k&password=p&secret=s"),
            "/api/x?limit=5&Access_Token=***&api_key=***&password=***&secret=***");
  EXPECT_EQ(loggable_target("/api/x?tokens=1&token"), "/api/x?tokens=1&token");
  // A repeated key is refused (422), and its line still hides every value it was given.
  EXPECT_EQ(loggable_target("/api/x?token=a&limit=5&token=b"), "/api/x?token=***&limit=5&token=***");
}

TEST(LoggableTarget, HidesTheValueOfASecretNameSpelledWithEscapes) {
  // The router decodes keys, so `t%6Fken` is the token parameter and its value is masked too.
  EXPECT_EQ(loggable_target("/api/x?t%6Fken=att_secret&limit=5"), "/api/x?t%6Fken=***&limit=5");
  EXPECT_EQ(loggable_target("/api/x?%70ASSWORD=p"), "/api/x?%70ASSWORD=***");
  // A broken escape names no secret and is logged as written.
  EXPECT_EQ(loggable_target("/api/x?token%=a&tok%zzen=b&t%6"), "/api/x?token%=a&tok%zzen=b&t%6");
}

}  // namespace
}  // namespace attendance::http
