#pragma once
// Recording one event inside a write job: the rules of DESIGN.md section 4 in their order
// (client_id retry, kiosk double scan, alternation), shared by POST /api/attendances, the batch
// endpoint and the benchmarks that measure what those endpoints run (bench/aggregate_bench.cpp).
// Defined in attendances.cpp.

#include <string>

#include "domain/result.hpp"
#include "domain/types.hpp"
#include "http/handlers/decoders.hpp"
#include "http/principal.hpp"
#include "storage/session.hpp"

namespace attendance::http {

// What a recording produced: the stored event (new or the earlier one it repeats), its school.
struct Recorded {
  domain::Attendance event;
  domain::School school;
  bool created = false;
  std::string user_name;
  bool replayed = false;  // a client_id retry answered with the event stored the first time
};

// Runs in a write job on the user's lane: locks the user's row (PostgreSQL), then stores the
// event or answers with the one it repeats. 422 for a user the caller can't reach, 409 for an
// event that would break the alternation.
domain::Result<Recorded> record(storage::Session& s, const NewEvent& event, const Principal& caller);

}  // namespace attendance::http
