#pragma once
// The requests of /api/attendances that share database jobs (storage::Coalescer, docs/storage.md):
// recordings on one write lane share a write job; lookups by id, and pages, share read jobs.
// One per AppContext.

#include <optional>

#include "domain/result.hpp"
#include "domain/types.hpp"
#include "http/handlers/record.hpp"
#include "http/responses.hpp"
#include "storage/coalescer.hpp"
#include "storage/repositories.hpp"

namespace attendance::http {

// An event and its school's fever threshold.
struct Shown {
  domain::Attendance event;
  double fever_threshold = 38.0;
};

// A page of GET /api/attendances (its page asks for one row more than shown, to tell whether
// another page follows), and its answer.
using PageQuery = storage::AttendancePage;
struct Listed {
  ListBody body;  // the page's rows
  std::optional<domain::Id> next_after;
};

struct AttendanceQueues {
  AttendanceQueues();
  storage::Coalescer<Recording, domain::Result<Recorded>> recordings;
  storage::Coalescer<domain::Id, std::optional<Shown>> lookups;
  storage::Coalescer<PageQuery, Listed> pages;
};

}  // namespace attendance::http
