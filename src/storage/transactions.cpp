#include "storage/transactions.hpp"

#include <algorithm>
#include <cstring>
#include <exception>

#include <soci/postgresql/soci-postgresql.h>

namespace attendance::storage {

namespace {

// Calls f and swallows its failure: used for cleanup after an error that is already reported.
template <class F>
void quietly(F f) noexcept {
  try {
    f();
  } catch (...) {  // NOLINT(bugprone-empty-catch)
  }
}

// Marker thrown out of a job's savepoint so the whole group is retried.
struct RetryGroup {
  std::exception_ptr cause;
};

const char* begin_write(Backend backend) {
  // IMMEDIATE takes SQLite's write lock now: without it two processes could both start reading
  // and then fail to upgrade (SQLITE_BUSY without waiting).
  return backend == Backend::sqlite ? "BEGIN IMMEDIATE" : "BEGIN";
}

const char* begin_read(Backend backend) {
  return backend == Backend::sqlite ? "BEGIN" : "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ";
}

// Begins a transaction on a live connection. A PostgreSQL connection that died while it sat idle
// (the server restarted since its last job) is only noticed by this first statement; nothing of
// the jobs has run yet, so it is reopened and the transaction begun again, rather than failing
// requests once per idle connection after the server is back. Throws when that fails too.
void begin_transaction(Connection& connection, const char* begin) {
  connection.ensure_open();
  try {
    connection.session().sql << begin;
    return;
  } catch (...) {
    connection.check_after_failure();
    if (!connection.broken()) throw;
  }
  connection.ensure_open();
  connection.session().sql << begin;
}

// One attempt at the group; per-job outcomes in errors. Throws the transaction's failure.
void attempt_group(Connection& connection, std::vector<Database::Job>& jobs,
                   std::vector<std::exception_ptr>& errors, bool may_retry) {
  begin_transaction(connection, begin_write(connection.backend()));
  Session session = connection.session();
  soci::session& sql = session.sql;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    errors[i] = nullptr;
    sql << "SAVEPOINT g";
    bool keep = false;
    try {
      keep = jobs[i].run(session);
    } catch (...) {
      errors[i] = std::current_exception();
      if (may_retry && is_retryable(errors[i])) throw RetryGroup{errors[i]};
    }
    if (!keep || errors[i]) sql << "ROLLBACK TO SAVEPOINT g";
    sql << "RELEASE SAVEPOINT g";
  }
  sql << "COMMIT";
}

}  // namespace

bool is_retryable(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const soci::postgresql_soci_error& e) {
    auto state = e.sqlstate();
    return state == "40P01" || state == "40001";
  } catch (...) {
    return false;
  }
}

void finish(Database::Job& job, std::exception_ptr error) noexcept {
  quietly([&] { job.done(error); });
}

std::exception_ptr run_read(Connection& connection, Database::Job& job) {
  std::exception_ptr error;
  try {
    begin_transaction(connection, begin_read(connection.backend()));
    Session session = connection.session();
    try {
      job.run(session);
    } catch (...) {
      error = std::current_exception();
    }
    // A read job changes nothing, so ending its snapshot with a rollback is the same and cheaper.
    session.sql << "ROLLBACK";
  } catch (...) {
    if (!error) error = std::current_exception();
  }
  if (error && !connection.broken()) quietly([&] { connection.check_after_failure(); });
  return error;
}

GroupOutcome run_group(Connection& connection, std::vector<Database::Job>& jobs) {
  std::vector<std::exception_ptr> errors(jobs.size());
  std::exception_ptr group_error;
  const int attempts = connection.backend() == Backend::postgresql ? 2 : 1;
  bool committed = false;
  for (int attempt = 1; attempt <= attempts && !committed; ++attempt) {
    group_error = nullptr;
    try {
      attempt_group(connection, jobs, errors, attempt < attempts);
      committed = true;
    } catch (const RetryGroup& retry) {
      group_error = retry.cause;
    } catch (...) {
      group_error = std::current_exception();
    }
    if (committed) break;
    if (!connection.broken()) {  // a broken connection has no session to roll back
      quietly([&] { connection.session().sql << "ROLLBACK"; });
      quietly([&] { connection.check_after_failure(); });
    }
    if (connection.broken() || !is_retryable(group_error)) break;
  }
  if (!committed) std::fill(errors.begin(), errors.end(), group_error);
  return GroupOutcome{committed, std::move(errors)};
}

}  // namespace attendance::storage
