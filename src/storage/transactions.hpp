#pragma once
// How a database thread runs its jobs: reads one at a time, writes in groups that
// share one commit (see Database in database.hpp for the contract callers rely on).

#include <vector>

#include "storage/connection.hpp"
#include "storage/database.hpp"

namespace attendance::storage {

// Runs one read job (on SQLite in one snapshot for all its queries; on PostgreSQL each query sees
// what was committed when it started, without a transaction's round trips); returns the
// exception for its done (null on success). A job whose open connection turns out dead runs once
// more on a fresh connection (a read changes nothing). Does not call done.
std::exception_ptr run_read(Connection& connection, Database::Job& job);

struct GroupOutcome {
  bool committed = false;
  std::vector<std::exception_ptr> errors;  // what each job's done receives
};

// Runs the jobs in one transaction, each in its own savepoint, and commits once. After a commit
// each job's outcome is its own exception (or null); when BEGIN or COMMIT fails every job gets
// the transaction's exception. A connection found dead by BEGIN is reopened and the group begun
// again (nothing has run). On PostgreSQL a deadlock or serialization failure reruns the whole
// group once. Does not call done: the caller does, after its bookkeeping.
GroupOutcome run_group(Connection& connection, std::vector<Database::Job>& jobs);

// Calls done, swallowing whatever it throws (it runs on a database thread).
void finish(Database::Job& job, std::exception_ptr error) noexcept;

// True for PostgreSQL's deadlock_detected (40P01) and serialization_failure (40001).
bool is_retryable(const std::exception_ptr& error);

}  // namespace attendance::storage
