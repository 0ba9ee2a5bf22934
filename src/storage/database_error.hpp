#pragma once
// A failure of the database (a broken connection, a violated constraint, a full disk) as the
// threads that awaited a job see it. soci::soci_error builds its message inside what() into a
// member, so one error shared by several threads (every job of a failed commit, every request of
// a coalesced job) races with itself; the database threads hand waiters this copy instead.

#include <exception>
#include <stdexcept>

namespace attendance::storage {

class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a job's waiters receive for `error`: a soci error becomes a DatabaseError with its message;
// anything else is passed on as it is. Called on the database thread that caught the error.
std::exception_ptr shareable(std::exception_ptr error);

}  // namespace attendance::storage
