#include "storage/transactions.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <string>

#include <soci/postgresql/soci-postgresql.h>

#include "storage/database_error.hpp"
#include "storage/sql.hpp"

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

// Runs transaction control statements in order. On PostgreSQL they go as one simple query, one
// round trip for all (ending one job's savepoint and opening the next is one step); SQLite runs
// its kept statements one after the other, which costs no more.
void control_step(Session& session, std::initializer_list<const char*> statements) {
  if (session.backend == Backend::sqlite) {
    for (const char* statement : statements) sql::control(session, statement);
    return;
  }
  std::string joined;
  for (const char* statement : statements) {
    joined += statement;
    joined += ';';
  }
  session.sql << joined;
}

// Opens the group's transaction and its first savepoint on a live connection. A PostgreSQL
// connection that died while it sat idle (the server restarted since its last job) is only noticed
// by this first step; nothing of the jobs has run yet, so it is reopened and the step sent again,
// rather than failing requests once per idle connection after the server is back. Throws when
// that fails too.
void begin_group(Connection& connection) {
  auto begin = [&connection] {
    auto session = connection.session();
    control_step(session, {begin_write(session.backend), "SAVEPOINT g"});
  };
  connection.ensure_open();
  try {
    begin();
    return;
  } catch (...) {
    quietly([&] { connection.check_after_failure(); });
    if (!connection.broken()) throw;
  }
  connection.ensure_open();
  begin();
}

// One attempt at the group; per-job outcomes in errors. Throws the transaction's failure.
void attempt_group(Connection& connection, std::vector<Database::Job>& jobs,
                   std::vector<std::exception_ptr>& errors, bool may_retry) {
  begin_group(connection);
  Session session = connection.session();
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    errors[i] = nullptr;
    bool keep = false;
    try {
      keep = jobs[i].run(session);
    } catch (...) {
      errors[i] = std::current_exception();
      if (may_retry && is_retryable(errors[i])) throw RetryGroup{errors[i]};
    }
    const char* next = i + 1 < jobs.size() ? "SAVEPOINT g" : "COMMIT";
    if (!keep || errors[i]) {
      control_step(session, {"ROLLBACK TO SAVEPOINT g", "RELEASE SAVEPOINT g", next});
    } else {
      control_step(session, {"RELEASE SAVEPOINT g", next});
    }
  }
}

// One attempt at a read job; returns its exception (null on success).
std::exception_ptr attempt_read(Connection& connection, Database::Job& job) {
  std::exception_ptr error;
  try {
    connection.ensure_open();
    Session session = connection.session();
    // SQLite: one snapshot for the job's queries, for the price of two kept statements. PostgreSQL:
    // no transaction, each query sees what was committed when it started; a BEGIN and a ROLLBACK
    // would be two more round trips for every read.
    const bool snapshot = session.backend == Backend::sqlite;
    if (snapshot) sql::control(session, "BEGIN");
    try {
      job.run(session);
    } catch (...) {
      error = std::current_exception();
    }
    // A read job changes nothing, so ending its snapshot with a rollback is the same and cheaper.
    if (snapshot) sql::control(session, "ROLLBACK");
  } catch (...) {
    if (!error) error = std::current_exception();
  }
  if (error && !connection.broken()) quietly([&] { connection.check_after_failure(); });
  return error;
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

std::exception_ptr shareable(std::exception_ptr error) {
  if (!error) return error;
  try {
    std::rethrow_exception(error);
  } catch (const soci::soci_error& e) {
    return std::make_exception_ptr(DatabaseError(e.what()));
  } catch (...) {
    return error;
  }
}

void finish(Database::Job& job, std::exception_ptr error) noexcept {
  quietly([&] { job.done(shareable(error)); });
}

std::exception_ptr run_read(Connection& connection, Database::Job& job) {
  // A read changes nothing, so a job that failed because its open connection turned out dead
  // (PostgreSQL restarted since the connection's last job) runs once more on a fresh one.
  const bool was_open = !connection.broken();
  auto error = attempt_read(connection, job);
  if (error && was_open && connection.broken()) error = attempt_read(connection, job);
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
      quietly([&] {
        auto session = connection.session();
        sql::control(session, "ROLLBACK");
      });
      quietly([&] { connection.check_after_failure(); });
    }
    if (connection.broken() || !is_retryable(group_error)) break;
  }
  if (!committed) std::fill(errors.begin(), errors.end(), group_error);
  return GroupOutcome{committed, std::move(errors)};
}

}  // namespace attendance::storage
